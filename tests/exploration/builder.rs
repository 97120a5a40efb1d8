//! The builder's answers equal hand-written SQL, run natively on PostgreSQL, MariaDB and
//! SQLite, for a corpus of specs covering every builder operation; invalid specs fail with
//! a path to the offending node.

use serde_json::{Value, json};

use crate::common::{MyDb, PgDb, TestServer, error_code};

const PG_SETUP: &str = "
CREATE TABLE sales (id int PRIMARY KEY, region text, product text, amount numeric(10,2), qty int, sold_at date, note text);
CREATE TABLE regions (code text PRIMARY KEY, name text);
INSERT INTO regions VALUES ('EU', 'Europe'), ('US', 'United States'), ('APAC', 'Asia Pacific');
";
const MY_SETUP: [&str; 3] = [
    "CREATE TABLE sales (id int PRIMARY KEY, region varchar(10), product varchar(20), amount decimal(10,2), qty int, sold_at date, note varchar(50))",
    "CREATE TABLE regions (code varchar(10) PRIMARY KEY, name varchar(50))",
    "INSERT INTO regions VALUES ('EU', 'Europe'), ('US', 'United States'), ('APAC', 'Asia Pacific')",
];
const LITE_SETUP: &str = "
CREATE TABLE sales (id INTEGER PRIMARY KEY, region TEXT, product TEXT, amount REAL, qty INTEGER, sold_at DATE, note TEXT);
CREATE TABLE regions (code TEXT PRIMARY KEY, name TEXT);
INSERT INTO regions VALUES ('EU', 'Europe'), ('US', 'United States'), ('APAC', 'Asia Pacific');
";
/// The same rows in every database (a constant statement: no value is formatted in).
const ROWS: &str = "INSERT INTO sales VALUES
(1,'EU','apple',10.50,3,'2024-01-05',NULL),(2,'EU','pear',4.25,1,'2024-01-20','gift'),
(3,'US','apple',7.00,2,'2024-02-03',NULL),(4,'US','plum',12.75,5,'2024-02-14','rush'),
(5,'APAC','pear',3.10,1,'2024-03-01',NULL),(6,'EU','plum',8.80,4,'2024-03-15','gift wrap'),
(7,'US','apple',15.00,6,'2024-03-30',NULL),(8,'APAC','apple',6.60,2,'2024-04-02','50% off'),
(9,'EU','apple',9.99,3,'2024-04-18',NULL),(10,'US','pear',2.50,1,'2024-05-05','gift'),
(11,'APAC','plum',11.11,4,'2024-05-21',NULL),(12,'EU','pear',5.55,2,'2024-06-09',NULL),
(13,'US','plum',20.00,8,'2024-06-30','bulk'),(14,'APAC','pear',1.95,1,'2024-07-04',NULL),
(15,'EU','apple',13.40,5,'2024-07-19','rush'),(16,'US','apple',4.80,2,'2024-08-08',NULL),
(17,'APAC','apple',7.70,3,'2024-08-25','gift'),(18,'EU','plum',6.05,2,'2024-09-10',NULL),
(19,'US','pear',3.30,1,'2024-09-29',NULL),(20,'APAC','plum',9.45,4,'2024-10-13','o_k'),
(21,'EU','pear',2.20,1,'2024-11-02',NULL),(22,'US','plum',17.60,7,'2024-11-27','bulk'),
(23,'APAC','apple',5.00,2,'2024-12-12',NULL),(24,'EU','apple',11.25,4,'2024-12-31','gift')";

struct Case {
    spec: Value,
    /// Portable SQL over `sales` and `regions` (`{T}`/`{R}` stand for the qualified names).
    sql: String,
    /// The answer's order is part of the question.
    ordered: bool,
}

fn case(spec: Value, sql: &str, ordered: bool) -> Case {
    Case {
        spec,
        sql: sql.to_string(),
        ordered,
    }
}

