"""The project's line length is 72 (options.toml): grown statements are split as black would."""

import asyncio
import os
import shutil
import subprocess


class Deployer:
    async def deploy(self, source, target, names):
        commit = (
            (
                await asyncio.to_thread(
                    subprocess.check_output,
                    ["git", "rev-parse", "HEAD"],
                )
            )
            .strip()
            .decode("ascii")
        )
        await asyncio.to_thread(
            shutil.copytree,
            source,
            target,
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns("*.pyc"),
        )
        if (
            await asyncio.to_thread(
                os.path.exists, os.path.join(target, "deploy.lock")
            )
            and names
        ):
            return None
        for entry in await asyncio.to_thread(
            os.listdir, os.path.join(target, "releases", commit)
        ):
            print(entry)
        sizes = [
            await asyncio.to_thread(
                os.path.getsize, os.path.join(target, name)
            )
            for name in names
            if name
        ]
        print(
            f"{await asyncio.to_thread(os.path.getsize, os.path.join(target, 'releases', commit))} bytes"
        )
        already_a_long_line_the_file_had = "it stays as it is, untouched by the fix"
        return commit
