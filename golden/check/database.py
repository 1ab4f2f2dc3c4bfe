"""AFY140 blocking-database: synchronous database drivers in async code.

Golden detection file: each expected finding is marked at the end of its line.
"""

import sqlite3
import sqlite3 as sq
from sqlite3 import Connection, Cursor, connect

import mysql.connector
import psycopg
import psycopg2
import pymysql


async def connects(dsn: str) -> None:
    # the connect() of each driver, through every import form
    sqlite3.connect("app.db")  # error: AFY140
    sq.connect(":memory:")  # error: AFY140
    connect("other.db")  # error: AFY140
    psycopg2.connect(dsn)  # error: AFY140
    psycopg.connect(dsn)  # error: AFY140
    pymysql.connect(host="db")  # error: AFY140
    mysql.connector.connect(host="db")  # error: AFY140


async def annotated_sqlite(conn: Connection, cur: sqlite3.Cursor) -> list:
    # parameters annotated with the sqlite3 classes
    conn.execute("DELETE FROM jobs WHERE done")  # error: AFY140
    conn.commit()  # error: AFY140
    cur.execute("SELECT id FROM jobs")  # error: AFY140
    return cur.fetchall()  # error: AFY140


async def connection_from_connect(path: str) -> list:
    # a connection returned by sqlite3.connect() is a sqlite3.Connection
    conn = sqlite3.connect(path)  # error: AFY140
    rows = conn.execute("SELECT 1").fetchall()  # error: AFY140, AFY140
    conn.close()
    return rows


async def cursor_from_connection(conn: Connection) -> tuple:
    # Connection.cursor() returns a sqlite3.Cursor (cursor() itself is not I/O)
    cur = conn.cursor()
    cur.execute("SELECT count(*) FROM jobs")  # error: AFY140
    return cur.fetchone()  # error: AFY140


async def psycopg3(conn: psycopg.Connection, cur: psycopg.Cursor) -> list:
    # psycopg 3 connections and cursors, typed by annotation
    conn.execute("VACUUM")  # error: AFY140
    cur.execute("SELECT 1")  # error: AFY140
    return cur.fetchmany(10)  # error: AFY140


class Repository:
    # a class attribute annotated with the connection class
    db: Connection

    async def save(self, name: str) -> None:
        self.db.execute("INSERT INTO names VALUES (?)", (name,))  # error: AFY140
        self.db.commit()  # error: AFY140

    async def last(self, cursor: Cursor) -> tuple:
        return cursor.fetchone()  # error: AFY140