/// The corpus: aggregations × breakouts, filters × shapes, and one case per further op.
fn corpus() -> Vec<Case> {
    let mut out = Vec::new();
    let aggs: [(Value, &str); 7] = [
        (json!({"op": "count"}), "COUNT(*)"),
        (json!({"op": "sum", "column": "amount"}), "SUM(amount)"),
        (json!({"op": "avg", "column": "amount"}), "AVG(amount)"),
        (json!({"op": "min", "column": "amount"}), "MIN(amount)"),
        (json!({"op": "max", "column": "sold_at"}), "MAX(sold_at)"),
        (
            json!({"op": "count_distinct", "column": "product"}),
            "COUNT(DISTINCT product)",
        ),
        (json!({"op": "sum", "column": "qty"}), "SUM(qty)"),
    ];
    let groups: [&[&str]; 4] = [&[], &["region"], &["product"], &["region", "product"]];
    for (agg, sql_agg) in &aggs {
        for g in groups {
            let breakouts: Vec<Value> = g.iter().map(|c| json!({"column": c})).collect();
            let cols = g.join(", ");
            let sql = if g.is_empty() {
                format!("SELECT {sql_agg} FROM {{T}}")
            } else {
                format!("SELECT {cols}, {sql_agg} FROM {{T}} GROUP BY {cols}")
            };
            out.push(case(
                json!({"v": 1, "source": {"table": "{T}"}, "breakouts": breakouts, "aggregations": [agg]}),
                &sql,
                false,
            ));
        }
    }
    let filters: [(Value, &str); 10] = [
        (
            json!({"column": "region", "op": "eq", "value": "EU"}),
            "region = 'EU'",
        ),
        (
            json!({"column": "amount", "op": "gt", "value": 8}),
            "amount > 8",
        ),
        (
            json!({"column": "amount", "op": "le", "value": 5.55}),
            "amount <= 5.55",
        ),
        (json!({"column": "note", "op": "is_null"}), "note IS NULL"),
        (
            json!({"column": "note", "op": "contains", "value": "gift"}),
            "note LIKE '%gift%'",
        ),
        (
            json!({"column": "note", "op": "contains", "value": "_"}),
            "note LIKE '%o_k%' AND note NOT LIKE '%50%'",
        ),
        (
            json!({"column": "product", "op": "in", "value": ["apple", "plum"]}),
            "product IN ('apple', 'plum')",
        ),
        (
            json!({"column": "qty", "op": "between", "value": [2, 4]}),
            "qty BETWEEN 2 AND 4",
        ),
        (
            json!({"not": {"column": "region", "op": "eq", "value": "US"}}),
            "NOT (region = 'US')",
        ),
        (
            json!({"or": [{"column": "region", "op": "eq", "value": "APAC"}, {"column": "amount", "op": "ge", "value": 15}]}),
            "(region = 'APAC' OR amount >= 15)",
        ),
    ];
    for (f, where_) in &filters {
        out.push(case(
            json!({"v": 1, "source": {"table": "{T}"}, "filter": f,
                   "breakouts": [{"column": "region"}], "aggregations": [{"op": "count"}]}),
            &format!("SELECT region, COUNT(*) FROM {{T}} WHERE {where_} GROUP BY region"),
            false,
        ));
        out.push(case(
            json!({"v": 1, "source": {"table": "{T}"}, "filter": f, "fields": ["id", "amount"],
                   "order": [{"column": "id"}]}),
            &format!("SELECT id, amount FROM {{T}} WHERE {where_} ORDER BY id"),
            true,
        ));
    }
    out.push(case(
        json!({"v": 1, "source": {"table": "{T}"}, "breakouts": [{"column": "region"}],
               "aggregations": [{"op": "sum", "column": "amount", "name": "revenue"}],
               "order": [{"column": "revenue", "desc": true}], "limit": 2}),
        "SELECT region, SUM(amount) AS revenue FROM {T} GROUP BY region ORDER BY revenue DESC LIMIT 2",
        true,
    ));
    out.push(case(
        json!({"v": 1, "source": {"table": "{T}"}, "breakouts": [{"column": "product"}],
               "aggregations": [{"op": "sum", "column": "amount", "name": "revenue"}],
               "stages": [{"filter": {"column": "revenue", "op": "gt", "value": 60}}]}),
        "SELECT product, SUM(amount) FROM {T} GROUP BY product HAVING SUM(amount) > 60",
        false,
    ));
    out.push(case(
        json!({"v": 1, "source": {"table": "{T}"}, "breakouts": [{"column": "region"}],
               "aggregations": [{"op": "count_distinct", "column": "product", "name": "products"}],
               "stages": [{"aggregations": [{"op": "avg", "column": "products"}]}]}),
        "SELECT AVG(c) FROM (SELECT region, COUNT(DISTINCT product) AS c FROM {T} GROUP BY region) t",
        false,
    ));
    out.push(case(
        json!({"v": 1, "source": {"table": "{T}"}, "columns": [{"name": "unit", "expression": "[amount] / [qty]"}],
               "breakouts": [{"column": "product"}], "aggregations": [{"op": "max", "column": "unit"}]}),
        "SELECT product, MAX(amount / qty) FROM {T} GROUP BY product",
        false,
    ));
    out.push(case(
        json!({"v": 1, "source": {"table": "{T}"},
               "columns": [{"name": "big", "expression": "CASE WHEN [amount] >= 10 THEN 'big' ELSE 'small' END"}],
               "breakouts": [{"column": "big"}], "aggregations": [{"op": "count"}]}),
        "SELECT CASE WHEN amount >= 10 THEN 'big' ELSE 'small' END AS big, COUNT(*) FROM {T} GROUP BY CASE WHEN amount >= 10 THEN 'big' ELSE 'small' END",
        false,
    ));
    out.push(case(
        json!({"v": 1, "source": {"table": "{T}"}, "breakouts": [{"column": "amount", "bin": 5}],
               "aggregations": [{"op": "count"}]}),
        "SELECT FLOOR(amount / 5) * 5, COUNT(*) FROM {T} GROUP BY FLOOR(amount / 5) * 5",
        false,
    ));
    out.push(case(
        json!({"v": 1, "source": {"table": "{T}"}, "breakouts": [{"column": "region"}],
               "aggregations": [{"op": "share", "filter": {"column": "note", "op": "contains", "value": "gift"}}]}),
        "SELECT region, AVG(CASE WHEN note LIKE '%gift%' THEN 1.0 ELSE 0.0 END) FROM {T} GROUP BY region",
        false,
    ));
    out.push(case(
        json!({"v": 1, "source": {"table": "{T}"}, "breakouts": [{"column": "region"}],
               "aggregations": [{"op": "sum", "column": "amount", "name": "revenue"},
                                {"op": "cumulative_sum", "column": "amount", "name": "running"},
                                {"op": "previous", "of": "revenue"}],
               "order": [{"column": "region"}]}),
        "SELECT region, SUM(amount), SUM(SUM(amount)) OVER (ORDER BY region), LAG(SUM(amount)) OVER (ORDER BY region) FROM {T} GROUP BY region ORDER BY region",
        true,
    ));
    out.push(case(
        json!({"v": 1, "source": {"table": "{T}"}, "breakouts": [{"column": "product"}],
               "aggregations": [{"op": "cumulative_count", "name": "n"}], "order": [{"column": "product"}]}),
        "SELECT product, SUM(COUNT(*)) OVER (ORDER BY product) FROM {T} GROUP BY product ORDER BY product",
        true,
    ));
    out.push(case(
        json!({"v": 1, "source": {"table": "{T}", "alias": "s"},
               "joins": [{"table": "{R}", "alias": "r", "on": [{"left": "region", "right": "code"}]}],
               "breakouts": [{"column": "r.name"}], "aggregations": [{"op": "sum", "column": "qty"}]}),
        "SELECT r.name, SUM(s.qty) FROM {T} s JOIN {R} r ON s.region = r.code GROUP BY r.name",
        false,
    ));
    out.push(case(
        json!({"v": 1, "source": {"table": "{T}"},
               "joins": [{"table": "{R}", "kind": "left", "on": [{"left": "region", "right": "code"}]}],
               "filter": {"column": "name", "op": "starts_with", "value": "Euro"},
               "aggregations": [{"op": "count"}]}),
        "SELECT COUNT(*) FROM {T} s LEFT JOIN {R} r ON s.region = r.code WHERE r.name LIKE 'Euro%'",
        false,
    ));
    out.push(case(
        json!({"v": 1, "source": {"table": "{T}"}, "params": [{"name": "min", "type": "number", "default": 10}],
               "filter": {"column": "amount", "op": "ge", "value": {"param": "min"}},
               "aggregations": [{"op": "count"}]}),
        "SELECT COUNT(*) FROM {T} WHERE amount >= 10",
        false,
    ));
    out.push(case(
        json!({"v": 1, "source": {"table": "{T}"}, "params": [{"name": "region", "type": "text"}],
               "filter": {"and": [{"column": "region", "op": "eq", "value": {"param": "region"}},
                                  {"column": "qty", "op": "gt", "value": 1}]},
               "aggregations": [{"op": "count"}]}),
        // A parameter without a value leaves its condition out.
        "SELECT COUNT(*) FROM {T} WHERE qty > 1",
        false,
    ));
    out.push(case(
        json!({"v": 1, "source": {"table": "{T}"}, "filter": {"column": "sold_at", "op": "between", "value": ["2024-03-01", "2024-06-30"]},
               "aggregations": [{"op": "sum", "column": "amount"}]}),
        "SELECT SUM(amount) FROM {T} WHERE sold_at BETWEEN '2024-03-01' AND '2024-06-30'",
        false,
    ));
    out.push(case(
        json!({"v": 1, "source": {"table": "{T}"}, "filter": {"column": "sold_at", "op": "relative", "amount": -30, "unit": "year"},
               "aggregations": [{"op": "count"}]}),
        "SELECT COUNT(*) FROM {T}",
        false,
    ));
    out
}

