import anyio
import functools
import shutil


async def copy(src, dst, names):
    await anyio.to_thread.run_sync(shutil.copy, src, dst)
    await anyio.to_thread.run_sync(
        functools.partial(shutil.copytree, src, dst, dirs_exist_ok=True)
    )
    await anyio.to_thread.run_sync(shutil.move, *names)
