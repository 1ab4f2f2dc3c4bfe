def parse_settings(lines: list[str]) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in lines if "=" in line)
    return {key.strip(): value.strip() for key, value in pairs}


def render(settings: dict[str, str]) -> str:
    return "\n".join(f"{k}={v}" for k, v in sorted(settings.items()))