/// Month buckets are written differently by each database.
fn month_case(dialect: &str) -> Case {
    let month = match dialect {
        "postgres" => "to_char(sold_at, 'YYYY-MM')",
        "mysql" => "DATE_FORMAT(sold_at, '%Y-%m')",
        _ => "strftime('%Y-%m', sold_at)",
    };
    case(
        json!({"v": 1, "source": {"table": "{T}"}, "breakouts": [{"column": "sold_at", "bucket": "month"}],
               "aggregations": [{"op": "sum", "column": "qty"}], "order": [{"column": "sold_at_month"}]}),
        &format!("SELECT {month}, SUM(qty) FROM {{T}} GROUP BY {month} ORDER BY 1"),
        true,
    )
}

/// A cell compared across engines: numbers to 4 decimals, dates to the day (or month).
fn cell(v: &Value) -> String {
    let num = match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.parse::<f64>().ok(),
        _ => None,
    };
    if let Some(f) = num {
        return format!("{:.4}", if f == 0.0 { 0.0 } else { f });
    }
    match v {
        Value::String(s) if s.len() >= 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-' => {
            // A month bucket is the first day of its month; the SQL names the month.
            let day = &s[..10];
            if day.ends_with("-01") && s.len() > 10 {
                day[..7].to_string()
            } else {
                day.to_string()
            }
        }
        Value::Null => "null".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn rows(body: &Value, ordered: bool) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = body["rows"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|r| {
                    r.as_array()
                        .map(|c| c.iter().map(cell).collect())
                        .unwrap_or_default()
                })
                .collect()
        })
        .unwrap_or_default();
    if !ordered {
        rows.sort();
    }
    rows
}

