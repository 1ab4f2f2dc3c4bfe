"""Near misses for blocking objects: async clients with the same method names, in-memory
files, objects used off the loop. Nothing is reported."""

import asyncio
import io

import aiobotocore.session
import aiofiles
import httpx
import motor.motor_asyncio
import redis.asyncio
import redis.asyncio as aioredis
from pymongo import AsyncMongoClient
from sqlalchemy.ext.asyncio import AsyncSession


async def async_http(url: str) -> bytes:
    async with httpx.AsyncClient() as client:
        response = await client.get(url)
        await client.aclose()
    return response.content


async def async_redis(key: str) -> object:
    cache = redis.asyncio.Redis()
    other = aioredis.from_url("redis://localhost")
    await other.set(key, "1")
    return await cache.get(key)


async def async_mongo(name: str) -> object:
    client = motor.motor_asyncio.AsyncIOMotorClient()
    native = AsyncMongoClient()
    await native["db"]["items"].insert_one({"name": name})
    return await client["db"]["items"].find_one({"name": name})


async def async_aws(key: str) -> None:
    session = aiobotocore.session.get_session()
    async with session.create_client("s3") as s3:
        await s3.put_object(Bucket="b", Key=key, Body=b"")


async def async_files(path: str) -> str:
    async with aiofiles.open(path) as handle:
        return await handle.read()


async def in_memory() -> str:
    buffer = io.StringIO()
    buffer.write("text")
    data = io.BytesIO(b"raw")
    data.read()
    return buffer.getvalue()


async def async_orm(session: AsyncSession) -> None:
    await session.execute("SELECT 1")
    await session.commit()


async def handed_to_a_thread(path: str) -> str:
    def read_all() -> str:
        with open(path) as handle:
            return handle.read()

    return await asyncio.to_thread(read_all)
