from asyncify.rules.base import Rule


class BlockingSubprocess(Rule):
    """Starting or waiting for a process synchronously in async code.

    ## What it finds
    Calls in an `async def` to `subprocess.run`, `call`, `check_call`, `check_output`,
    `getoutput`, `getstatusoutput`, `subprocess.Popen` and its `wait` and
    `communicate` methods, and to `os.system`, `os.popen`, `os.spawn*`,
    `os.posix_spawn`/`posix_spawnp` and `os.wait`, `wait3`, `wait4`, `waitpid`,
    `waitid`.

    ## Why it is a problem
    Most of these wait for the child process to finish: the event loop stops for as
    long as the command runs, which for a build, a download or a hung command is
    seconds to forever. Even `Popen` alone forks and execs on the loop thread.

    ## Fix
    `wrap` (default):
    `result = await asyncio.to_thread(subprocess.run, ["git", "rev-parse", "HEAD"], capture_output=True, check=True)`
    (`anyio.to_thread.run_sync` / `trio.to_thread.run_sync` in anyio/trio projects).
    Not automated, and often better for long-running or streaming processes:
    `asyncio.create_subprocess_exec` (`anyio.run_process`, `trio.run_process`), whose
    API differs (byte streams, `await proc.wait()`).

    ## Fix safety
    Safe: the same command runs with the same arguments and result. Cancelling the
    waiting task does not stop the child: the thread keeps waiting for it and the
    process runs to completion. Review calls that pass `preexec_fn`, which Python
    documents as unsafe in a process that has threads.
    """

    code = "AFY120"
    name = "blocking-subprocess"
    message = "`{call}` runs or waits for a process on the event loop"
    noqa = ("ASYNC220", "ASYNC221", "ASYNC222")
    INVALID = (
        """\
import subprocess


async def current_commit():
    result = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, check=True)
    return result.stdout.decode().strip()
""",
    )
    VALID = (
        """\
import asyncio


async def current_commit():
    process = await asyncio.create_subprocess_exec(
        "git", "rev-parse", "HEAD", stdout=asyncio.subprocess.PIPE
    )
    stdout, _ = await process.communicate()
    return stdout.decode().strip()
""",
    )
