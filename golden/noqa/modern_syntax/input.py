"""Python 3.12-3.14 syntax around the calls: the file must still parse the same."""

import time

type Seconds = float


async def wait[T](value: T, delay: Seconds) -> T:
    data = {"k": 1}
    label = f"{data["k"]}"
    time.sleep(delay)
    return value


async def handled() -> None:
    try:
        time.sleep(1)
    except ValueError, TypeError:
        pass
