"""Shared support for bench/replication, bench/tpch-queries, bench/cache-hits and
bench/tpch/load.py: the Python venv, TPC-H data (generation, Parquet copies, the PostgreSQL
database), a Proost server on a fresh data dir, `/usr/bin/time -v`, and result comparison.

Standard library at import time; the heavy packages (pyarrow, duckdb, datafusion,
connectorx, psycopg, tpchgen-cli) live in bench/.venv, which `ensure_venv()` creates from
bench/requirements.txt and re-executes the calling script under.
"""

import datetime
import decimal
import hashlib
import http.client
import json
import math
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
VENV = BENCH / ".venv"
REQUIREMENTS = BENCH / "requirements.txt"
QUERY_DIR = BENCH / "tpch" / "queries"
SCHEMA_SQL = BENCH / "tpch" / "schema.sql"
CACHE_ROOT = Path(os.environ.get("PROOST_BENCH_CACHE", "/var/tmp/proost-bench"))
DEFAULT_PROOST = Path(os.environ.get("CARGO_TARGET_DIR", "/var/tmp/proost-target")) / "release" / "proost"

PG_HOST = os.environ.get("PGHOST", "127.0.0.1")
PG_PORT = os.environ.get("PGPORT", "5432")
PG_USER = os.environ.get("PGUSER", "postgres")

TABLES = ["region", "nation", "part", "supplier", "partsupp", "customer", "orders", "lineitem"]

# Column types, as in bench/tpch/schema.sql: (name, kind) with kind one of
# int64, int32, dec (decimal(15,2)), date, str.
COLUMNS = {
    "region": [("r_regionkey", "int64"), ("r_name", "str"), ("r_comment", "str")],
    "nation": [("n_nationkey", "int64"), ("n_name", "str"), ("n_regionkey", "int64"),
               ("n_comment", "str")],
    "part": [("p_partkey", "int64"), ("p_name", "str"), ("p_mfgr", "str"), ("p_brand", "str"),
             ("p_type", "str"), ("p_size", "int32"), ("p_container", "str"),
             ("p_retailprice", "dec"), ("p_comment", "str")],
    "supplier": [("s_suppkey", "int64"), ("s_name", "str"), ("s_address", "str"),
                 ("s_nationkey", "int64"), ("s_phone", "str"), ("s_acctbal", "dec"),
                 ("s_comment", "str")],
    "partsupp": [("ps_partkey", "int64"), ("ps_suppkey", "int64"), ("ps_availqty", "int32"),
                 ("ps_supplycost", "dec"), ("ps_comment", "str")],
    "customer": [("c_custkey", "int64"), ("c_name", "str"), ("c_address", "str"),
                 ("c_nationkey", "int64"), ("c_phone", "str"), ("c_acctbal", "dec"),
                 ("c_mktsegment", "str"), ("c_comment", "str")],
    "orders": [("o_orderkey", "int64"), ("o_custkey", "int64"), ("o_orderstatus", "str"),
               ("o_totalprice", "dec"), ("o_orderdate", "date"), ("o_orderpriority", "str"),
               ("o_clerk", "str"), ("o_shippriority", "int32"), ("o_comment", "str")],
    "lineitem": [("l_orderkey", "int64"), ("l_partkey", "int64"), ("l_suppkey", "int64"),
                 ("l_linenumber", "int32"), ("l_quantity", "dec"), ("l_extendedprice", "dec"),
                 ("l_discount", "dec"), ("l_tax", "dec"), ("l_returnflag", "str"),
                 ("l_linestatus", "str"), ("l_shipdate", "date"), ("l_commitdate", "date"),
                 ("l_receiptdate", "date"), ("l_shipinstruct", "str"), ("l_shipmode", "str"),
                 ("l_comment", "str")],
}


class BenchError(Exception):
    pass


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# -------------------------------------------------------------------- venv --

def _requirements_hash():
    return hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()[:16]


