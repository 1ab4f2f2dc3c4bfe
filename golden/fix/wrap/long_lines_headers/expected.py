"""Line length 72 (options.toml): a ternary gets black's parentheses, a `with` item is
split before `as`."""

import asyncio
import subprocess


async def deploy(client, target, names):
    output = (
        client.cached(target)
        if client
        else await asyncio.to_thread(
            subprocess.check_output, ["ls", target]
        )
    )
    with await asyncio.to_thread(
        subprocess.Popen, ["tail", "-f", target], stdout=subprocess.PIPE
    ) as tail:
        return output, tail
