#!/usr/bin/env python3
"""Generates TPC-H at a scale factor and loads it into PostgreSQL.

  bench/tpch/load.py [--sf 1] [--no-parquet]

1. `tpchgen-cli csv -s SF` (PyPI package tpchgen-cli, in bench/.venv) into
   /var/tmp/proost-bench/tpch-sf<SF>/csv/ (reused when present; $PROOST_BENCH_CACHE moves it).
2. PostgreSQL database proost_tpch_sf<SF> (sf1, sf0_01, ...) on 127.0.0.1:5432 as postgres:
   bench/tpch/schema.sql (the 8 tables with primary keys), \\copy of each CSV, ANALYZE.
   Skipped when the database already holds the generated row counts; rebuilt when it holds
   others.
3. Plaintext Parquet copies (pyarrow, snappy, decimal(15,2) / date32 / int64 / string) in
   /var/tmp/proost-bench/tpch-sf<SF>/parquet/, for DuckDB and DataFusion-python.

Prints the database, the row counts and the paths. Idempotent.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import benchlib as bl  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sf", type=float, default=1.0, help="scale factor (default 1)")
    p.add_argument("--no-parquet", action="store_true", help="skip the Parquet copies")
    a = p.parse_args()
    sf = int(a.sf) if a.sf == int(a.sf) else a.sf
    bl.ensure_venv()
    db = bl.ensure_postgres(sf)
    _, rows = bl.ensure_csv(sf)
    print(f"database: {db}  ({bl.pg_url(sf)})")
    if not a.no_parquet:
        paths = bl.ensure_parquet(sf)
        print(f"parquet:  {paths['lineitem'].parent}")
    bl.print_table(["table", "rows"], [[t, f"{rows[t]:,}"] for t in bl.TABLES])


if __name__ == "__main__":
    try:
        main()
    except bl.BenchError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(1)