def ensure_venv():
    """Creates bench/.venv with bench/requirements.txt if missing or stale, then re-executes
    the running script with the venv's Python (a no-op when already there)."""
    py = VENV / "bin" / "python"
    stamp = VENV / ".requirements"
    want = _requirements_hash()
    if not (py.exists() and stamp.exists() and stamp.read_text().strip() == want):
        if not py.exists():
            log(f"creating {VENV}")
            subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        log(f"installing {REQUIREMENTS.name} into {VENV} (once)")
        r = subprocess.run([str(py), "-m", "pip", "install", "-q", "-r", str(REQUIREMENTS)])
        if r.returncode != 0:
            raise BenchError(f"pip install -r {REQUIREMENTS} failed ({r.returncode})")
        stamp.write_text(want + "\n")
    if Path(sys.prefix).resolve() != VENV.resolve():
        os.execv(str(py), [str(py)] + sys.argv)


# ------------------------------------------------------------- TPC-H data --

def sf_tag(sf):
    """1 -> 'sf1', 0.01 -> 'sf0_01', 10 -> 'sf10'."""
    s = f"{sf:g}" if isinstance(sf, float) else str(sf)
    return "sf" + s.replace(".", "_")


def db_name(sf):
    return f"proost_tpch_{sf_tag(sf)}"


def cache_dir(sf):
    return CACHE_ROOT / f"tpch-{sf_tag(sf)}"


def tpchgen_bin():
    exe = VENV / "bin" / "tpchgen-cli"
    if exe.exists():
        return exe
    found = shutil.which("tpchgen-cli")
    if found:
        return Path(found)
    tools = BENCH / ".tools" / "bin" / "tpchgen-cli"
    if not tools.exists():
        log("tpchgen-cli not on PyPI here: cargo install tpchgen-cli --root bench/.tools")
        subprocess.run(["cargo", "install", "tpchgen-cli", "--root", str(BENCH / ".tools")],
                       check=True)
    return tools


def count_csv_rows(path):
    n = 0
    with open(path, "rb") as f:
        while True:
            buf = f.read(1 << 24)
            if not buf:
                break
            n += buf.count(b"\n")
    return n - 1  # header line


def ensure_csv(sf):
    """Generates the 8 tables as CSV (with a header) into <cache>/csv once; returns
    (csv dir, {table: rows})."""
    out = cache_dir(sf) / "csv"
    manifest = out / "manifest.json"
    if manifest.exists():
        return out, json.loads(manifest.read_text())["rows"]
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    log(f"generating TPC-H SF {sf} as CSV into {out} (tpchgen-cli)")
    t0 = time.monotonic()
    subprocess.run([str(tpchgen_bin()), "csv", "-s", str(sf), "-o", str(out), "-q"], check=True)
    rows = {t: count_csv_rows(out / f"{t}.csv") for t in TABLES}
    manifest.write_text(json.dumps({"sf": sf, "rows": rows}, indent=1))
    log(f"generated in {time.monotonic() - t0:.1f}s: {rows}")
    return out, rows


def arrow_schema(table):
    import pyarrow as pa
    kinds = {"int64": pa.int64(), "int32": pa.int32(), "dec": pa.decimal128(15, 2),
             "date": pa.date32(), "str": pa.string()}
    return pa.schema([pa.field(n, kinds[k]) for n, k in COLUMNS[table]])