fn with_tables(v: &Value, t: &str, r: &str) -> Value {
    let text = v.to_string().replace("{T}", t).replace("{R}", r);
    serde_json::from_str(&text).expect("spec")
}

#[tokio::test]
async fn builder_answers_equal_hand_written_sql_on_postgres_mariadb_and_sqlite() {
    let s = TestServer::with_admin(false).await;
    let pg = PgDb::create(&format!("{PG_SETUP}{ROWS};")).await;
    s.add_connection("pg", "postgres", &pg.url).await;
    let my = MyDb::create(&[MY_SETUP[0], MY_SETUP[1], MY_SETUP[2], ROWS]).await;
    s.add_connection("my", "mysql", &my.url).await;
    let file = s.data_dir.join("sources").join("lite.db");
    std::fs::create_dir_all(file.parent().expect("dir")).expect("sources dir");
    rusqlite::Connection::open(&file)
        .and_then(|c| c.execute_batch(&format!("{LITE_SETUP}{ROWS};")))
        .expect("sqlite source");
    s.add_connection("lite", "sqlite", &format!("sqlite://{}", file.display()))
        .await;

    let sources = [
        ("pg", "postgres", "public".to_string()),
        ("my", "mysql", my.name.clone()),
        ("lite", "sqlite", "main".to_string()),
    ];
    let mut failures = Vec::new();
    let mut checked = 0;
    for (conn, dialect, schema) in &sources {
        let t = format!("{conn}.{schema}.sales");
        let r = format!("{conn}.{schema}.regions");
        let mut cases = corpus();
        cases.push(month_case(dialect));
        for c in &cases {
            let spec = with_tables(&c.spec, &t, &r);
            let (status, built) = s
                .post("/api/v1/builder/run", json!({"builder": spec}))
                .await;
            let mut native_sql = c.sql.replace("{T}", "sales").replace("{R}", "regions");
            if *dialect == "sqlite" {
                // SQLite has no FLOOR; the amounts are positive.
                native_sql = native_sql.replace("FLOOR(amount / 5)", "CAST(amount / 5 AS INTEGER)");
            }
            let (nstatus, native) = s.query(&native_sql, Some(conn)).await;
            if status != 200 || nstatus != 200 {
                failures.push(format!(
                    "{conn}: {spec}\n  builder {status}: {built}\n  sql {nstatus}: {native}"
                ));
                continue;
            }
            let (a, b) = (rows(&built, c.ordered), rows(&native, c.ordered));
            if a != b {
                failures.push(format!(
                    "{conn}: {spec}\n  builder: {a:?}\n  sql:     {b:?}"
                ));
            }
            checked += 1;
        }
        // The corpus is at least 60 specs per source.
        assert!(cases.len() >= 60, "{} specs", cases.len());
    }
    assert!(
        failures.is_empty(),
        "{} of {} differ:\n{}",
        failures.len(),
        checked + failures.len(),
        failures.join("\n")
    );

    // The same specs over a replica answer the same.
    let pg_id = s.get("/api/v1/connections").await.1["connections"]
        .as_array()
        .and_then(|a| a.iter().find(|c| c["name"] == "pg"))
        .and_then(|c| c["id"].as_str().map(str::to_string))
        .expect("pg connection");
    let (status, body) = s
        .post(
            &format!("/api/v1/connections/{pg_id}/replicas"),
            json!({"table": "public.sales", "mode": "full"}),
        )
        .await;
    assert_eq!(status, 201, "replica: {body}");
    let (status, body) = s
        .post(
            &format!("/api/v1/connections/{pg_id}/sync?wait=true"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "sync: {body}");
    let mut live_cases = Vec::new();
    let mut replica_cases = Vec::new();
    for c in corpus().iter().filter(|c| !c.sql.contains("{R}")) {
        let spec = with_tables(&c.spec, "pg.public.sales", "pg.public.regions");
        let (status, answer) = s
            .post("/api/v1/builder/run", json!({"builder": spec}))
            .await;
        assert_eq!(status, 200, "{spec}: {answer}");
        assert_eq!(answer["sources"][0]["served_from"], "replica", "{answer}");
        replica_cases.push(rows(&answer, c.ordered));
        let native_sql = c.sql.replace("{T}", "sales").replace("{R}", "regions");
        let (_, native) = s.query(&native_sql, Some("pg")).await;
        live_cases.push(rows(&native, c.ordered));
    }
    assert_eq!(
        live_cases, replica_cases,
        "the replica answers as the source does"
    );

    pg.drop_db().await;
    my.drop_db().await;
}

#[tokio::test]
async fn invalid_specs_name_the_offending_node_and_view_sql_shows_the_plan() {
    let s = TestServer::with_admin(true).await;
    let t = "sample_shop.main.orders";
    for (spec, code, path) in [
        (
            json!({"v": 2, "source": {"table": t}}),
            "builder_invalid",
            "`v`",
        ),
        (
            json!({"v": 1, "source": {"table": "orders"}}),
            "builder_invalid",
            "`source.table`",
        ),
        (
            json!({"v": 1, "source": {"table": t}, "filter": {"and": [{"column": "status", "op": "eq", "value": "x"}, {"column": "nope", "op": "eq", "value": 1}]}}),
            "builder_invalid",
            "`filter.and[1].column`",
        ),
        (
            json!({"v": 1, "source": {"table": t}, "filter": {"column": "status", "op": "like"}}),
            "builder_invalid",
            "`filter.op`",
        ),
        (
            json!({"v": 1, "source": {"table": t}, "aggregations": [{"op": "count"}, {"op": "sum", "column": "status"}]}),
            "builder_invalid",
            "`aggregations[1].column`",
        ),
        (
            json!({"v": 1, "source": {"table": t}, "breakouts": [{"column": "id", "bucket": "month"}]}),
            "builder_invalid",
            "`breakouts[0].bucket`",
        ),
        (
            json!({"v": 1, "source": {"table": t}, "columns": [{"name": "x", "expression": "[amount] +"}]}),
            "builder_invalid",
            "`columns[0].expression`",
        ),
        (
            json!({"v": 1, "source": {"table": t}, "columns": [{"name": "x", "expression": "sum([amount])"}]}),
            "builder_invalid",
            "position 1",
        ),
        (
            json!({"v": 1, "source": {"table": t}, "columns": [{"name": "x", "expression": "[amount] * random_thing([id])"}]}),
            "builder_invalid",
            "`columns[0].expression`",
        ),
        (
            json!({"v": 1, "source": {"table": t}, "stages": [{"filter": {"column": "count", "op": "gt", "value": 1}}]}),
            "builder_invalid",
            "`stages[0].filter.column`",
        ),
        (
            json!({"v": 1, "source": {"table": t}, "params": [{"name": "p", "type": "colour"}]}),
            "builder_invalid",
            "`params[0].type`",
        ),
        (
            json!({"v": 1, "source": {"table": t}, "bogus": 1}),
            "invalid_body",
            "bogus",
        ),
    ] {
        let (status, body) = s
            .post("/api/v1/builder/run", json!({"builder": spec}))
            .await;
        assert_eq!(status, 400, "{spec}: {body}");
        assert_eq!(error_code(&body), code, "{spec}: {body}");
        let message = body["error"]["message"].as_str().unwrap_or("");
        assert!(
            message.contains(path),
            "{spec}: the message names {path}: {message}"
        );
    }
    // A table the caller may not see is absent, as it is to SQL.
    let (status, body) = s
        .post(
            "/api/v1/builder/run",
            json!({"builder": {"v": 1, "source": {"table": "nosuch.main.orders"}}}),
        )
        .await;
    assert_eq!(status, 404, "{body}");

    // "View SQL": the plan unparsed; values are in it as the literals the tree holds.
    let spec = json!({"v": 1, "source": {"table": t}, "filter": {"column": "status", "op": "eq", "value": "shipped"},
                      "breakouts": [{"column": "ordered_at", "bucket": "month"}], "aggregations": [{"op": "count"}]});
    let (status, body) = s
        .post("/api/v1/builder/sql", json!({"builder": spec}))
        .await;
    assert_eq!(status, 200, "{body}");
    let sql = body["sql"].as_str().unwrap_or("");
    assert!(
        sql.contains("date_trunc") && sql.contains("sample_shop") && sql.contains("GROUP BY"),
        "{sql}"
    );
}

// Joins along foreign keys: regions ← stores ← visits (a composite key), and transfers
// with two keys to regions. The same rows in every database (constant statements).
const FK_PG: &str = "
CREATE TABLE regions (code text PRIMARY KEY, name text);
CREATE TABLE stores (store_no int, region text REFERENCES regions(code), city text, PRIMARY KEY (store_no, region));
CREATE TABLE visits (id int PRIMARY KEY, shop int, area text, n int, FOREIGN KEY (shop, area) REFERENCES stores (store_no, region));
CREATE TABLE transfers (id int PRIMARY KEY, from_region text REFERENCES regions(code), to_region text REFERENCES regions(code), qty int);
CREATE TABLE notes (id int PRIMARY KEY, body text);
";
const FK_MY: [&str; 5] = [
    "CREATE TABLE regions (code varchar(10) PRIMARY KEY, name varchar(50))",
    "CREATE TABLE stores (store_no int, region varchar(10), city varchar(50), PRIMARY KEY (store_no, region), FOREIGN KEY (region) REFERENCES regions(code))",
    "CREATE TABLE visits (id int PRIMARY KEY, shop int, area varchar(10), n int, FOREIGN KEY (shop, area) REFERENCES stores (store_no, region))",
    "CREATE TABLE transfers (id int PRIMARY KEY, from_region varchar(10), to_region varchar(10), qty int, FOREIGN KEY (from_region) REFERENCES regions(code), FOREIGN KEY (to_region) REFERENCES regions(code))",
    "CREATE TABLE notes (id int PRIMARY KEY, body varchar(50))",
];
/// SQLite: the composite key is written without columns (it references the primary key).
const FK_LITE: &str = "
CREATE TABLE regions (code TEXT PRIMARY KEY, name TEXT);
CREATE TABLE stores (store_no INTEGER, region TEXT REFERENCES regions(code), city TEXT, PRIMARY KEY (store_no, region));
CREATE TABLE visits (id INTEGER PRIMARY KEY, shop INTEGER, area TEXT, n INTEGER, FOREIGN KEY (shop, area) REFERENCES stores);
CREATE TABLE transfers (id INTEGER PRIMARY KEY, from_region TEXT REFERENCES regions(code), to_region TEXT REFERENCES regions(code), qty INTEGER);
CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);
";
const FK_ROWS: [&str; 5] = [
    "INSERT INTO regions VALUES ('EU', 'Europe'), ('US', 'United States'), ('APAC', 'Asia Pacific'), ('LATAM', 'Latin America')",
    "INSERT INTO stores VALUES (1, 'EU', 'Berlin'), (2, 'EU', 'Paris'), (1, 'US', 'Boston'), (3, 'APAC', 'Tokyo')",
    "INSERT INTO visits VALUES (1, 1, 'EU', 5), (2, 2, 'EU', 3), (3, 1, 'US', 7), (4, 3, 'APAC', 2), (5, 1, 'EU', 4), (6, 2, 'EU', 1)",
    "INSERT INTO transfers VALUES (1, 'EU', 'US', 10), (2, 'US', 'APAC', 5)",
    "INSERT INTO notes VALUES (1, 'hello')",
];

