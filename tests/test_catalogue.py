"""The built-in catalogue: every data file is well formed, every entry is unique, names
are the qualified names Python resolves them to, and malformed tables are refused with
an error that names the key."""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from asyncify.catalogue.catalogue import (
    STRATEGIES,
    CatalogueEntry,
    CatalogueError,
    entry_from_table,
    load_builtin_catalogue,
)
from asyncify.catalogue.objects import BlockingClass, class_from_table, returns_from_table
from asyncify.config import ConfigError, parse_table
from asyncify.findings import display_name
from asyncify.rules import all_rules

CODE = re.compile(r"AFY\d{3}")
DATA = resources.files("asyncify.catalogue") / "data"
DATA_FILES = sorted(item.name for item in DATA.iterdir() if item.name.endswith(".toml"))


@dataclass(frozen=True)
class Row:
    file: str
    index: int
    entry: CatalogueEntry


def read_data_file(name: str) -> dict[str, Any]:
    return tomllib.loads((DATA / name).read_text(encoding="utf-8"))


def all_rows() -> list[Row]:
    rows: list[Row] = []
    for name in DATA_FILES:
        table = read_data_file(name)
        for index, row in enumerate(table.get("entry", [])):
            where = f"{name} entry {index + 1}"
            rows.append(Row(name, index + 1, entry_from_table(row, table["family"], table["code"], where)))
    return rows


def test_there_are_data_files() -> None:
    assert len(DATA_FILES) >= 14, DATA_FILES


@pytest.mark.parametrize("name", DATA_FILES)
def test_data_file_is_well_formed(name: str) -> None:
    table = read_data_file(name)
    assert {"family", "code"} <= set(table) <= {"family", "code", "entry", "class", "returns"}, sorted(table)
    assert isinstance(table["family"], str) and table["family"], name
    assert isinstance(table["code"], str) and CODE.fullmatch(table["code"]), name
    rows = table.get("entry", [])
    assert isinstance(rows, list) and (rows or table.get("class")), f"{name} has no [[entry]] or [[class]] rows"
    for index, row in enumerate(table.get("class", [])):
        cls = class_from_table(row, table["family"], table["code"], f"{name} class {index + 1}")
        assert CODE.fullmatch(cls.code), f"{name} class {index + 1}: code {cls.code!r}"
    returns_from_table(table.get("returns", {}), f"{name} returns")
    for index, row in enumerate(rows):
        entry = entry_from_table(row, table["family"], table["code"], f"{name} entry {index + 1}")
        assert CODE.fullmatch(entry.code), f"{name} entry {index + 1}: code {entry.code!r}"
        assert all(part.isidentifier() for part in entry.name.split(".")), entry.name


def test_one_family_and_one_code_per_file() -> None:
    families: dict[str, str] = {}
    codes: dict[str, str] = {}
    for name in DATA_FILES:
        table = read_data_file(name)
        assert table["family"] not in families, f"family {table['family']!r} in {name} and {families[table['family']]}"
        assert table["code"] not in codes, f"code {table['code']} in {name} and {codes[table['code']]}"
        families[table["family"]] = name
        codes[table["code"]] = name


def test_no_entry_is_listed_twice() -> None:
    seen: dict[str, list[str]] = defaultdict(list)
    for row in all_rows():
        seen[row.entry.name].append(f"{row.file} entry {row.index}")
    twice = {name: places for name, places in seen.items() if len(places) > 1}
    assert not twice, f"listed more than once: {twice}"


def test_builtin_catalogue_holds_every_row() -> None:
    catalogue = load_builtin_catalogue()
    rows = all_rows()
    assert len(catalogue) == len(rows)
    for row in rows:
        assert catalogue.lookup(row.entry.name) == row.entry


def test_every_entry_code_has_a_rule() -> None:
    rules = all_rules()
    missing = sorted({f"{e.code} ({e.name})" for e in load_builtin_catalogue().entries() if e.code not in rules})
    assert not missing, f"catalogue codes without a rule module: {missing}"


