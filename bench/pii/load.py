#!/usr/bin/env python3
"""Load the generated PII benchmark tables into their sources.

    load.py [--out bench/pii/out] [--pg postgresql://postgres@127.0.0.1:5432/proost_pii_bench]
            [--mysql mysql://root@127.0.0.1:3306] [--only postgres,mysql,sqlite]

Each table of out/data/ goes to the one source generate.py assigned it:
  postgres  database `proost_pii_bench`, one PostgreSQL schema per theme (customers, hr, ...)
  mysql     MariaDB/MySQL, one database per theme named `pii_<theme>`
  sqlite    out/pii_bench.sqlite, schema `main` (table names are unique across themes)

Tables are dropped and re-created, so a rerun gives the same data. Column types: int ->
bigint/BIGINT/INTEGER, numeric -> numeric(12,2)/DECIMAL(12,2)/NUMERIC, float -> double,
date, timestamp -> timestamp/DATETIME/TEXT, bool -> boolean, json -> jsonb/JSON/TEXT, text.
Also writes out/sources.json (how to reach each source, for proost_scan.py).
"""

import argparse
import json
import sqlite3
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

PG_TYPES = {"int": "bigint", "numeric": "numeric(12,2)", "float": "double precision", "date": "date",
            "timestamp": "timestamp", "bool": "boolean", "json": "jsonb", "text": "text"}
MY_TYPES = {"int": "BIGINT", "numeric": "DECIMAL(12,2)", "float": "DOUBLE", "date": "DATE",
            "timestamp": "DATETIME", "bool": "BOOLEAN", "json": "JSON", "text": "TEXT"}
LITE_TYPES = {"int": "INTEGER", "numeric": "NUMERIC", "float": "REAL", "date": "DATE",
              "timestamp": "TIMESTAMP", "bool": "BOOLEAN", "json": "JSON", "text": "TEXT"}

PG_DB = "proost_pii_bench"


def db_schema(source, schema):
    """The schema as the source (and Proost's scan) names it."""
    return {"postgres": schema, "mysql": f"pii_{schema}", "sqlite": "main"}[source]


def qpg(name):
    return '"' + name.replace('"', '""') + '"'


def qmy(name):
    return "`" + name.replace("`", "``") + "`"


def load_pg(tables, url):
    import psycopg
    u = urlparse(url)
    admin = url.replace(u.path, "/postgres") if u.path else url + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", (PG_DB,)).fetchone():
            conn.execute(f"create database {PG_DB}")
    with psycopg.connect(url, autocommit=False) as conn:
        for t in tables:
            s, n = qpg(t["schema"]), qpg(t["table"])
            conn.execute(f"create schema if not exists {s}")
            conn.execute(f"drop table if exists {s}.{n}")
            cols = ", ".join(f"{qpg(c['name'])} {PG_TYPES[c['type']]}" + (" primary key" if i == 0 else "")
                             for i, c in enumerate(t["columns"]))
            conn.execute(f"create table {s}.{n} ({cols})")
            names = ", ".join(qpg(c["name"]) for c in t["columns"])
            with conn.cursor().copy(f"copy {s}.{n} ({names}) from stdin") as cp:
                for row in t["rows"]:
                    cp.write_row(row)
        conn.commit()
        conn.execute("analyze")


def load_mysql(tables, url):
    import pymysql
    u = urlparse(url)
    conn = pymysql.connect(host=u.hostname or "127.0.0.1", port=u.port or 3306, user=u.username or "root",
                           password=u.password or "", charset="utf8mb4", autocommit=False)
    try:
        with conn.cursor() as cur:
            for t in tables:
                db = qmy(db_schema("mysql", t["schema"]))
                cur.execute(f"create database if not exists {db} character set utf8mb4 collate utf8mb4_unicode_ci")
                n = f"{db}.{qmy(t['table'])}"
                cur.execute(f"drop table if exists {n}")
                cols = ", ".join(f"{qmy(c['name'])} {MY_TYPES[c['type']]}" + (" primary key" if i == 0 else "")
                                 for i, c in enumerate(t["columns"]))
                cur.execute(f"create table {n} ({cols}) engine=InnoDB default charset=utf8mb4")
                names = ", ".join(qmy(c["name"]) for c in t["columns"])
                ph = ", ".join(["%s"] * len(t["columns"]))
                cur.executemany(f"insert into {n} ({names}) values ({ph})", t["rows"])
        conn.commit()
    finally:
        conn.close()


def load_sqlite(tables, path):
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path)
    for t in tables:
        n = qpg(t["table"])
        cols = ", ".join(f"{qpg(c['name'])} {LITE_TYPES[c['type']]}" + (" PRIMARY KEY" if i == 0 else "")
                         for i, c in enumerate(t["columns"]))
        conn.execute(f"create table {n} ({cols})")
        ph = ", ".join(["?"] * len(t["columns"]))
        conn.executemany(f"insert into {n} values ({ph})",
                         [[int(v) if isinstance(v, bool) else v for v in row] for row in t["rows"]])
    conn.commit()
    conn.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = Path(__file__).resolve().parent
    ap.add_argument("--out", default=str(here / "out"))
    ap.add_argument("--pg", default=f"postgresql://postgres@127.0.0.1:5432/{PG_DB}")
    ap.add_argument("--mysql", default="mysql://root@127.0.0.1:3306")
    ap.add_argument("--only", default="postgres,mysql,sqlite")
    args = ap.parse_args()
    out = Path(args.out)
    only = set(args.only.split(","))
    by_source = {"postgres": [], "mysql": [], "sqlite": []}
    for f in sorted((out / "data").glob("*.json")):
        t = json.loads(f.read_text(encoding="utf-8"))
        by_source[t["source"]].append(t)
    sqlite_path = (out / "pii_bench.sqlite").resolve()
    timings = {}
    for source, fn in [("postgres", lambda ts: load_pg(ts, args.pg)),
                       ("mysql", lambda ts: load_mysql(ts, args.mysql)),
                       ("sqlite", lambda ts: load_sqlite(ts, sqlite_path))]:
        if source not in only:
            continue
        t0 = time.time()
        fn(by_source[source])
        timings[source] = round(time.time() - t0, 1)
        print(f"{source}: {len(by_source[source])} tables, "
              f"{sum(len(t['rows']) for t in by_source[source])} rows in {timings[source]} s", file=sys.stderr)
    pg = urlparse(args.pg)
    my = urlparse(args.mysql)
    sources = {
        "postgres": {"kind": "postgres", "url": f"postgres://{pg.username or 'postgres'}@{pg.hostname}:{pg.port or 5432}{pg.path}",
                     "schemas": sorted({t["schema"] for t in by_source["postgres"]})},
        "mysql": {"kind": "mysql", "url": f"mysql://{my.username or 'root'}@{my.hostname}:{my.port or 3306}",
                  "schemas": sorted({db_schema("mysql", t["schema"]) for t in by_source["mysql"]})},
        "sqlite": {"kind": "sqlite", "url": f"sqlite://{sqlite_path}", "path": str(sqlite_path), "schemas": ["main"]},
    }
    (out / "sources.json").write_text(json.dumps({"sources": sources, "load_seconds": timings}, indent=1))


if __name__ == "__main__":
    main()
