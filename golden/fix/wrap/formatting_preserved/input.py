# A header comment that must stay.
import subprocess   # trailing comment


async def run(cmd):
    # before the call
    out = subprocess.check_output( cmd ,  shell = False )  # after the call
    result = subprocess.run(
        cmd,
        capture_output=True,  # keep this comment
        check=False,
    )
    value = (subprocess.getoutput(cmd))
    return out,   result, value  # odd spacing stays
