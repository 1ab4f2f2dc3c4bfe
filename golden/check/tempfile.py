"""AFY105 blocking-tempfile: temporary files and directories created on disk.

Golden detection file: each expected finding is marked at the end of its line.
"""

import tempfile
import tempfile as tf
from tempfile import NamedTemporaryFile, TemporaryDirectory as TempDir


async def scratch_space(payload: bytes) -> str:
    # `import tempfile` and module attribute chains
    directory = tempfile.mkdtemp(prefix="job-")  # error: AFY105
    fd, name = tempfile.mkstemp(dir=directory)  # error: AFY105
    # `import tempfile as tf`
    legacy = tf.mktemp()  # error: AFY105
    return directory + name + legacy + str(fd)


async def context_managers(payload: bytes) -> None:
    # `from tempfile import NamedTemporaryFile`
    with NamedTemporaryFile("wb", delete=False) as handle:  # error: AFY105
        handle.write(payload)  # error: AFY108
    # `from tempfile import TemporaryDirectory as TempDir`
    with TempDir() as workdir:  # error: AFY105
        print(workdir)
    with tempfile.TemporaryFile() as anonymous:  # error: AFY105
        anonymous.write(payload)  # error: AFY108


async def spooled(payload: bytes) -> None:
    # blocks only past max_size: reported with lower confidence
    with tempfile.SpooledTemporaryFile(max_size=1024) as buffer:  # error: AFY105 likely
        buffer.write(payload)


async def gettempdir_is_not_reported() -> str:
    # the probe runs once per process, later calls return a cached string
    return tempfile.gettempdir()
