"""AFY102 blocking-path-method: pathlib.Path methods that touch the filesystem.

Golden detection file. Every expected finding is marked at the end of its line:
``# error: AFY102`` (certain) or ``# error: AFY102 likely`` (receiver guessed from the
method name). Lines without a marker must produce nothing.
"""

from __future__ import annotations

import asyncio
import pathlib
import typing
from dataclasses import dataclass
from pathlib import Path
from pathlib import Path as P
from typing import Optional, Union

# Module-level Path constants: their type comes from the constructor and from `/` and
# `.parent` on a Path.
BASE_DIR = Path(__file__).parent
DATA_DIR = BASE_DIR / "data"


def config_dir() -> Path:
    """A function annotated `-> Path`: calls on its result are Path calls."""
    return Path.home() / ".config" / "app"


# --- import forms ----------------------------------------------------------------------


async def import_forms(name: str) -> None:
    # `from pathlib import Path`
    Path(name).read_text()  # error: AFY102
    # `from pathlib import Path as P`
    P(name).write_text("x")  # error: AFY102
    # `import pathlib` and the module attribute chain
    pathlib.Path(name).exists()  # error: AFY102
    # concrete subclasses are normalised to pathlib.Path
    pathlib.PosixPath(name).stat()  # error: AFY102
    # an unbound method called through the class
    Path.mkdir(Path(name), parents=True)  # error: AFY102


# --- parameters and variables annotated Path ---------------------------------------------


async def annotated_parameter(path: Path) -> str:
    # parameter annotated `Path`
    return path.read_text(encoding="utf-8")  # error: AFY102


async def aliased_annotation(path: P, data: bytes) -> None:
    # parameter annotated with the alias `P`
    path.write_bytes(data)  # error: AFY102


async def optional_parameter(path: Optional[Path] = None) -> bool:
    # `Optional[Path]`
    return path is not None and path.is_symlink()  # error: AFY102


async def pipe_none_parameter(path: Path | None) -> None:
    # `Path | None`
    if path is not None:
        path.unlink(missing_ok=True)  # error: AFY102


async def union_parameter(path: Union[Path, None]) -> None:
    # `Union[Path, None]`, the pre-3.10 spelling of `Path | None`
    if path:
        path.chmod(0o644)  # error: AFY102


async def qualified_optional(path: typing.Optional[pathlib.Path]) -> None:
    # `typing.Optional[pathlib.Path]`, both through module attribute chains
    if path:
        path.rmdir()  # error: AFY102


async def string_annotation(path: "Path") -> int:
    # a string annotation `"Path"`
    return path.stat().st_size  # error: AFY102


async def annotated_variable(raw: str) -> None:
    # a local annotated `Path` (value of unknown type)
    target: Path = resolve_later(raw)
    target.touch()  # error: AFY102


def resolve_later(raw: str) -> typing.Any:
    return raw


# --- constructors and Path-returning expressions ----------------------------------------


async def constructors(name: str) -> None:
    # a local assigned from the constructor, alias and full name
    report = P(name)
    report.write_text("done")  # error: AFY102
    backup = pathlib.Path(name + ".bak")
    backup.replace(report)  # error: AFY102


async def division(root: Path) -> None:
    # `/` on a Path is a Path, on either side of a str
    (root / "settings.toml").read_bytes()  # error: AFY102
    log = root / "logs" / "app.log"
    log.rename(root / "logs" / "app.log.1")  # error: AFY102


async def parent_property(path: Path) -> None:
    # `.parent` of a Path is a Path
    path.parent.mkdir(parents=True, exist_ok=True)  # error: AFY102
    if not path.parent.parent.is_dir():  # error: AFY102
        return


async def factories() -> None:
    # `Path.cwd()` / `Path.home()` return Paths (the factories themselves do not block)
    Path.cwd().joinpath("build").mkdir()  # error: AFY102
    settings = P.home() / ".settings"
    settings.exists()  # error: AFY102


async def path_returning_methods(path: Path) -> None:
    # with_suffix / resolve / joinpath return Paths; resolve() itself blocks
    path.with_suffix(".lock").touch()  # error: AFY102
    real = path.resolve()  # error: AFY102
    real.is_file()  # error: AFY102


