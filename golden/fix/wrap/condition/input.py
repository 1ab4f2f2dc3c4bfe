from pathlib import Path


async def check(p: Path, x):
    if p.exists() and x:
        return 1
    while not p.is_dir():
        pass
    ok = p.is_file() or x
    return 2 if p.is_symlink() else 3
