from asyncify.rules.base import Rule


class BlockingInput(Rule):
    """`input()` in async code stops the event loop until someone presses Enter.

    ## What it finds
    Calls to the builtin `input` and to `getpass.getpass` made directly in an
    `async def`.

    ## Why it is a problem
    Reading from the terminal waits for a person. Until they answer, the event loop
    runs nothing: no timers, no network traffic, no other task.

    ## Fix
    `wrap` (default): `answer = await asyncio.to_thread(input, f"Deploy to {target}? [y/N] ")`
    (`anyio.to_thread.run_sync` / `trio.to_thread.run_sync` in anyio/trio projects).

    ## Fix safety
    Safe while the program runs. A pending `input()` cannot be cancelled: if the task is
    cancelled, the thread keeps waiting, and `asyncio.run` waits for the default
    executor on exit, so the program ends only after the next line of input.
    """

    code = "AFY150"
    name = "blocking-input"
    message = "`{call}` waits for terminal input on the event loop"
    noqa = ("ASYNC250",)
    INVALID = (
        """\
async def confirm_deploy(target):
    answer = input(f"Deploy to {target}? [y/N] ")
    return answer.strip().lower() == "y"
""",
    )
    VALID = (
        """\
import asyncio


async def confirm_deploy(target):
    answer = await asyncio.to_thread(input, f"Deploy to {target}? [y/N] ")
    return answer.strip().lower() == "y"
""",
    )
