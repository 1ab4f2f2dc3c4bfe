"""The project's line length is 72 (options.toml): grown statements are split as black would."""

import os
import shutil
import subprocess


class Deployer:
    async def deploy(self, source, target, names):
        commit = subprocess.check_output(["git", "rev-parse", "HEAD"]).strip().decode("ascii")
        shutil.copytree(source, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.pyc"))
        if os.path.exists(os.path.join(target, "deploy.lock")) and names:
            return None
        for entry in os.listdir(os.path.join(target, "releases", commit)):
            print(entry)
        sizes = [os.path.getsize(os.path.join(target, name)) for name in names if name]
        print(f"{os.path.getsize(os.path.join(target, 'releases', commit))} bytes")
        already_a_long_line_the_file_had = "it stays as it is, untouched by the fix"
        return commit
