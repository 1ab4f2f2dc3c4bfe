from app.downloader import Downloader, default_downloader


class Runner:
    def __init__(self, downloader: Downloader) -> None:
        self.downloader = downloader

    async def run(self, names: list[str]) -> None:
        paths = await self.downloader.download_scripts(names)
        for name, p in paths.items():
            p.read_text()
        for p in paths.values():
            p.unlink()
        paths["main"].stat()
        newest = await self.downloader.newest()
        newest.exists()
        for item in self.downloader.listing():
            item.read_bytes()
        first, count = self.downloader.pair()
        first.is_file()
        self.downloader.pair()[0].touch()
        for found in self.downloader.walk():
            found.is_dir()
        self.downloader.settings.root.mkdir()

    async def near_misses(self, names: list[str]) -> None:
        pending = self.downloader.newest()
        pending.exists()
        paths = await self.downloader.download_scripts(names)
        for key in paths:
            key.exists()
        for value in self.downloader.settings.names.values():
            value.exists()
        number, where = self.downloader.flipped()
        number.exists()
        where.exists()
        self.downloader.untyped().exists()


async def module_function() -> None:
    downloader = default_downloader()
    scripts = await downloader.download_scripts(["a"])
    scripts["a"].read_text()
