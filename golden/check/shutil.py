"""AFY104 blocking-shutil: high-level file operations in async code.

Golden detection file: each expected finding is marked at the end of its line.
"""

import shutil
import shutil as sh
from shutil import copytree, move as move_file, which


async def deploy(build: str, target: str) -> None:
    # `import shutil`
    shutil.rmtree(target, ignore_errors=True)  # error: AFY104
    # `from shutil import copytree`, spanning lines: reported on the first line
    copytree(  # error: AFY104
        build,
        target,
        dirs_exist_ok=True,
    )
    # `import shutil as sh`
    sh.copy2(f"{build}/VERSION", target)  # error: AFY104
    # `from shutil import move as move_file`
    move_file(f"{target}/old", f"{target}/archive")  # error: AFY104


async def single_files(src: str, dst: str) -> None:
    shutil.copy(src, dst)  # error: AFY104
    shutil.copyfile(src, dst)  # error: AFY104
    shutil.copymode(src, dst)  # error: AFY104
    shutil.copystat(src, dst)  # error: AFY104
    shutil.chown(dst, user="www")  # error: AFY104


async def copy_stream(src, dst) -> None:  # type: ignore[no-untyped-def]
    shutil.copyfileobj(src, dst, 1 << 16)  # error: AFY104


async def archives(root: str) -> str:
    archive = shutil.make_archive("/tmp/backup", "gztar", root)  # error: AFY104
    shutil.unpack_archive(archive, "/tmp/restore")  # error: AFY104
    return archive


async def environment() -> bool:
    # which() stats candidates on PATH; disk_usage is a statvfs
    git = which("git")  # error: AFY104
    free = shutil.disk_usage("/").free  # error: AFY104
    return git is not None and free > 0


async def terminal_width() -> int:
    # get_terminal_size is an ioctl, not reported
    return shutil.get_terminal_size().columns