def test_every_catalogue_rule_has_entries() -> None:
    catalogue = load_builtin_catalogue()
    codes = {e.code for e in catalogue.entries()} | {c.code for c in catalogue.classes()}
    # AFY190 takes its entries from configuration; indirect rules are found by analysis.
    expected = {code for code, rule in all_rules().items() if not rule.indirect and code != "AFY190"}
    assert expected - codes == set(), f"rules with no catalogue entry: {sorted(expected - codes)}"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("builtins.open", "AFY101"),
        ("io.open", "AFY101"),
        ("pathlib.Path.open", "AFY101"),
        ("os.fdopen", "AFY101"),
        ("pathlib.Path.read_text", "AFY102"),
        ("pathlib.Path.exists", "AFY102"),
        ("os.path.exists", "AFY103"),
        ("os.listdir", "AFY103"),
        ("shutil.rmtree", "AFY104"),
        ("tempfile.mkdtemp", "AFY105"),
        ("glob.glob", "AFY106"),
        ("json.load", "AFY107"),
        ("yaml.safe_load", "AFY107"),
        ("time.sleep", "AFY110"),
        ("subprocess.run", "AFY120"),
        ("os.system", "AFY120"),
        ("os.waitpid", "AFY120"),
        ("requests.get", "AFY130"),
        ("requests.Session.get", "AFY130"),
        ("httpx.Client.post", "AFY130"),
        ("http.client.HTTPConnection.getresponse", "AFY130"),
        ("urllib.request.urlopen", "AFY130"),
        ("socket.getaddrinfo", "AFY131"),
        ("socket.socket.recv", "AFY131"),
        ("sqlite3.connect", "AFY140"),
        ("builtins.input", "AFY150"),
        ("threading.Lock.acquire", "AFY151"),
        ("queue.Queue.get", "AFY151"),
    ],
)
def test_known_blocking_calls(name: str, code: str) -> None:
    entry = load_builtin_catalogue().lookup(name)
    assert entry is not None, f"{name} is not in the catalogue"
    assert entry.code == code


@pytest.mark.parametrize(
    "name",
    [
        # string functions and process state: no disk access
        "os.path.join",
        "os.path.basename",
        "os.path.dirname",
        "os.path.splitext",
        "os.path.normpath",
        "os.path.abspath",
        "os.getcwd",
        "pathlib.Path.absolute",
        "pathlib.Path.expanduser",
        "pathlib.Path.cwd",
        "pathlib.Path.home",
        "pathlib.Path.with_suffix",
        "pathlib.Path.joinpath",
        "tempfile.gettempdir",
        "socket.socket.makefile",
        "sqlite3.Connection.cursor",
        # async APIs share method names with blocking ones
        "asyncio.sleep",
        "httpx.AsyncClient.get",
        # the class paths the scanner normalises away
        "pathlib.PosixPath.read_text",
        "pathlib.WindowsPath.read_text",
    ],
)
def test_near_misses_are_not_listed(name: str) -> None:
    assert load_builtin_catalogue().lookup(name) is None


def test_strategies() -> None:
    for entry in load_builtin_catalogue().entries():
        assert set(entry.strategies) <= set(STRATEGIES), entry
        assert len(set(entry.strategies)) == len(entry.strategies), f"{entry.name}: repeated strategy"
        if not entry.strategies:
            assert entry.message, f"{entry.name} has no fix strategy, so its message must say what to do"
        if "sleep" in entry.strategies:
            assert entry.name == "time.sleep", entry.name
    catalogue = load_builtin_catalogue()
    for name in ("builtins.open", "io.open", "pathlib.Path.open"):
        assert catalogue.lookup(name).strategies == ("aiofiles", "wrap")  # type: ignore[union-attr]
    assert catalogue.lookup("time.sleep").strategies == ("sleep", "wrap")  # type: ignore[union-attr]
    assert catalogue.lookup("os.listdir").strategies == ("wrap",)  # type: ignore[union-attr]


