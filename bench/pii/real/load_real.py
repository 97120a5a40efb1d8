#!/usr/bin/env python3
"""Load the real-schema set (generate_real.py's DIR/data) into its databases, native types kept.

    load_real.py [--out bench/pii/out_real] [--pg postgresql://postgres@127.0.0.1:5432/proost_pii_real]
                 [--mysql mysql://root@127.0.0.1:3306] [--only postgres,mysql,sqlite] [--no-verify]

  postgres  database `proost_pii_real`, one schema per app (discourse, legacy, odoo, zammad)
  mysql     MariaDB/MySQL databases `pii_real_<app>` (legacy, magento, matomo, mautic, openemr,
            osticket, suitecrm, woocommerce)
  sqlite    DIR/pii_real.sqlite, schema `main` (the opaque imports and one legacy app table)

Every table is created with the SQL type its schema file declares, so the native types reach
the database: PostgreSQL inet, cidr, macaddr, uuid, jsonb, text[], numeric, a DOMAIN over text
(legacy.asiakas.sahkoposti, made by the table's pre_sql); MySQL JSON, BINARY(16) UUIDs,
VARBINARY(16) packed IPs (INET6_ATON form), BINARY(8) visitor ids, unsigned integers,
float(M,D), decimal(p,s). Idempotent: each PostgreSQL schema, MariaDB database and the SQLite
file is dropped and made again. After loading, the catalog types of the columns with a
declared native type are read back and compared (printed; a mismatch fails the run).
With --compare-values, every sampled value of DIR/columns.jsonl is looked up in the database as
text (what a scan reads: PostgreSQL CAST(col AS text), so inet has its /32; MySQL numbers as
CAST(col AS CHAR); binary as base64). Writes DIR/sources.json (how to reach each source;
proost_scan.py --out DIR reads it).
"""

import argparse
import base64
import json
import re
import sqlite3
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

PG_DB = "proost_pii_real"


def qpg(name):
    return '"' + name.replace('"', '""') + '"'


def qmy(name):
    return "`" + name.replace("`", "``") + "`"


def domains_of(pre_sql):
    return {m.group(1) for s in pre_sql for m in re.finditer(r"create\s+domain\s+\{schema\}\.(\w+)", s, re.I)}


def load_pg(tables, url):
    import psycopg
    u = urlparse(url)
    admin = url.replace(u.path, "/postgres")
    db = u.path.lstrip("/")
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", (db,)).fetchone():
            conn.execute(f"create database {qpg(db)}")
    with psycopg.connect(url, autocommit=False) as conn:
        for app in sorted({t["app"] for t in tables}):
            conn.execute(f"drop schema if exists {qpg(app)} cascade")
            conn.execute(f"create schema {qpg(app)}")
        for t in tables:
            s, n = qpg(t["app"]), qpg(t["table"])
            for stmt in t.get("pre_sql") or []:
                conn.execute(stmt.replace("{schema}", s))
            doms = domains_of(t.get("pre_sql") or [])
            cols = []
            for c in t["columns"]:
                typ = f"{s}.{qpg(c['sql_type'])}" if c["sql_type"] in doms else c["sql_type"]
                cols.append(f"{qpg(c['name'])} {typ}" + (" primary key" if c["pk"] else ""))
            conn.execute(f"create table {s}.{n} ({', '.join(cols)})")
            names = ", ".join(qpg(c["name"]) for c in t["columns"])
            with conn.cursor().copy(f"copy {s}.{n} ({names}) from stdin") as cp:
                for row in t["rows"]:
                    cp.write_row(row)
        conn.commit()
        conn.execute("analyze")


def my_type(sql):
    # TIMESTAMP columns are NOT NULL with a default on older MariaDB settings: keep NULLs NULL
    return sql + " NULL" if sql.lower() == "timestamp" else sql


