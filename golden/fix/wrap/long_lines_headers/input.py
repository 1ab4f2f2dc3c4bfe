"""Line length 72 (options.toml): a ternary gets black's parentheses, a `with` item is
split before `as`."""

import subprocess


async def deploy(client, target, names):
    output = client.cached(target) if client else subprocess.check_output(["ls", target])
    with subprocess.Popen(["tail", "-f", target], stdout=subprocess.PIPE) as tail:
        return output, tail
