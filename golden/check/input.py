"""AFY150 blocking-input: reading from the terminal in async code.

Golden detection file: each expected finding is marked at the end of its line.
"""

import builtins
import getpass
from getpass import getpass as ask_secret


async def login() -> tuple[str, str]:
    # the builtin, through `builtins`, and getpass in two import forms
    user = input("user: ")  # error: AFY150
    again = builtins.input("confirm: ")  # error: AFY150
    secret = getpass.getpass()  # error: AFY150
    token = ask_secret("token: ")  # error: AFY150
    return user + again, secret + token


async def confirm(question: str) -> bool:
    # in a loop condition
    while input(f"{question} [y/n] ") not in ("y", "n"):  # error: AFY150
        pass
    return True


class Prompt:
    async def ask(self, text: str) -> str:
        return input(text).strip()  # error: AFY150