/// Specs joining without `on`, and the hand-written joins they mean (`{S}` is the
/// connection.schema prefix).
fn key_join_cases() -> Vec<Case> {
    vec![
        // The joined table is referenced by the source, with a composite key.
        case(
            json!({"v": 1, "source": {"table": "{S}.visits"}, "joins": [{"table": "{S}.stores"}],
                   "breakouts": [{"column": "city"}], "aggregations": [{"op": "sum", "column": "n"}]}),
            "SELECT s.city, SUM(v.n) FROM visits v JOIN stores s ON v.shop = s.store_no AND v.area = s.region GROUP BY s.city",
            false,
        ),
        // The source is referenced by the joined table (the other direction), a left join.
        case(
            json!({"v": 1, "source": {"table": "{S}.regions", "alias": "r"},
                   "joins": [{"table": "{S}.stores", "alias": "s", "kind": "left", "on": []}],
                   "breakouts": [{"column": "r.name"}], "aggregations": [{"op": "count", "column": "city"}]}),
            "SELECT r.name, COUNT(s.city) FROM regions r LEFT JOIN stores s ON s.region = r.code GROUP BY r.name",
            false,
        ),
        // The source references the joined table.
        case(
            json!({"v": 1, "source": {"table": "{S}.stores"}, "joins": [{"table": "{S}.regions"}],
                   "fields": ["city", "name"], "order": [{"column": "city"}]}),
            "SELECT s.city, r.name FROM stores s JOIN regions r ON s.region = r.code ORDER BY s.city",
            true,
        ),
        // A second join goes along a key to any table already in the question: regions is
        // referenced by stores (joined before), not by visits.
        case(
            json!({"v": 1, "source": {"table": "{S}.visits"},
                   "joins": [{"table": "{S}.stores"}, {"table": "{S}.regions"}],
                   "breakouts": [{"column": "name"}], "aggregations": [{"op": "sum", "column": "n"}]}),
            "SELECT r.name, SUM(v.n) FROM visits v JOIN stores s ON v.shop = s.store_no AND v.area = s.region JOIN regions r ON s.region = r.code GROUP BY r.name",
            false,
        ),
    ]
}

