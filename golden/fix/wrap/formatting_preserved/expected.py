# A header comment that must stay.
import asyncio
import subprocess   # trailing comment


async def run(cmd):
    # before the call
    out = await asyncio.to_thread(
        subprocess.check_output, cmd, shell = False
    )  # after the call
    result = await asyncio.to_thread(
        subprocess.run,
        cmd,
        capture_output=True,  # keep this comment
        check=False,
    )
    value = (await asyncio.to_thread(subprocess.getoutput, cmd))
    return out,   result, value  # odd spacing stays