def ensure_parquet(sf):
    """Plaintext Parquet copies (snappy, typed as the SQL schema) for DuckDB and
    DataFusion-python, in <cache>/parquet/<table>.parquet; returns {table: path}."""
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    csv_dir, rows = ensure_csv(sf)
    out = cache_dir(sf) / "parquet"
    done = out / "done"
    paths = {t: out / f"{t}.parquet" for t in TABLES}
    if done.exists():
        return paths
    out.mkdir(parents=True, exist_ok=True)
    log(f"writing Parquet (pyarrow, snappy) into {out}")
    for t in TABLES:
        schema = arrow_schema(t)
        reader = pcsv.open_csv(
            csv_dir / f"{t}.csv",
            read_options=pcsv.ReadOptions(block_size=64 << 20),
            convert_options=pcsv.ConvertOptions(column_types=schema,
                                                strings_can_be_null=False))
        tmp = paths[t].with_suffix(".tmp")
        n = 0
        with pq.ParquetWriter(tmp, schema, compression="snappy") as w:
            for batch in reader:
                w.write_batch(batch, row_group_size=1 << 20)
                n += batch.num_rows
        if n != rows[t]:
            raise BenchError(f"{t}: wrote {n} rows to Parquet, CSV has {rows[t]}")
        tmp.rename(paths[t])
    done.write_text("ok\n")
    return paths


# -------------------------------------------------------------- PostgreSQL --

def psql(args, db="postgres", check=True, capture=True, input=None):
    cmd = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", PG_HOST, "-p", PG_PORT,
           "-U", PG_USER, "-d", db] + args
    r = subprocess.run(cmd, capture_output=capture, text=True, input=input)
    if check and r.returncode != 0:
        raise BenchError(f"psql {' '.join(args)[:200]} failed ({r.returncode}): "
                         f"{(r.stderr or '').strip()}")
    return r


def pg_scalar(sql, db="postgres"):
    return psql(["-At", "-c", sql], db=db).stdout.strip()


def pg_url(sf):
    return f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{db_name(sf)}"


def pg_counts(db):
    sql = " union all ".join(f"select '{t}', count(*) from {t}" for t in TABLES)
    r = psql(["-At", "-F", "\t", "-c", sql], db=db, check=False)
    if r.returncode != 0:
        return None
    return {t: int(n) for t, n in (line.split("\t") for line in r.stdout.splitlines() if line)}


def ensure_postgres(sf):
    """Creates and loads the database proost_tpch_<sf> (schema + primary keys, COPY,
    ANALYZE) unless it already holds the expected row counts; returns its name."""
    csv_dir, rows = ensure_csv(sf)
    db = db_name(sf)
    try:
        pg_scalar("select 1")
    except BenchError as e:
        raise BenchError(f"PostgreSQL at {PG_HOST}:{PG_PORT} (user {PG_USER}) does not "
                         f"answer: {e}") from None
    exists = pg_scalar(f"select count(*) from pg_database where datname = '{db}'") == "1"
    if exists:
        if pg_counts(db) == rows:
            return db
        log(f"database {db} exists with other row counts: dropping it")
        psql(["-c", f'drop database "{db}" with (force)'])
    log(f"loading TPC-H SF {sf} into PostgreSQL database {db}")
    t0 = time.monotonic()
    psql(["-c", f'create database "{db}"'])
    script = ["begin;", SCHEMA_SQL.read_text()]
    for t in TABLES:
        script.append(f"\\copy {t} from '{csv_dir / (t + '.csv')}' with (format csv, header true)")
    script.append("commit;")
    script.append("analyze;")
    psql(["-f", "-"], db=db, input="\n".join(script) + "\n")
    got = pg_counts(db)
    if got != rows:
        raise BenchError(f"{db}: loaded row counts {got} differ from the generated {rows}")
    log(f"loaded and analyzed in {time.monotonic() - t0:.1f}s")
    return db


# ------------------------------------------------------------------ queries --

def tpch_queries(prefix=""):
    """[(name, sql)] for q01..q22 with {{prefix}} replaced."""
    out = []
    for p in sorted(QUERY_DIR.glob("q*.sql")):
        out.append((p.stem, p.read_text().replace("{{prefix}}", prefix)))
    if len(out) != 22:
        raise BenchError(f"expected 22 queries in {QUERY_DIR}, found {len(out)}")
    return out