def load_mysql(tables, url):
    import pymysql
    u = urlparse(url)
    conn = pymysql.connect(host=u.hostname or "127.0.0.1", port=u.port or 3306, user=u.username or "root",
                           password=u.password or "", charset="utf8mb4", autocommit=False)
    try:
        with conn.cursor() as cur:
            cur.execute("set session sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION'")
            for db in sorted({t["db_schema"] for t in tables}):
                cur.execute(f"drop database if exists {qmy(db)}")
                cur.execute(f"create database {qmy(db)} character set utf8mb4 collate utf8mb4_unicode_ci")
            for t in tables:
                n = f"{qmy(t['db_schema'])}.{qmy(t['table'])}"
                cols = ", ".join(f"{qmy(c['name'])} {my_type(c['sql_type'])}" + (" primary key" if c["pk"] else "")
                                 for c in t["columns"])
                cur.execute(f"create table {n} ({cols}) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci")
                names = ", ".join(qmy(c["name"]) for c in t["columns"])
                ph = ", ".join(["%s"] * len(t["columns"]))
                binary = [c["binary"] for c in t["columns"]]
                rows = [[base64.b64decode(v) if b and v is not None else v for v, b in zip(row, binary)] for row in t["rows"]]
                cur.executemany(f"insert into {n} ({names}) values ({ph})", rows)
        conn.commit()
    finally:
        conn.close()


def load_sqlite(tables, path):
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path)
    for t in tables:
        cols = ", ".join(f"{qpg(c['name'])} {c['sql_type']}" + (" PRIMARY KEY" if c["pk"] else "") for c in t["columns"])
        conn.execute(f"create table {qpg(t['table'])} ({cols})")
        ph = ", ".join(["?"] * len(t["columns"]))
        conn.executemany(f"insert into {qpg(t['table'])} values ({ph})",
                         [[int(v) if isinstance(v, bool) else v for v in row] for row in t["rows"]])
    conn.commit()
    conn.close()


def verify(by_source, pg_url, my_url, sqlite_path):
    """Read back the catalog type of every column whose schema file names a native type."""
    rows, bad = [], []
    want = [(t["source"], t["db_schema"], t["table"], c["name"], c["native_type"])
            for ts in by_source.values() for t in ts for c in t["columns"] if c.get("native_type")]
    if not want:
        return rows
    if by_source.get("postgres"):
        import psycopg
        with psycopg.connect(pg_url) as conn:
            for src, schema, table, col, native in [w for w in want if w[0] == "postgres"]:
                r = conn.execute(
                    "select format_type(a.atttypid, a.atttypmod), t.typtype, coalesce(format_type(t.typbasetype, t.typtypmod), '') "
                    "from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace "
                    "join pg_type t on t.oid = a.atttypid where n.nspname = %s and c.relname = %s and a.attname = %s",
                    (schema, table, col)).fetchone()
                got = f"domain {r[0].split('.')[-1]} ({r[2]})" if r[1] == "d" else r[0]
                ok = got == native or (native == "text[]" and got == "text[]")
                rows.append((src, f"{schema}.{table}.{col}", native, got, ok))
    if by_source.get("mysql"):
        import pymysql
        u = urlparse(my_url)
        conn = pymysql.connect(host=u.hostname or "127.0.0.1", port=u.port or 3306, user=u.username or "root",
                               password=u.password or "", charset="utf8mb4")
        with conn.cursor() as cur:
            for src, schema, table, col, native in [w for w in want if w[0] == "mysql"]:
                cur.execute("select column_type from information_schema.columns where table_schema = %s and "
                            "table_name = %s and column_name = %s", (schema, table, col))
                got = cur.fetchone()[0]
                if native == "json":
                    # MariaDB: JSON is LONGTEXT with a json_valid() check; MySQL reports `json`
                    cur.execute("select check_clause from information_schema.check_constraints where "
                                "constraint_schema = %s and table_name = %s", (schema, table))
                    checks = " ".join(r[0] for r in cur.fetchall())
                    ok = got == "json" or (got == "longtext" and f"json_valid(`{col}`)" in checks)
                    got = got + (" + json_valid check" if "json_valid" in checks else "")
                else:
                    ok = got == native
                rows.append((src, f"{schema}.{table}.{col}", native, got, ok))
        conn.close()
    for r in rows:
        if not r[4]:
            bad.append(r)
    for src, name, native, got, ok in rows:
        print(f"  {src:8} {name:55} declared {native:28} catalog {got}{'' if ok else '   <-- MISMATCH'}", file=sys.stderr)
    if bad:
        sys.exit(f"{len(bad)} native types did not reach the database")
    return rows