#[tokio::test]
async fn joins_without_on_follow_the_foreign_key_on_postgres_mariadb_and_sqlite() {
    let s = TestServer::with_admin(false).await;
    let pg = PgDb::create(&format!("{FK_PG}{};", FK_ROWS.join(";\n"))).await;
    s.add_connection("pg", "postgres", &pg.url).await;
    let mut my_setup: Vec<&str> = FK_MY.to_vec();
    my_setup.extend(FK_ROWS);
    let my = MyDb::create(&my_setup).await;
    s.add_connection("my", "mysql", &my.url).await;
    let file = s.data_dir.join("sources").join("fk.db");
    std::fs::create_dir_all(file.parent().expect("dir")).expect("sources dir");
    rusqlite::Connection::open(&file)
        .and_then(|c| c.execute_batch(&format!("{FK_LITE}{};", FK_ROWS.join(";\n"))))
        .expect("sqlite source");
    s.add_connection("lite", "sqlite", &format!("sqlite://{}", file.display()))
        .await;

    let prefixes = [
        ("pg", "pg.public".to_string()),
        ("my", format!("my.{}", my.name)),
        ("lite", "lite.main".to_string()),
    ];
    let mut failures = Vec::new();
    for (conn, prefix) in &prefixes {
        for c in key_join_cases() {
            let spec: Value =
                serde_json::from_str(&c.spec.to_string().replace("{S}", prefix)).expect("spec");
            let (status, built) = s
                .post("/api/v1/builder/run", json!({"builder": spec}))
                .await;
            let (nstatus, native) = s.query(&c.sql, Some(conn)).await;
            if status != 200 || nstatus != 200 {
                failures.push(format!(
                    "{conn}: {spec}\n  builder {status}: {built}\n  sql {nstatus}: {native}"
                ));
                continue;
            }
            let (a, b) = (rows(&built, c.ordered), rows(&native, c.ordered));
            if a != b || a.is_empty() {
                failures.push(format!(
                    "{conn}: {spec}\n  builder: {a:?}\n  sql:     {b:?}"
                ));
            }
        }

        // Two keys link transfers to regions: the spec must say which.
        let (status, body) = s
            .post(
                "/api/v1/builder/run",
                json!({"builder": {"v": 1, "source": {"table": format!("{prefix}.transfers")},
                                   "joins": [{"table": format!("{prefix}.regions")}]}}),
            )
            .await;
        assert_eq!(status, 400, "{conn}: {body}");
        assert_eq!(error_code(&body), "builder_invalid", "{body}");
        let message = body["error"]["message"].as_str().unwrap_or("");
        for part in [
            "`joins[0].on`",
            "transfers.from_region → regions.code",
            "transfers.to_region → regions.code",
        ] {
            assert!(message.contains(part), "{conn}: {part} in {message}");
        }
        // No key between notes and regions: the message names both tables.
        let (status, body) = s
            .post(
                "/api/v1/builder/run",
                json!({"builder": {"v": 1, "source": {"table": format!("{prefix}.notes")},
                                   "joins": [{"table": format!("{prefix}.regions"), "kind": "left"}]}}),
            )
            .await;
        assert_eq!(status, 400, "{conn}: {body}");
        assert_eq!(error_code(&body), "builder_invalid", "{body}");
        let message = body["error"]["message"].as_str().unwrap_or("");
        for part in [
            "`joins[0].on`".to_string(),
            format!("no foreign key between `{prefix}.regions` and `{prefix}.notes`"),
            "name the columns in `on`".to_string(),
        ] {
            assert!(message.contains(&part), "{conn}: {part} in {message}");
        }
        // Naming the columns still works where no key is.
        let (status, body) = s
            .post(
                "/api/v1/builder/run",
                json!({"builder": {"v": 1, "source": {"table": format!("{prefix}.transfers")},
                                   "joins": [{"table": format!("{prefix}.regions"), "on": [{"left": "to_region", "right": "code"}]}],
                                   "fields": ["id", "name"], "order": [{"column": "id"}]}}),
            )
            .await;
        assert_eq!(status, 200, "{conn}: {body}");
        assert_eq!(
            rows(&body, true),
            vec![
                vec!["1.0000", "United States"],
                vec!["2.0000", "Asia Pacific"]
            ],
            "{conn}"
        );
    }
    assert!(
        failures.is_empty(),
        "{} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );

    // "View SQL" shows the join the key made.
    let (status, body) = s
        .post(
            "/api/v1/builder/sql",
            json!({"builder": {"v": 1, "source": {"table": "pg.public.visits"}, "joins": [{"table": "pg.public.stores"}]}}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let sql = body["sql"].as_str().unwrap_or("");
    assert!(
        sql.contains("shop") && sql.contains("store_no") && sql.contains("area"),
        "{sql}"
    );

    // A replica keeps its source table's keys: with the source gone, the replicas of
    // stores and regions still join along them.
    let pg_id = s.get("/api/v1/connections").await.1["connections"]
        .as_array()
        .and_then(|a| a.iter().find(|c| c["name"] == "pg"))
        .and_then(|c| c["id"].as_str().map(str::to_string))
        .expect("pg connection");
    for table in ["public.stores", "public.regions"] {
        let (status, body) = s
            .post(
                &format!("/api/v1/connections/{pg_id}/replicas"),
                json!({"table": table, "mode": "full"}),
            )
            .await;
        assert_eq!(status, 201, "replica: {body}");
    }
    let (status, body) = s
        .post(
            &format!("/api/v1/connections/{pg_id}/sync?wait=true"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "sync: {body}");
    let spec = json!({"v": 1, "source": {"table": "pg.public.stores"}, "joins": [{"table": "pg.public.regions"}],
                      "fields": ["city", "name"], "order": [{"column": "city"}]});
    let (status, live) = s
        .post("/api/v1/builder/run", json!({"builder": spec}))
        .await;
    assert_eq!(status, 200, "{live}");
    pg.drop_db().await;
    // A scan forgets the cached catalog (and fails: the source is gone).
    let _ = s
        .post(
            &format!("/api/v1/connections/{pg_id}/scan?wait=true"),
            json!({}),
        )
        .await;
    let (status, replicated) = s
        .post("/api/v1/builder/run", json!({"builder": spec}))
        .await;
    assert_eq!(status, 200, "{replicated}");
    assert!(
        replicated["sources"]
            .as_array()
            .is_some_and(|a| a.len() == 2 && a.iter().all(|t| t["served_from"] == "replica")),
        "{replicated}"
    );
    assert_eq!(rows(&replicated, true), rows(&live, true));
    my.drop_db().await;
}

#[tokio::test]
async fn a_foreign_key_through_a_table_or_column_the_caller_may_not_see_is_absent() {
    let s = TestServer::with_admin(false).await;
    let pg = PgDb::create(&format!("{FK_PG}{};", FK_ROWS.join(";\n"))).await;
    s.add_connection("pg", "postgres", &pg.url).await;
    let pg_id = s.get("/api/v1/connections").await.1["connections"]
        .as_array()
        .and_then(|a| a.iter().find(|c| c["name"] == "pg"))
        .and_then(|c| c["id"].as_str().map(str::to_string))
        .expect("pg connection");
    // Ann may read stores and only the name of regions; Bo may read stores and nothing of
    // regions; Cy may read both.
    let (ann, ann_t) = s.user("ann@example.com", "analyst", json!({})).await;
    let (bo, bo_t) = s.user("bo@example.com", "analyst", json!({})).await;
    let (cy, cy_t) = s.user("cy@example.com", "analyst", json!({})).await;
    for user in [&ann, &bo, &cy] {
        s.grant(
            json!({"principal": {"user": user}, "connection": "pg", "schema": "public",
                       "table": "stores", "level": "query"}),
        )
        .await;
    }
    s.grant(
        json!({"principal": {"user": ann}, "connection": "pg", "schema": "public",
                   "table": "regions", "column": "name", "level": "query"}),
    )
    .await;
    s.grant(
        json!({"principal": {"user": cy}, "connection": "pg", "schema": "public",
                   "table": "regions", "level": "query"}),
    )
    .await;

    let stores_keys = |body: &Value| -> Value {
        body["schemas"]
            .as_array()
            .and_then(|a| a.iter().find(|s| s["name"] == "public"))
            .and_then(|s| s["tables"].as_array())
            .and_then(|t| t.iter().find(|t| t["name"] == "stores"))
            .map(|t| t["foreign_keys"].clone())
            .unwrap_or(Value::Null)
    };
    let schema_path = format!("/api/v1/connections/{pg_id}/schema");
    let key = json!([{"columns": ["region"], "ref_schema": "public", "ref_table": "regions", "ref_columns": ["code"]}]);
    let (status, body) = s.get(&schema_path).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(stores_keys(&body), key, "the admin sees the key: {body}");
    use reqwest::Method as M;
    let (status, body) = s.send_as(Some(&cy_t), M::GET, &schema_path, None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(stores_keys(&body), key, "cy sees both sides: {body}");
    for (who, token) in [("ann", &ann_t), ("bo", &bo_t)] {
        let (status, body) = s
            .send_as(Some(token.as_str()), M::GET, &schema_path, None)
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            stores_keys(&body),
            Value::Null,
            "{who} does not see the key: {body}"
        );
        assert!(
            !body.to_string().contains("\"code\""),
            "{who} learns nothing of regions.code: {body}"
        );
    }

    // The builder: along the key for cy; no key for ann (the key names regions.code, which
    // she may not see); no table at all for bo.
    let spec = json!({"v": 1, "source": {"table": "pg.public.stores"}, "joins": [{"table": "pg.public.regions"}],
                      "fields": ["city", "name"], "order": [{"column": "city"}]});
    let run = |token: &str| {
        let (s, spec) = (&s, spec.clone());
        let token = token.to_string();
        async move {
            s.send_as(
                Some(&token),
                M::POST,
                "/api/v1/builder/run",
                Some(json!({"builder": spec})),
            )
            .await
        }
    };
    let (status, body) = run(&cy_t).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        rows(&body, true),
        vec![
            vec!["Berlin", "Europe"],
            vec!["Boston", "United States"],
            vec!["Paris", "Europe"],
            vec!["Tokyo", "Asia Pacific"],
        ]
    );
    let (status, body) = run(&ann_t).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(error_code(&body), "builder_invalid", "{body}");
    let message = body["error"]["message"].as_str().unwrap_or("");
    assert!(
        message.contains("`joins[0].on`")
            && message
                .contains("no foreign key between `pg.public.regions` and `pg.public.stores`")
            && !message.contains("code"),
        "{message}"
    );
    let (status, body) = run(&bo_t).await;
    assert_eq!(status, 404, "{body}");
    pg.drop_db().await;
}
