"""Near misses: the async counterparts of blocking APIs, awaited. Nothing is reported."""

import asyncio

import aiofiles
import aiofiles.os
import anyio
import httpx


async def files(path: str) -> str:
    async with aiofiles.open(path) as handle:
        text = await handle.read()
    if await aiofiles.os.path.exists(path):
        await aiofiles.os.remove(path)
    async with await anyio.open_file(path, "w") as out:
        await out.write(text)
    return text


async def http(url: str) -> str:
    async with httpx.AsyncClient() as client:
        response = await client.get(url)
    return response.text


async def processes() -> bytes:
    proc = await asyncio.create_subprocess_exec("git", "status", stdout=asyncio.subprocess.PIPE)
    out, _ = await proc.communicate()
    await proc.wait()
    return out


async def network(host: str) -> None:
    reader, writer = await asyncio.open_connection(host, 80)
    writer.write(b"PING\r\n")
    await writer.drain()
    await reader.readline()
    loop = asyncio.get_running_loop()
    await loop.getaddrinfo(host, 443)


async def synchronisation(lock: asyncio.Lock, queue: asyncio.Queue, event: asyncio.Event) -> object:
    await lock.acquire()
    lock.release()
    await event.wait()
    item = await queue.get()
    await queue.put(item)
    return item


async def sleeping() -> None:
    await asyncio.sleep(0.1)
    await anyio.sleep(0.1)
