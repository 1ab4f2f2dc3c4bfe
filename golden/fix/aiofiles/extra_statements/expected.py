import io
import logging

import aiofiles

log = logging.getLogger(__name__)


async def copy(src, dst):
    log.info("copying %s", src)
    async with aiofiles.open(src, "rb") as a, aiofiles.open(dst, "wb") as b:
        log.debug("opened %s", a.name)
        data = await a.read()
        await b.write(data)
        await b.seek(0)
    log.info("done")
