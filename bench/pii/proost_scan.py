#!/usr/bin/env python3
"""End to end: scan the three bench sources through a running Proost server.

    proost_scan.py --base http://127.0.0.1:8080 --token T [--out bench/pii/out]

The server must allow the SQLite file: start it with `--sqlite-root <out dir>` (or
PROOST_SQLITE_ROOTS), since SQLite connections may only read files inside allowed roots.

For each source of out/sources.json (written by load.py):
  1. POST /api/v1/connections {"name": "pii_bench_<source>", "kind", "url"} (an admin's
     token; a connection of that name that already exists is reused: GET /api/v1/connections);
  2. POST /api/v1/connections/{id}/scan?wait=true, timed (wall clock, client side);
  3. GET /api/v1/connections/{id}/classifications ->
     [{"schema","table","column","categories":[{"category","confidence","evidence"}],"status"}]
Classifications with status `rejected` are left out. Schema/table are mapped back to the
labels with the schema as each source names it (labels' `db_schema`): PostgreSQL schema =
theme, MariaDB database = pii_<theme>, SQLite = main. Tables of other schemas the
connection sees (other databases on the same MariaDB) are ignored.

Writes out/pred_proost_e2e.jsonl (the prediction format of score.py) and
out/pred_proost_e2e.meta.json (scan seconds per source and in total, tables scanned).
Standard library only.
"""

import argparse
import json
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path


class ApiError(Exception):
    pass


def call(base, token, method, path, body=None, timeout=600):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base.rstrip("/") + path, data=data, method=method)
    req.add_header("Authorization", f"Bearer {token}")
    req.add_header("Accept", "application/json")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            raw = r.read()
            return r.status, (json.loads(raw) if raw else None)
    except urllib.error.HTTPError as e:
        raw = e.read()
        try:
            return e.code, json.loads(raw)
        except ValueError:
            return e.code, raw.decode(errors="replace")


def connection_id(base, token, name, kind, url):
    status, body = call(base, token, "GET", "/api/v1/connections")
    if status != 200:
        raise ApiError(f"GET /api/v1/connections -> {status} {body}")
    for c in body.get("connections", []):
        if c.get("name") == name:
            if c.get("kind") != kind:
                raise ApiError(f"connection {name} exists with kind {c.get('kind')}, not {kind}")
            return c["id"], False
    status, body = call(base, token, "POST", "/api/v1/connections", {"name": name, "kind": kind, "url": url})
    if status not in (200, 201):
        raise ApiError(f"POST /api/v1/connections {name} ({kind}) -> {status} {body}")
    for w in body.get("warnings") or []:
        print(f"  warning: {w}", file=sys.stderr)
    return body["id"], True


def main():
    here = Path(__file__).resolve().parent
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", required=True, help="e.g. http://127.0.0.1:8080")
    ap.add_argument("--token", required=True, help="an admin's bearer token")
    ap.add_argument("--out", default=str(here / "out"))
    ap.add_argument("--only", default="postgres,mysql,sqlite")
    ap.add_argument("--prefix", default="pii_bench_", help="connection name prefix")
    args = ap.parse_args()
    out = Path(args.out)
    sources = json.loads((out / "sources.json").read_text())["sources"]
    labels = json.loads((out / "labels.json").read_text(encoding="utf-8"))
    # (source, db_schema, table, column) -> label key
    back = {(c["source"], c["db_schema"], c["table"], c["column"]): (c["source"], c["schema"], c["table"], c["column"])
            for c in labels}
    label_tables = {(c["source"], c["db_schema"], c["table"]) for c in labels}

    preds = {}
    meta = {"predictor": "proost-e2e", "sources": {}, "values": None}
    total = 0.0
    for source in args.only.split(","):
        s = sources[source]
        name = args.prefix + source
        cid, created = connection_id(args.base, args.token, name, s["kind"], s["url"])
        print(f"{source}: connection {name} = {cid} ({'created' if created else 'reused'})", file=sys.stderr)
        t0 = time.perf_counter()
        status, body = call(args.base, args.token, "POST", f"/api/v1/connections/{cid}/scan?wait=true")
        secs = time.perf_counter() - t0
        if status in (404, 405):
            raise ApiError(f"POST /api/v1/connections/{cid}/scan?wait=true -> {status} {body!r}: "
                           "this server has no scan endpoint yet (or the connection vanished)")
        if status not in (200, 201, 202):
            raise ApiError(f"POST /api/v1/connections/{cid}/scan?wait=true -> {status} {body}")
        total += secs
        status, rows = call(args.base, args.token, "GET", f"/api/v1/connections/{cid}/classifications")
        if status != 200 or not isinstance(rows, list):
            raise ApiError(f"GET /api/v1/connections/{cid}/classifications -> {status} {rows}")
        seen_tables, n, ignored = set(), 0, 0
        for r in rows:
            k = (source, r["schema"], r["table"], r["column"])
            if (source, r["schema"], r["table"]) not in label_tables:
                ignored += 1
                continue
            seen_tables.add((r["schema"], r["table"]))
            lk = back.get(k)
            if lk is None:
                ignored += 1
                continue
            if r.get("status") == "rejected":
                continue
            cats = []
            for c in r.get("categories") or []:
                if isinstance(c, str):
                    cats.append({"category": c, "confidence": None})
                else:
                    cats.append({"category": c.get("category"), "confidence": c.get("confidence"),
                                 "evidence": c.get("evidence")})
            preds[lk] = {"source": lk[0], "schema": lk[1], "table": lk[2], "column": lk[3],
                         "categories": cats, "status": r.get("status")}
            n += 1
        want = sum(1 for t in label_tables if t[0] == source)
        meta["sources"][source] = {"connection": cid, "scan_seconds": round(secs, 3), "scan_response": body,
                                   "tables_in_labels": want, "tables_classified": len(seen_tables),
                                   "columns_classified": n, "rows_ignored": ignored}
        print(f"{source}: scan {secs:.2f} s, {len(seen_tables)}/{want} tables, {n} columns classified",
              file=sys.stderr)
    meta["seconds"] = round(total, 3)
    meta["tables"] = sum(v["tables_in_labels"] for v in meta["sources"].values())
    with open(out / "pred_proost_e2e.jsonl", "w", encoding="utf-8") as f:
        for o in preds.values():
            f.write(json.dumps(o, ensure_ascii=False) + "\n")
    (out / "pred_proost_e2e.meta.json").write_text(json.dumps(meta, indent=1, default=str))
    print(f"proost e2e: {meta['tables']} tables scanned in {total:.2f} s -> {out / 'pred_proost_e2e.jsonl'}",
          file=sys.stderr)


if __name__ == "__main__":
    try:
        main()
    except ApiError as e:
        print(f"proost_scan: {e}", file=sys.stderr)
        sys.exit(1)