def test_entry_messages_name_the_call() -> None:
    """An entry's message replaces the rule's whole and is shown as written (the detector
    does not format it), so it names the call itself and carries no template braces."""
    for entry in load_builtin_catalogue().entries():
        if entry.message is not None:
            assert "{" not in entry.message and "}" not in entry.message, entry.name
            assert display_name(entry.name) in entry.message, entry.name


def test_guesses_are_distinctive_methods() -> None:
    catalogue = load_builtin_catalogue()
    by_method: dict[str, list[str]] = defaultdict(list)
    for entry in catalogue.entries():
        if entry.guess:
            owner = entry.name.split(".")[-2]
            assert owner[:1].isupper(), f"{entry.name}: only methods of a class can be guessed"
            by_method[entry.method].append(entry.name)
    assert {m: n for m, n in by_method.items() if len(n) > 1} == {}
    assert {
        "read_text",
        "write_text",
        "read_bytes",
        "write_bytes",
        "iterdir",
        "mkdir",
        "unlink",
    } <= catalogue.guess_methods
    # common names on non-path objects must not be guessed from the name alone
    assert not catalogue.guess_methods & {"exists", "open", "stat", "replace", "rename", "group", "resolve", "get"}


def test_thread_affine_and_likely_flags() -> None:
    catalogue = load_builtin_catalogue()
    sqlite = [e for e in catalogue.entries() if e.name.startswith("sqlite3.")]
    assert sqlite and all(e.thread_affine for e in sqlite)
    assert [e.name for e in catalogue.entries() if e.thread_affine and e.family not in {"database", "lock-wait"}] == []
    yaml_entries = [e for e in catalogue.entries() if e.name.startswith("yaml.")]
    assert yaml_entries and all(e.likely for e in yaml_entries)
    assert not catalogue.lookup("json.load").likely  # type: ignore[union-attr]


# Names that do not resolve on every Python or platform the tool runs on.
NOT_EVERYWHERE = {
    "pathlib.Path.is_junction": "3.12+",
    "pathlib.Path.walk": "3.12+",
    "pathlib.Path.link_to": "removed in 3.12",
    "pathlib.Path.copy": "3.14+",
    "pathlib.Path.copy_into": "3.14+",
    "pathlib.Path.move": "3.14+",
    "pathlib.Path.move_into": "3.14+",
    "os.path.isjunction": "3.12+",
    "os.path.isdevdrive": "3.12+",
    "os.lchmod": "not on Linux",
    "os.fwalk": "Unix",
    "os.statvfs": "Unix",
    "os.fstatvfs": "Unix",
    "os.sync": "Unix",
    "os.fdatasync": "not on macOS or Windows",
    "os.posix_fallocate": "not on macOS or Windows",
    "os.copy_file_range": "Linux",
    "os.splice": "Linux",
    "os.listxattr": "Linux",
    "os.getxattr": "Linux",
    "os.setxattr": "Linux",
    "os.removexattr": "Linux",
    "os.mkfifo": "Unix",
    "os.mknod": "Unix",
    "os.readv": "Unix",
    "os.writev": "Unix",
    "os.pread": "Unix",
    "os.pwrite": "Unix",
    "os.sendfile": "Unix",
    "os.lchown": "Unix",
    "os.fchown": "Unix",
    "os.chown": "Unix",
    "os.fchmod": "Unix before 3.13",
    "os.spawnlp": "Unix",
    "os.spawnlpe": "Unix",
    "os.spawnvp": "Unix",
    "os.spawnvpe": "Unix",
    "os.posix_spawn": "Unix",
    "os.posix_spawnp": "Unix",
    "os.wait": "Unix",
    "os.wait3": "Unix",
    "os.wait4": "Unix",
    "os.waitid": "Unix",
}
# Third-party packages the catalogue names: import name -> the distribution that provides
# it. The `test` extra installs them (through pyproject's `catalogue` extra), so every
# entry is resolved against the real library; a missing one fails the test rather than
# skipping it, except the packages pip cannot install on its own.
THIRD_PARTY = {
    "requests": "requests", "httpx": "httpx", "httpx2": "httpx2", "urllib3": "urllib3",
    "yaml": "pyyaml", "dotenv": "python-dotenv", "tomli": "tomli", "tomli_w": "tomli-w",
    "toml": "toml", "psycopg2": "psycopg2-binary", "psycopg": "psycopg[binary]",
    "pymysql": "pymysql", "MySQLdb": "mysqlclient", "mysql": "mysql-connector-python",
    "oracledb": "oracledb", "pymssql": "pymssql", "pymongo": "pymongo", "redis": "redis",
    "sqlalchemy": "sqlalchemy", "elasticsearch": "elasticsearch", "boto3": "boto3",
    "botocore": "botocore", "google": "google-cloud-storage", "azure": "azure-storage-blob",
    "pycognito": "pycognito", "paramiko": "paramiko", "pika": "pika", "kafka": "kafka-python",
    "pytz": "pytz", "PIL": "pillow", "pandas": "pandas",
}  # fmt: skip
NOT_INSTALLABLE = {
    "MySQLdb": "mysqlclient compiles against the MySQL C client library, which pip cannot install",
}