def norm_value(v):
    """A comparable form of one result value across engines: numbers as float, dates as ISO
    text, text without char(n) padding."""
    if v is None or isinstance(v, bool):
        return v
    if isinstance(v, (int, float, decimal.Decimal)):
        return float(v)
    if isinstance(v, datetime.datetime):
        return v.date().isoformat() if v.time() == datetime.time() else v.isoformat()
    if isinstance(v, datetime.date):
        return v.isoformat()
    if isinstance(v, str):
        s = v.rstrip(" ")
        try:
            return float(s) if re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", s) else s
        except ValueError:
            return s
    return v


def norm_rows(rows):
    return [tuple(norm_value(v) for v in r) for r in rows]


def close(a, b):
    if isinstance(a, float) and isinstance(b, float):
        # decimals rounded differently (avg, division) by the engines
        return math.isclose(a, b, rel_tol=1e-6, abs_tol=0.011)
    return a == b


def compare_rows(a, b):
    """None when equal (within tolerance), else a short description of the first difference."""
    if len(a) != len(b):
        return f"{len(a)} rows vs {len(b)}"
    for i, (ra, rb) in enumerate(zip(a, b)):
        if len(ra) != len(rb):
            return f"row {i}: {len(ra)} columns vs {len(rb)}"
        for j, (x, y) in enumerate(zip(ra, rb)):
            if not close(x, y):
                return f"row {i} col {j}: {x!r} vs {y!r}"
    return None


def arrow_rows(table):
    cols = [c.to_pylist() for c in table.columns]
    return list(zip(*cols)) if cols else []


# --------------------------------------------------------------- /usr/bin/time --

TIME_BIN = "/usr/bin/time"


def timed_process(cmd, env=None, cwd=None):
    """Runs cmd under `/usr/bin/time -v`; returns (wall s, peak RSS MiB, stdout, stderr)."""
    if not os.access(TIME_BIN, os.X_OK):
        raise BenchError("/usr/bin/time not found (Debian package `time`)")
    r = subprocess.run([TIME_BIN, "-v"] + [str(c) for c in cmd], capture_output=True,
                       text=True, env=env, cwd=cwd)
    if r.returncode != 0:
        raise BenchError(f"{' '.join(map(str, cmd))[:300]} failed ({r.returncode}):\n"
                         f"{r.stdout[-2000:]}\n{r.stderr[-3000:]}")
    wall = rss = None
    for line in r.stderr.splitlines():
        line = line.strip()
        if line.startswith("Elapsed (wall clock) time"):
            t = line.rsplit(" ", 1)[1]
            parts = [float(x) for x in t.split(":")]
            wall = 0.0
            for p in parts:
                wall = wall * 60 + p
        elif line.startswith("Maximum resident set size (kbytes)"):
            rss = int(line.rsplit(" ", 1)[1]) / 1024.0
    if wall is None or rss is None:
        raise BenchError(f"could not read /usr/bin/time -v output:\n{r.stderr[-2000:]}")
    return wall, rss, r.stdout, r.stderr


# ------------------------------------------------------------------- stats --

def median(xs):
    return statistics.median(xs)


def percentile(xs, q):
    s = sorted(xs)
    if not s:
        return None
    return s[max(0, math.ceil(q / 100.0 * len(s)) - 1)]


def geomean(xs):
    xs = [x for x in xs if x and x > 0]
    if not xs:
        return None
    return math.exp(sum(math.log(x) for x in xs) / len(xs))


def fmt(x, digits=2):
    if x is None:
        return "-"
    if isinstance(x, str):
        return x
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    if abs(x) >= 100:
        return f"{x:.0f}"
    return f"{x:.{digits}f}"


def print_table(headers, rows, align=None):
    """A Markdown table on stdout."""
    align = align or ["l"] + ["r"] * (len(headers) - 1)
    print("| " + " | ".join(headers) + " |")
    print("| " + " | ".join("---:" if a == "r" else "---" for a in align) + " |")
    for r in rows:
        print("| " + " | ".join(fmt(c) if not isinstance(c, str) else c for c in r) + " |")
    sys.stdout.flush()


# ------------------------------------------------------------------- Proost --

