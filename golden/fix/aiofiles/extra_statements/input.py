import io
import logging

log = logging.getLogger(__name__)


async def copy(src, dst):
    log.info("copying %s", src)
    with io.open(src, "rb") as a, open(dst, "wb") as b:
        log.debug("opened %s", a.name)
        data = a.read()
        b.write(data)
        b.seek(0)
    log.info("done")
