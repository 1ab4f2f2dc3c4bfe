from config import load_config


async def run(path):
    settings = load_config(path)
    return settings