EMAIL = "bench@example.com"
NAME = "Bench"
PASSWORD = "bench-password-123"
TOKEN_RE = re.compile(r"/setup\?token=([A-Za-z0-9_-]+)")


class Api:
    """A keep-alive HTTP/1.1 client for the Proost API (no proxies)."""

    def __init__(self, host, port, timeout=3600.0):
        self.host, self.port, self.timeout = host, port, timeout
        self.conn = None
        self.bearer = None

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(self, method, path, body=None, headers=None):
        """Returns (status, parsed JSON or raw text, seconds for request + full response)."""
        hdrs = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        if self.bearer:
            hdrs["Authorization"] = "Bearer " + self.bearer
        hdrs.update(headers or {})
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                t0 = time.perf_counter()
                self.conn.request(method, path, body=data, headers=hdrs)
                resp = self.conn.getresponse()
                raw = resp.read()
                dt = time.perf_counter() - t0
                break
            except (http.client.RemoteDisconnected, http.client.CannotSendRequest,
                    BrokenPipeError, ConnectionResetError, ConnectionRefusedError):
                self.close()
                if attempt == 2:
                    raise
        if resp.getheader("Connection", "").lower() == "close":
            self.close()
        text = raw.decode("utf-8", "replace")
        try:
            payload = json.loads(text) if text else None
        except ValueError:
            payload = text
        return resp.status, payload, dt


def describe_error(status, payload):
    if isinstance(payload, dict) and isinstance(payload.get("error"), dict):
        e = payload["error"]
        return f"HTTP {status} {e.get('code')}: {e.get('message')}"
    return f"HTTP {status}: {str(payload)[:500]}"


def expect(status, payload, want, what):
    ok = status in want if isinstance(want, (tuple, list)) else status == want
    if not ok:
        raise BenchError(f"{what}: expected HTTP {want}, got {describe_error(status, payload)}"
                         " -- the Proost side does not answer as bench/README.md specifies")


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def check_binary(path):
    path = Path(path)
    if not (path.is_file() and os.access(path, os.X_OK)):
        raise BenchError(
            f"no proost binary at {path}: build it with `cargo build --release` "
            f"(CARGO_TARGET_DIR=/var/tmp/proost-target) or pass --proost PATH "
            f"(or --no-proost for the peers only)")
    return path.resolve()