def require_installed(name: str) -> None:
    """Skip for a package pip cannot install; fail for one the test extra should have."""
    top = name.split(".")[0]
    if top in THIRD_PARTY and importlib.util.find_spec(top) is None:
        if top in NOT_INSTALLABLE:
            pytest.skip(f"{top}: {NOT_INSTALLABLE[top]}")
        raise AssertionError(f"{name}: {THIRD_PARTY[top]} is not installed (pip install -e '.[test]')")


# Public names that are factory functions at runtime; the methods live on what they return.
FACTORIES = {"threading.Lock", "threading.RLock"}


def resolve(name: str) -> object:
    """The runtime object a catalogue name denotes; raises LookupError if there is none."""
    parts = name.split(".")
    for split in range(len(parts) - 1, 0, -1):
        module_name = ".".join(parts[:split])
        try:
            obj: object = importlib.import_module(module_name)
        except ImportError:
            continue
        for index, attr in enumerate(parts[split:], start=split):
            if ".".join(parts[:index]) in FACTORIES:
                obj = type(obj())  # type: ignore[operator]
            if not hasattr(obj, attr):
                raise LookupError(f"{'.'.join(parts[:index])} has no attribute {attr!r}")
            obj = getattr(obj, attr)
        return obj
    raise ModuleNotFoundError(parts[0])


@pytest.mark.parametrize("row", all_rows(), ids=lambda r: r.entry.name)
def test_names_are_what_python_resolves(row: Row) -> None:
    name = row.entry.name
    top = name.split(".")[0]
    require_installed(name)
    try:
        resolve(name)
    except (LookupError, ModuleNotFoundError) as error:
        if name in NOT_EVERYWHERE:
            pytest.skip(f"{name}: {NOT_EVERYWHERE[name]}")
        raise AssertionError(f"{row.file} entry {row.index}: {name} does not resolve ({error})") from None
    assert top in THIRD_PARTY or top in sys.stdlib_module_names, f"{name}: unknown top-level package {top!r}"


CLASSES = load_builtin_catalogue().classes()


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.names[0])
def test_blocking_classes_are_what_python_resolves(cls: BlockingClass) -> None:
    """Every name of a blocking class is a class; every method it lists exists on one of
    them; the types of its items and attributes are classes too."""
    require_installed(cls.names[0])
    runtime = []
    for name in cls.names:
        obj = resolve(name)
        assert isinstance(obj, type), f"{name} is not a class ({obj!r})"
        runtime.append(obj)
    for method in sorted(cls.non_blocking | cls.blocking | cls.properties):
        assert any(hasattr(obj, method) for obj in runtime), f"{cls.names[0]} has no attribute {method!r}"
    for typed in (cls.item, cls.attribute):
        if typed is not None:
            assert isinstance(resolve(typed), type), f"{cls.names[0]}: {typed} is not a class"