def compare_values(out, pg_url, my_url, sqlite_path):
    """Every sampled value of columns.jsonl must be a value the database gives back as text
    (PostgreSQL CAST(col AS text), MySQL CAST(col AS CHAR) for numbers, binary as base64)."""
    import psycopg
    import pymysql
    u = urlparse(my_url)
    pg = psycopg.connect(pg_url)
    my = pymysql.connect(host=u.hostname or "127.0.0.1", port=u.port or 3306, user=u.username or "root",
                         password=u.password or "", charset="utf8mb4")
    lite = sqlite3.connect(sqlite_path)
    differing = 0
    n = 0
    for line in open(out / "columns.jsonl", encoding="utf-8"):
        c = json.loads(line)
        n += 1
        s, t, col = c["db_schema"], c["table"], c["column"]
        if c["source"] == "postgres":
            got = [r[0] for r in pg.execute(f"select {qpg(col)}::text from {qpg(s)}.{qpg(t)} where {qpg(col)} is not null")]
        elif c["source"] == "mysql":
            numeric = any(x in c["type"].lower() for x in ("double", "float", "decimal"))
            expr = f"CAST({qmy(col)} AS CHAR)" if numeric else qmy(col)
            with my.cursor() as cur:
                cur.execute(f"select {expr} from {qmy(s)}.{qmy(t)} where {qmy(col)} is not null")
                got = [base64.b64encode(v).decode() if isinstance(v, bytes) else str(v) for (v,) in cur.fetchall()]
        else:
            got = [str(r[0]) for r in lite.execute(f"select {qpg(col)} from {qpg(t)} where {qpg(col)} is not null")]
        miss = set(c["values"]) - set(got)
        if miss:
            differing += 1
            print(f"  {c['source']} {s}.{t}.{col}: {len(miss)} sampled values not in the database, e.g. {sorted(miss)[:2]}",
                  file=sys.stderr)
    print(f"sampled values vs database text: {n - differing}/{n} columns identical", file=sys.stderr)
    if differing:
        sys.exit(1)


def main():
    here = Path(__file__).resolve().parent
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(here.parent / "out_real"))
    ap.add_argument("--pg", default=f"postgresql://postgres@127.0.0.1:5432/{PG_DB}")
    ap.add_argument("--mysql", default="mysql://root@127.0.0.1:3306")
    ap.add_argument("--only", default="postgres,mysql,sqlite")
    ap.add_argument("--no-verify", action="store_true")
    ap.add_argument("--compare-values", action="store_true",
                    help="also check that columns.jsonl holds the values as the databases return them as text")
    args = ap.parse_args()
    out = Path(args.out)
    only = set(args.only.split(","))
    by_source = {"postgres": [], "mysql": [], "sqlite": []}
    for f in sorted((out / "data").glob("*.json")):
        t = json.loads(f.read_text(encoding="utf-8"))
        by_source[t["source"]].append(t)
    if not any(by_source.values()):
        sys.exit(f"no tables in {out / 'data'}: run generate_real.py first")
    sqlite_path = (out / "pii_real.sqlite").resolve()
    timings = {}
    for source, fn in [("postgres", lambda ts: load_pg(ts, args.pg)),
                       ("mysql", lambda ts: load_mysql(ts, args.mysql)),
                       ("sqlite", lambda ts: load_sqlite(ts, sqlite_path))]:
        if source not in only:
            by_source[source] = []
            continue
        t0 = time.time()
        fn(by_source[source])
        timings[source] = round(time.time() - t0, 1)
        print(f"{source}: {len(by_source[source])} tables, {sum(len(t['rows']) for t in by_source[source])} rows "
              f"in {timings[source]} s", file=sys.stderr)
    native = []
    if not args.no_verify:
        print("native types, as the catalogs report them:", file=sys.stderr)
        native = verify(by_source, args.pg, args.mysql, sqlite_path)
    if args.compare_values:
        compare_values(out, args.pg, args.mysql, sqlite_path)
    pg, my = urlparse(args.pg), urlparse(args.mysql)
    sources = {
        "postgres": {"kind": "postgres", "url": f"postgres://{pg.username or 'postgres'}@{pg.hostname}:{pg.port or 5432}{pg.path}",
                     "schemas": sorted({t["db_schema"] for t in by_source["postgres"]})},
        "mysql": {"kind": "mysql", "url": f"mysql://{my.username or 'root'}@{my.hostname}:{my.port or 3306}",
                  "schemas": sorted({t["db_schema"] for t in by_source["mysql"]})},
        "sqlite": {"kind": "sqlite", "url": f"sqlite://{sqlite_path}", "path": str(sqlite_path), "schemas": ["main"]},
    }
    (out / "sources.json").write_text(json.dumps(
        {"sources": sources, "load_seconds": timings,
         "native_types": [{"source": s, "column": n, "declared": d, "catalog": g} for s, n, d, g, _ in native]}, indent=1))


if __name__ == "__main__":
    main()
