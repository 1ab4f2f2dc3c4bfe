"""Comments already on the line are kept: ours is merged or goes after them."""

import os
import time


async def run(path: str) -> None:
    time.sleep(1)  # noqa: E501
    os.remove(path)  # asyncify: ignore[AFY101]
    os.rename(path, path + ".old")  # type: ignore[arg-type]
    time.sleep(2)# tight
