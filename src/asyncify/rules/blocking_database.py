from asyncify.rules.base import Rule


class BlockingDatabase(Rule):
    """A synchronous database driver call made on the event loop.

    ## What it finds
    Calls in an `async def` to `sqlite3.connect` and to the `sqlite3.Connection`
    (`execute`, `executemany`, `executescript`, `commit`, `rollback`, `backup`) and
    `sqlite3.Cursor` (`execute*`, `fetchone`, `fetchmany`, `fetchall`) methods that
    reach the database; to `connect` of `psycopg2`, `psycopg`, `pymysql`, `MySQLdb`,
    `mysql.connector`, `oracledb` and `pymssql`. Method calls on *client objects*:
    psycopg 2 and 3 and PyMySQL connections and cursors, `pymongo` clients, databases
    and collections (`client["db"]["items"].find(...)`, `client.db.items`), sync
    `redis.Redis` (and a pipeline's `execute`), SQLAlchemy's `Engine`, `Connection` and
    ORM `Session`, and `elasticsearch.Elasticsearch`: every method but the ones that
    only build objects or read local state (`cursor()`, `pipeline()`, `session.add`,
    ...). An object is one when made by its constructor or factory (`redis.from_url`,
    `create_engine`, `engine.connect()`), annotated with its class, kept on `self` or at
    module level. The message names the async library to move to (`motor`,
    `redis.asyncio`, `sqlalchemy.ext.asyncio`, ...). Queries through other drivers'
    cursors are not tracked; add them with `extra-blocking-calls` or
    `extra-blocking-classes`.

    ## Why it is a problem
    A synchronous driver waits for the server (or, for sqlite3, the disk and the
    database lock) in the calling thread. On the event loop thread a slow query or a
    held lock stops every other task.

    ## Fix
    `wrap` (default): `conn = await asyncio.to_thread(psycopg2.connect, dsn)`
    (`anyio.to_thread.run_sync` / `trio.to_thread.run_sync` in anyio/trio projects).
    For sqlite3, move the connection and all its use into one sync helper and await
    that: `await asyncio.to_thread(_count_users_sync, db_path)`. Not automated: an
    async driver (`aiosqlite`, `asyncpg`, `psycopg.AsyncConnection`, `aiomysql`).

    ## Fix safety
    sqlite3 connections and cursors are thread-affine: with the default
    `check_same_thread=True`, using one from a thread other than the one that opened it
    raises `ProgrammingError`. Wrapping one call moves it to a worker thread and breaks
    the code, so sqlite3 findings are not fixed without `--unsafe-fixes`. For the other
    drivers `wrap` is safe when one task uses the connection at a time; a connection
    shared by concurrent tasks needs an `asyncio.Lock` or a pool.
    """

    code = "AFY140"
    name = "blocking-database"
    message = "`{call}` calls a synchronous database driver on the event loop"
    INVALID = (
        """\
import sqlite3


async def open_database(db_path):
    return sqlite3.connect(db_path)
""",
    )
    VALID = (
        """\
import aiosqlite


async def count_users(db_path):
    async with aiosqlite.connect(db_path) as db:
        async with db.execute("SELECT count(*) FROM users") as cursor:
            return (await cursor.fetchone())[0]
""",
    )