async def module_constants() -> list[Path]:
    # module-level Path constants
    DATA_DIR.mkdir(exist_ok=True)  # error: AFY102
    return list(DATA_DIR.glob("*.csv"))  # error: AFY102


async def walrus(root: Path) -> str:
    # an assignment expression binds the Path type too
    if (marker := root / ".marker").exists():  # error: AFY102
        return marker.read_text()  # error: AFY102
    return ""


async def returned_by_function() -> None:
    # a function annotated `-> Path`
    config_dir().mkdir(parents=True)  # error: AFY102
    folder = config_dir()
    (folder / "app.toml").write_text("")  # error: AFY102


# --- iteration ---------------------------------------------------------------------------


async def iterate(root: Path) -> list[str]:
    names = []
    # the loop variable of `root.iterdir()` is a Path; iterdir() itself blocks
    for child in root.iterdir():  # error: AFY102
        if child.is_dir():  # error: AFY102
            continue
        names.append(child.read_text())  # error: AFY102
    # rglob() elements are Paths too
    for source in root.rglob("*.py"):  # error: AFY102
        source.lstat()  # error: AFY102
    return names


async def comprehension(root: Path) -> int:
    # a comprehension runs on the loop; its variable comes from iterdir(), so it is a Path
    sizes = [child.stat().st_size for child in root.iterdir()]  # error: AFY102, AFY102
    return sum(sizes)


# --- class attributes --------------------------------------------------------------------


class Workspace:
    # a class attribute annotated in the class body
    root: Path

    def __init__(self, root: Path) -> None:
        self.root = root
        # an attribute assigned from a Path expression in __init__
        self.cache = root / "cache"

    def lockfile(self) -> Path:
        return self.root / ".lock"

    async def prepare(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)  # error: AFY102
        self.cache.mkdir(exist_ok=True)  # error: AFY102
        # a method annotated `-> Path`
        self.lockfile().touch()  # error: AFY102

    async def clear(self) -> None:
        for entry in self.cache.iterdir():  # error: AFY102
            entry.unlink()  # error: AFY102


@dataclass
class Settings:
    # dataclass fields annotated Path
    config_file: Path
    output: Optional[Path] = None

    async def load(self) -> str:
        if self.output is not None:
            self.output.write_text("")  # error: AFY102
        return self.config_file.read_text()  # error: AFY102


async def dataclass_field_on_parameter(settings: Settings) -> bool:
    # a dataclass field read through an instance annotated with the dataclass
    return settings.config_file.exists()  # error: AFY102


class ChildWorkspace(Workspace):
    async def ready(self) -> bool:
        # `root` is annotated on the base class
        return self.root.exists()  # error: AFY102


# --- receivers of unknown type -----------------------------------------------------------


async def unknown_receivers(template, upload, folder, link):  # type: ignore[no-untyped-def]
    # no annotation: reported from the distinctive method name, with lower confidence
    template.read_text()  # error: AFY102 likely
    upload.write_bytes(b"")  # error: AFY102 likely
    folder.iterdir()  # error: AFY102 likely
    link.symlink_to("/tmp/target")  # error: AFY102 likely


# --- where the call sits ----------------------------------------------------------------


async def statement_positions(path: Path) -> str:
    # conditions, returns, f-strings, with-items, try/finally, while, async generators
    while not path.exists():  # error: AFY102
        break
    try:
        text = f"{path.read_text()}"  # error: AFY102
    finally:
        path.unlink(missing_ok=True)  # error: AFY102
    return text


async def lines(path: Path) -> typing.AsyncIterator[str]:
    # an async generator is async code
    for line in path.read_text().splitlines():  # error: AFY102
        yield line


async def receiver_of_offloaded_method(path: Path) -> str:
    # the callable's receiver is evaluated on the loop: resolve() runs before to_thread
    return await asyncio.to_thread(path.resolve().read_text)  # error: AFY102


async def multi_line_call(path: Path) -> None:
    # a call spanning lines is reported on its first line
    path.write_text(  # error: AFY102
        "header\n",
        encoding="utf-8",
    )
