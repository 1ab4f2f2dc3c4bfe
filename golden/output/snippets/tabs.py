import time


async def tabbed() -> None:
	if True:
		time.sleep(1)