class Server:
    """`proost serve --no-demo` on a data dir; first-run setup, login, a bearer token."""

    def __init__(self, binary, data_dir, log_path, extra_args=(), demo=False):
        self.binary, self.data_dir, self.log_path = Path(binary), Path(data_dir), Path(log_path)
        self.port = free_port()
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.log_file = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [str(self.binary), "serve", "--data-dir", str(self.data_dir),
             "--listen", f"127.0.0.1:{self.port}", *(() if demo else ("--no-demo",)),
             *extra_args],
            stdin=subprocess.DEVNULL, stdout=self.log_file, stderr=subprocess.STDOUT,
            env=dict(os.environ, NO_COLOR="1"))
        self.api = Api("127.0.0.1", self.port)

    def output(self):
        try:
            return self.log_path.read_text("utf-8", "replace")
        except OSError:
            return ""

    def _dead(self):
        if self.proc.poll() is not None:
            raise BenchError(f"proost serve exited with status {self.proc.returncode}; "
                             f"output:\n{self.output()[-4000:]}")

    def wait_ready(self, timeout=120, first_run=True):
        """Waits for the setup link (first run) and /api/v1/health; returns the token."""
        deadline = time.monotonic() + timeout
        token = None
        while first_run and token is None:
            m = TOKEN_RE.search(self.output())
            if m:
                token = m.group(1)
                break
            self._dead()
            if time.monotonic() > deadline:
                raise BenchError(f"no setup link (/setup?token=...) within {timeout}s; output:\n"
                                 f"{self.output()[-4000:]}")
            time.sleep(0.1)
        while True:
            self._dead()
            try:
                status, _, _ = self.api.request("GET", "/api/v1/health")
                if status == 200:
                    return token
            except OSError:
                self.api.close()
            if time.monotonic() > deadline:
                raise BenchError(f"GET /api/v1/health did not answer 200 within {timeout}s")
            time.sleep(0.1)

    def setup_and_login(self, token):
        if token is not None:
            s, p, _ = self.api.request("POST", "/api/v1/setup", {
                "token": token, "email": EMAIL, "name": NAME, "password": PASSWORD})
            expect(s, p, (200, 201), "POST /api/v1/setup")
        s, p, _ = self.api.request("POST", "/api/v1/session",
                                   {"email": EMAIL, "password": PASSWORD})
        expect(s, p, 200, "POST /api/v1/session")
        if not isinstance(p, dict) or not p.get("token"):
            raise BenchError(f"POST /api/v1/session: no token in {str(p)[:300]}")
        self.api.bearer = p["token"]
        return p["token"]

    def add_connection(self, name, url):
        s, p, _ = self.api.request("POST", "/api/v1/connections",
                                   {"name": name, "kind": "postgres", "url": url})
        expect(s, p, (200, 201), "POST /api/v1/connections")
        if not isinstance(p, dict) or "id" not in p:
            raise BenchError(f"POST /api/v1/connections: no id in {str(p)[:300]}")
        return p["id"]

    def add_replica(self, conn_id, table, mode="full"):
        s, p, _ = self.api.request("POST", f"/api/v1/connections/{conn_id}/replicas",
                                   {"table": table, "mode": mode})
        expect(s, p, (200, 201), f"POST /api/v1/connections/{conn_id}/replicas {table}")
        return p

    def sync(self, conn_id):
        s, p, dt = self.api.request("POST", f"/api/v1/connections/{conn_id}/sync?wait=true")
        expect(s, p, (200, 201), f"POST /api/v1/connections/{conn_id}/sync?wait=true")
        return p, dt

    def query(self, sql, limit=100000, no_cache=False):
        headers = {"Cache-Control": "no-cache"} if no_cache else None
        s, p, dt = self.api.request("POST", "/api/v1/query", {"sql": sql, "limit": limit},
                                    headers=headers)
        return s, p, dt

    def stop(self):
        self.api.close()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                log("proost serve did not stop within 30 s of SIGTERM; killing it")
                self.proc.kill()
                self.proc.wait()
        self.log_file.close()


def start_proost_with_tpch(binary, data_dir, sf, tables, log_path, serve_args=(),
                           sync=True):
    """A fresh server on data_dir with connection `tpch` to proost_tpch_<sf> and full replicas
    of `tables`; synced through the API when `sync`. Returns (server, connection id)."""
    server = Server(binary, data_dir, log_path, serve_args)
    try:
        token = server.wait_ready()
        server.setup_and_login(token)
        conn_id = server.add_connection("tpch", pg_url(sf))
        for t in tables:
            server.add_replica(conn_id, f"public.{t}")
        if sync:
            log(f"syncing replicas of {', '.join(tables)} (POST .../sync?wait=true)")
            result, dt = server.sync(conn_id)
            log(f"synced in {dt:.1f}s: {json.dumps(result)[:1000]}")
        return server, conn_id
    except BaseException:
        server.stop()
        raise


def check_query_payload(payload, what, want_replica=True):
    if not isinstance(payload, dict) or not isinstance(payload.get("rows"), list):
        raise BenchError(f"{what}: no \"rows\" list in the answer: {str(payload)[:300]}")
    if want_replica:
        srcs = payload.get("sources")
        if not isinstance(srcs, list) or not srcs:
            raise BenchError(f"{what}: no \"sources\" in the answer: {str(payload)[:300]}")
        live = [s for s in srcs if s.get("served_from") != "replica"]
        if live:
            raise BenchError(f"{what}: not served from the replica: {json.dumps(live)[:300]}")
