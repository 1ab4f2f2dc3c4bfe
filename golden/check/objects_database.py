"""AFY140 blocking-database: client objects of database libraries, and the objects derived
from them (a pymongo client's databases and collections, an engine's connections).

Golden detection file: each expected finding is marked at the end of its line.
"""

import pymongo
import redis
import sqlalchemy
from elasticsearch import Elasticsearch
from pymongo import MongoClient
from pymongo.collection import Collection
from sqlalchemy.orm import Session


async def mongo(name: str) -> object:
    client = MongoClient("mongodb://db")
    items = client["shop"]["items"]
    items.insert_one({"name": name})  # error: AFY140
    client.shop.orders.delete_many({})  # error: AFY140
    database = client.get_database("shop")
    database.list_collection_names()  # error: AFY140
    return database.get_collection("items").find_one({"name": name})  # error: AFY140


async def annotated_collection(coll: Collection) -> int:
    return coll.count_documents({})  # error: AFY140


class Store:
    def __init__(self) -> None:
        self.client = pymongo.MongoClient()
        self.cache = redis.Redis(host="cache")

    async def find(self, key: str) -> object:
        cached = self.cache.get(key)  # error: AFY140
        if cached is None:
            cached = self.client["db"]["coll"].find_one({"key": key})  # error: AFY140
        return cached

    async def batch(self, keys: list[str]) -> None:
        pipe = self.cache.pipeline()
        for key in keys:
            pipe.delete(key)
        pipe.execute()  # error: AFY140


async def from_url(key: str) -> None:
    cache = redis.from_url("redis://cache")
    cache.set(key, "1")  # error: AFY140


async def orm(session: Session, engine: sqlalchemy.Engine) -> None:
    session.add(object())
    session.commit()  # error: AFY140
    with engine.connect() as connection:  # error: AFY140
        connection.execute(sqlalchemy.text("SELECT 1"))  # error: AFY140


async def search(es: Elasticsearch) -> None:
    es.search(index="logs", query={"match_all": {}})  # error: AFY140
    es.options(request_timeout=5)


async def plain_attributes(client: MongoClient, coll: Collection) -> str:
    # attributes that are values, not databases or collections: string work only
    database = client.shop
    return client.address[0].upper() + database.name.lower() + coll.name.title()


async def drivers(dsn: str) -> None:
    import psycopg
    import psycopg2
    import pymysql

    conn = psycopg2.connect(dsn)  # error: AFY140
    cursor = conn.cursor()
    cursor.execute("SELECT 1")  # error: AFY140
    cursor.mogrify("SELECT %s", (1,))
    modern = psycopg.connect(dsn)  # error: AFY140
    modern.execute("SELECT 1")  # error: AFY140
    mysql = pymysql.connect(host="db")  # error: AFY140
    with mysql.cursor() as rows:
        rows.execute("SELECT 1")  # error: AFY140
        rows.fetchall()  # error: AFY140