RETURNS = sorted(row for name in DATA_FILES for row in read_data_file(name).get("returns", {}).items())


@pytest.mark.parametrize(("made_by", "typed"), RETURNS, ids=[name for name, _ in RETURNS])
def test_returned_types_are_what_python_resolves(made_by: str, typed: str) -> None:
    """A ``[returns]`` row names a callable and the class it returns."""
    require_installed(made_by)
    assert callable(resolve(made_by)), made_by
    assert isinstance(resolve(typed), type), f"{made_by} returns {typed}, which is not a class"


def test_the_catalogue_extra_installs_every_library() -> None:
    """pyproject's `catalogue` extra names every distribution THIRD_PARTY lists."""
    project = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8"))
    extras = project["project"]["optional-dependencies"]
    listed = {re.split(r"[<>=;\s]", requirement)[0].lower() for requirement in extras["catalogue"]}
    wanted = {dist.lower() for top, dist in THIRD_PARTY.items() if top not in NOT_INSTALLABLE}
    assert wanted - listed == set()
    assert any("[catalogue]" in requirement for requirement in extras["test"])


def test_not_everywhere_names_are_in_the_catalogue() -> None:
    catalogue = load_builtin_catalogue()
    assert [name for name in NOT_EVERYWHERE if catalogue.lookup(name) is None] == []


def test_resolver_rejects_a_misspelt_name() -> None:
    with pytest.raises(LookupError):
        resolve("os.path.getmtim")
    with pytest.raises(LookupError):
        resolve("threading.Lock.aquire")
    assert resolve("threading.Lock.acquire") is not None


# --- malformed tables ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "key"),
    [
        ({"name": "mylib.fetch", "strategy": ["wrap"]}, "'strategy'"),
        ({"name": "mylib.fetch", "thread_affine": True}, "'thread_affine'"),
        ({"name": "mylib.fetch", "strategies": ["thread"]}, "'strategies'"),
        ({"name": "mylib.fetch", "strategies": "wrap"}, "'strategies'"),
        ({"name": "mylib.fetch", "guess": "yes"}, "'guess'"),
        ({"name": "mylib.fetch", "thread-affine": 1}, "'thread-affine'"),
        ({"name": "mylib.fetch", "code": 101}, "'code'"),
        ({"name": "mylib.fetch", "message": ["no"]}, "'message'"),
        ({"name": ".fetch"}, "'name'"),
        ({"strategies": ["wrap"]}, "'name'"),
    ],
)
def test_malformed_table_names_the_key(table: dict[str, Any], key: str) -> None:
    with pytest.raises(CatalogueError) as raised:
        entry_from_table(table, "extra", "AFY190", "test.toml entry 1")
    assert key in str(raised.value)
    assert "test.toml entry 1" in str(raised.value)


def test_well_formed_table() -> None:
    entry = entry_from_table(
        {"name": "mylib.Client.fetch", "strategies": ["wrap"], "guess": True, "thread-affine": True},
        "extra",
        "AFY190",
        "here",
    )
    assert entry == CatalogueEntry(
        name="mylib.Client.fetch", code="AFY190", family="extra", strategies=("wrap",), guess=True, thread_affine=True
    )
    assert entry.method == "fetch"


def test_bad_extra_blocking_call_in_configuration(tmp_path: Path) -> None:
    where = tmp_path / "pyproject.toml"
    with pytest.raises(ConfigError, match="'strategies'"):
        parse_table({"extra-blocking-calls": [{"name": "mylib.fetch", "strategies": ["nope"]}]}, where)
    config = parse_table({"extra-blocking-calls": [{"name": "mylib.fetch"}]}, where)
    extended = load_builtin_catalogue().extended(list(config.extra_blocking_calls))
    entry = extended.lookup("mylib.fetch")
    assert entry is not None and entry.code == "AFY190" and entry.code in all_rules()
