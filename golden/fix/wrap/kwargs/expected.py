import asyncio
import shutil


async def copy(src, dst):
    await asyncio.to_thread(shutil.copy2, src, dst, follow_symlinks=False)
    await asyncio.to_thread(
        shutil.rmtree,
        src,  # the tree we just copied
        ignore_errors=True,
    )
