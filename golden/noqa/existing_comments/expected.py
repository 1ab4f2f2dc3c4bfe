"""Comments already on the line are kept: ours is merged or goes after them."""

import os
import time


async def run(path: str) -> None:
    time.sleep(1)  # noqa: E501  # asyncify: ignore[AFY110]
    os.remove(path)  # asyncify: ignore[AFY101, AFY103]
    os.rename(path, path + ".old")  # type: ignore[arg-type]  # asyncify: ignore[AFY103]
    time.sleep(2)# tight  # asyncify: ignore[AFY110]
