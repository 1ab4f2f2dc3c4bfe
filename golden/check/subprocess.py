"""AFY120 blocking-subprocess: starting and waiting for processes in async code.

Golden detection file: each expected finding is marked at the end of its line.
"""

import os
import subprocess
import subprocess as sp
from os import system
from subprocess import PIPE, Popen, check_output as capture


async def run_tools() -> str:
    # `import subprocess` and the attribute chain
    subprocess.run(["git", "fetch"], check=True)  # error: AFY120
    subprocess.check_call(["make"])  # error: AFY120
    subprocess.call("true", shell=True)  # error: AFY120
    # `import subprocess as sp`
    sp.getoutput("uname -a")  # error: AFY120
    # `from subprocess import check_output as capture`
    return capture(["git", "rev-parse", "HEAD"]).decode()  # error: AFY120


async def popen(command: list[str]) -> bytes:
    # Popen itself, and the waits on the instance it returns
    proc = Popen(command, stdout=PIPE)  # error: AFY120
    out, _ = proc.communicate(timeout=30)  # error: AFY120
    proc.wait()  # error: AFY120
    return out


async def typed_process(proc: subprocess.Popen) -> int:
    # a parameter annotated with the Popen class
    return proc.wait()  # error: AFY120


async def os_processes(pid: int) -> None:
    # `import os` and `from os import system`
    os.system("sync")  # error: AFY120
    system("sync")  # error: AFY120
    listing = os.popen("ls").read()  # error: AFY120
    os.waitpid(pid, 0)  # error: AFY120
    os.spawnlp(os.P_WAIT, "true", "true")  # error: AFY120
    del listing


class Builder:
    def __init__(self, command: list[str]) -> None:
        self.command = command

    async def build(self) -> None:
        sp.run(self.command, check=True)  # error: AFY120
