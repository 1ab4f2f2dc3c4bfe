import shutil


async def copy(src, dst):
    shutil.copy2(src, dst, follow_symlinks=False)
    shutil.rmtree(
        src,  # the tree we just copied
        ignore_errors=True,
    )
