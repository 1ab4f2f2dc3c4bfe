import os
import shutil
import subprocess
import time


async def deploy(source: str, target: str) -> None:
    shutil.copytree(
        source,
        target,
    )
    result = subprocess.run(["make",
                             "all"], check=True)
    label = "日本語"; time.sleep(1)
    print(result, label)


async def long_call(path: str) -> None:
    subprocess.check_call(
        [
            "tar",
            "-czf",
            path,
            ".",
        ],
        cwd=path,
        timeout=10,
    )


async def last(path: str) -> None:
    os.remove(path)
