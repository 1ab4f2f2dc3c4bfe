"""AFY106 blocking-glob: directory scans with the glob module.

Golden detection file: each expected finding is marked at the end of its line.
"""

import glob
import glob as g
from glob import glob as find_files, iglob


async def sources(root: str) -> list[str]:
    # `import glob` and the attribute chain
    found = glob.glob(f"{root}/**/*.py", recursive=True)  # error: AFY106
    # `import glob as g`
    found += g.glob(f"{root}/*.toml")  # error: AFY106
    # `from glob import glob as find_files`
    found += find_files(f"{root}/*.cfg")  # error: AFY106
    # iglob is lazy: the directory is read while the loop runs
    for name in iglob(f"{root}/*.txt"):  # error: AFY106
        found.append(name)
    return found


async def escape_is_not_reported(name: str) -> str:
    # glob.escape is a string function
    return glob.escape(name)


class Collector:
    def __init__(self, pattern: str) -> None:
        self.pattern = pattern

    async def collect(self) -> list[str]:
        return sorted(glob.iglob(self.pattern))  # error: AFY106
