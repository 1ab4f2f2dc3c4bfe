"""AFY107 blocking-file-serialisation: (de)serialisers reading or writing a file object.

Golden detection file: each expected finding is marked at the end of its line. The
open() that produced the handle is reported as well (AFY101). Serialisers over strings
(json.loads, tomllib.loads, pickle.dumps, ...) are not reported.
"""

import csv
import hashlib
import json
import marshal
import pickle
import plistlib
import tomllib
from json import dump as write_json, load as read_json
from pathlib import Path

import tomli
import yaml
from dotenv import load_dotenv


async def json_forms(path: str, data: dict) -> dict:
    # `import json`: load and dump over handles
    with open(path) as handle:  # error: AFY101
        loaded = json.load(handle)  # error: AFY107
    with open(path, "w") as handle:  # error: AFY101
        json.dump(data, handle, indent=2)  # error: AFY107
    # `from json import load as read_json, dump as write_json`, nested in the open call
    extra = read_json(open(path))  # error: AFY107, AFY101
    write_json(extra, open(path, "w"))  # error: AFY107, AFY101
    return loaded


async def pickles(path: Path, model: object) -> object:
    # the handle comes from Path.open (AFY101)
    with path.open("wb") as out:  # error: AFY101
        pickle.dump(model, out)  # error: AFY107
    with path.open("rb") as src:  # error: AFY101
        return pickle.load(src)  # error: AFY107


async def toml_files(path: str) -> dict:
    with open(path, "rb") as handle:  # error: AFY101
        config = tomllib.load(handle)  # error: AFY107
    with open(path, "rb") as handle:  # error: AFY101
        config |= tomli.load(handle)  # error: AFY107
    # parsing a string is not I/O
    config |= tomllib.loads("x = 1")
    return config


async def yaml_files(path: str, data: dict) -> dict:
    # PyYAML blocks only over a stream: reported with lower confidence
    with open(path) as stream:  # error: AFY101
        loaded = yaml.safe_load(stream)  # error: AFY107 likely
    with open(path, "w") as stream:  # error: AFY101
        yaml.safe_dump(data, stream)  # error: AFY107 likely
    return loaded


async def csv_rows(path: str) -> list[list[str]]:
    # the rows are read while the reader is iterated; lower confidence (a StringIO is fine)
    with open(path, newline="") as handle:  # error: AFY101
        return [row for row in csv.reader(handle)]  # error: AFY107 likely


async def digests_and_others(path: str) -> str:
    with open(path, "rb") as handle:  # error: AFY101
        digest = hashlib.file_digest(handle, "sha256").hexdigest()  # error: AFY107
    with open(path, "rb") as handle:  # error: AFY101
        marshal.load(handle)  # error: AFY107
    with open(path, "rb") as handle:  # error: AFY101
        plistlib.load(handle)  # error: AFY107
    return digest


async def dotenv_file() -> None:
    # python-dotenv reads (and searches for) a .env file
    load_dotenv(".env")  # error: AFY107


async def strings_are_not_reported(text: str) -> str:
    return json.dumps(json.loads(text)) + str(pickle.loads(pickle.dumps(text)))
