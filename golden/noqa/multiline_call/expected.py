"""A call over several lines: the comment goes where the call starts, inside the brackets."""

import shutil
import subprocess


async def deploy(source: str, target: str) -> None:
    shutil.copytree(  # asyncify: ignore[AFY104]
        source,
        target,
    )
    result = subprocess.run(["make",  # asyncify: ignore[AFY120]
                             "all"], check=True)
    print(result)
