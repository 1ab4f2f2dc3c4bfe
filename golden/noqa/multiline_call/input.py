"""A call over several lines: the comment goes where the call starts, inside the brackets."""

import shutil
import subprocess


async def deploy(source: str, target: str) -> None:
    shutil.copytree(
        source,
        target,
    )
    result = subprocess.run(["make",
                             "all"], check=True)
    print(result)
