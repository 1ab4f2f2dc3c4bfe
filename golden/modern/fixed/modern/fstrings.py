"""PEP 701 f-strings (3.12) and PEP 750 t-strings (3.14) with blocking calls inside."""

import asyncio
import os
import subprocess
import time
from pathlib import Path


async def report(items: dict[str, str], root: Path) -> str:
    line = f"{items["name"]}: {f"{await asyncio.to_thread(os.path.exists, f"{root}/x")}"} é {await asyncio.sleep(0)!r:>{len(items)}}"
    multi = f"total: {
        sum(len(v) for v in items.values())  # a comment inside a replacement field
    } {await asyncio.to_thread(subprocess.run, ["ls", f"{root}"], check=False)}"
    template = t"{await asyncio.to_thread(root.read_text)!r} and {items['k']:>{len(items)}}"
    return line + multi + str(template)
