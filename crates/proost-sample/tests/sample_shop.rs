use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use proost_sample::{SampleSize, ensure_sample_shop};
use rusqlite::{Connection, OpenFlags};

/// A fresh directory under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir = std::env::temp_dir().join(format!(
            "proost-sample-{tag}-{}-{n}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A DEMO-size database shared by the read-only tests. It is generated once and deleted
/// when the last test holding it finishes (statics are never dropped, so the static only
/// keeps a weak reference).
struct SharedDemo {
    _dir: TempDir,
    path: PathBuf,
}

fn demo_db() -> Arc<SharedDemo> {
    static SHARED: Mutex<Weak<SharedDemo>> = Mutex::new(Weak::new());
    let mut slot = SHARED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(db) = slot.upgrade() {
        return db;
    }
    let dir = TempDir::new("demo");
    let path = dir.path().join("sample_shop.db");
    let started = Instant::now();
    assert!(ensure_sample_shop(&path, SampleSize::DEMO).unwrap());
    eprintln!("DEMO sample shop generated in {:?}", started.elapsed());
    let db = Arc::new(SharedDemo { _dir: dir, path });
    *slot = Arc::downgrade(&db);
    db
}

fn open_ro(path: &Path) -> Connection {
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn iban_mod97_ok(iban: &str) -> bool {
    let compact: String = iban.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.len() < 15 || compact.len() > 34 {
        return false;
    }
    let rearranged = format!("{}{}", &compact[4..], &compact[..4]);
    let mut r: u64 = 0;
    for c in rearranged.chars() {
        let v = match c.to_digit(36) {
            Some(v) if !c.is_ascii_lowercase() => u64::from(v),
            _ => return false,
        };
        r = if v < 10 {
            (r * 10 + v) % 97
        } else {
            (r * 100 + v) % 97
        };
    }
    r == 1
}

#[test]
fn demo_database_has_120k_orders_5000_customers_and_every_order_references_existing_rows() {
    let db = demo_db();
    let conn = open_ro(&db.path);
    assert_eq!(count(&conn, "SELECT count(*) FROM customers"), 5_000);
    assert_eq!(count(&conn, "SELECT count(*) FROM products"), 200);
    let orders = count(&conn, "SELECT count(*) FROM orders");
    assert!(orders >= 100_000, "only {orders} orders");
    assert_eq!(orders, 120_000);
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM orders o LEFT JOIN customers c ON c.id = o.customer_id
             WHERE c.id IS NULL"
        ),
        0
    );
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM orders o LEFT JOIN products p ON p.id = o.product_id
             WHERE p.id IS NULL"
        ),
        0
    );
    let fk_violations: Vec<String> = conn
        .prepare("PRAGMA foreign_key_check")
        .unwrap()
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(fk_violations.is_empty());
    assert_eq!(
        conn.query_row("PRAGMA integrity_check", [], |r| r.get::<_, String>(0))
            .unwrap(),
        "ok"
    );
    // A plain rollback-journal file, nothing left beside it.
    assert_eq!(
        conn.query_row("PRAGMA journal_mode", [], |r| r.get::<_, String>(0))
            .unwrap(),
        "delete"
    );
    let dir = db.path.parent().unwrap();
    let names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["sample_shop.db".to_owned()]);
}

#[test]
fn orders_are_spread_over_2024_to_october_2026_with_consistent_amounts_and_statuses() {
    let db = demo_db();
    let conn = open_ro(&db.path);
    let (min, max): (String, String) = conn
        .query_row(
            "SELECT min(ordered_at), max(ordered_at) FROM orders",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(
        min.as_str() >= "2024-01-01 00:00:00" && min.as_str() < "2024-01-08",
        "{min}"
    );
    assert!(
        max.as_str() <= "2026-10-31 23:59:59" && max.as_str() > "2026-10-24",
        "{max}"
    );
    // Every month of the period has orders.
    assert_eq!(
        count(
            &conn,
            "SELECT count(DISTINCT substr(ordered_at, 1, 7)) FROM orders"
        ),
        34
    );
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM orders WHERE ordered_at NOT GLOB
             '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]'"
        ),
        0
    );
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM orders o JOIN products p ON p.id = o.product_id
             WHERE abs(o.amount - round(o.quantity * p.price, 2)) > 0.001"
        ),
        0
    );
    assert_eq!(
        count(
            &conn,
            "SELECT count(DISTINCT status) FROM orders
             WHERE status IN ('paid','shipped','delivered','refunded','cancelled')"
        ),
        5
    );
    // Orders never precede the customer's account.
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM orders o JOIN customers c ON c.id = o.customer_id
             WHERE o.ordered_at < c.created_at"
        ),
        0
    );
    // SKUs look like EL-00042.
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM products WHERE sku NOT GLOB '[A-Z][A-Z]-[0-9][0-9][0-9][0-9][0-9]'"
        ),
        0
    );
    assert!(count(&conn, "SELECT count(DISTINCT category) FROM products") >= 6);
}

#[test]
fn every_iban_passes_mod97_every_email_has_an_at_and_about_ten_percent_have_health_notes() {
    let db = demo_db();
    let conn = open_ro(&db.path);
    let ibans: Vec<String> = conn
        .prepare("SELECT iban FROM customers WHERE iban IS NOT NULL")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(ibans.len() > 3_000, "only {} IBANs", ibans.len());
    for iban in &ibans {
        assert!(iban_mod97_ok(iban), "invalid IBAN {iban}");
    }
    for cc in ["DE", "NL", "FR", "ES", "GB"] {
        assert!(ibans.iter().any(|i| i.starts_with(cc)), "no {cc} IBAN");
    }

    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM customers WHERE instr(email, '@') = 0"
        ),
        0
    );
    let health = count(
        &conn,
        "SELECT count(*) FROM customers WHERE health_notes IS NOT NULL",
    );
    assert!((400..=600).contains(&health), "{health} health notes");
    assert!(
        count(
            &conn,
            "SELECT count(*) FROM customers WHERE health_notes IN
             ('Allergic to penicillin', 'Type 2 diabetes, takes metformin',
              'Asthma — inhaler at hand')"
        ) > 0
    );

    // Birth dates are ISO dates between 1940 and 2006.
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM customers WHERE date_of_birth NOT BETWEEN '1940-01-01' AND
             '2006-12-31' OR date(date_of_birth) IS NOT date_of_birth"
        ),
        0
    );
    // Postcodes match the country.
    for (country, pattern) in [
        ("Germany", "[0-9][0-9][0-9][0-9][0-9]"),
        ("France", "[0-9][0-9][0-9][0-9][0-9]"),
        ("Spain", "[0-9][0-9][0-9][0-9][0-9]"),
        ("United States", "[0-9][0-9][0-9][0-9][0-9]"),
        ("Netherlands", "[1-9][0-9][0-9][0-9] [A-Z][A-Z]"),
        ("United Kingdom", "[A-Z]*[0-9]* [0-9][A-Z][A-Z]"),
    ] {
        let bad = conn
            .query_row(
                "SELECT count(*) FROM customers WHERE country = ?1 AND postal_code NOT GLOB ?2",
                [country, pattern],
                |r| r.get::<_, i64>(0),
            )
            .unwrap();
        assert_eq!(bad, 0, "{country}");
        assert!(
            count(
                &conn,
                &format!("SELECT count(*) FROM customers WHERE country = '{country}'")
            ) > 100
        );
    }
    // Several name locales and phone formats.
    assert!(count(&conn, "SELECT count(DISTINCT first_name) FROM customers") >= 60);
    assert!(count(&conn, "SELECT count(DISTINCT last_name) FROM customers") >= 60);
    for like in [
        "+49 30 %",
        "+31 6 %",
        "(%) 555-01%",
        "+44 20 %",
        "06 __ __ __ __",
    ] {
        let n = conn
            .query_row(
                "SELECT count(*) FROM customers WHERE phone LIKE ?1",
                [like],
                |r| r.get::<_, i64>(0),
            )
            .unwrap();
        assert!(n > 0, "no phone like {like}");
    }
}

#[test]
fn two_generations_into_separate_directories_are_identical() {
    let db = demo_db();
    let other = TempDir::new("determinism");
    let path = other.path().join("sample_shop.db");
    assert!(ensure_sample_shop(&path, SampleSize::DEMO).unwrap());

    let conn = open_ro(&db.path);
    conn.execute("ATTACH DATABASE ?1 AS other", [path.to_str().unwrap()])
        .unwrap();
    for table in ["customers", "products", "orders"] {
        let a = count(&conn, &format!("SELECT count(*) FROM main.{table}"));
        let b = count(&conn, &format!("SELECT count(*) FROM other.{table}"));
        assert_eq!(a, b, "{table}");
        let diff = count(
            &conn,
            &format!(
                "SELECT count(*) FROM (SELECT * FROM main.{table} EXCEPT SELECT * FROM other.{table})"
            ),
        );
        assert_eq!(diff, 0, "{table} rows differ");
    }
    conn.execute("DETACH DATABASE other", []).unwrap();
    drop(conn);
    // Same binary, same bytes.
    assert!(std::fs::read(&db.path).unwrap() == std::fs::read(&path).unwrap());
}

const SMALL: SampleSize = SampleSize {
    customers: 50,
    products: 10,
    orders: 500,
};

#[test]
fn calling_ensure_twice_does_not_rewrite_the_file() {
    let dir = TempDir::new("twice");
    let path = dir.path().join("shop.db");
    assert!(ensure_sample_shop(&path, SMALL).unwrap());
    let before = std::fs::metadata(&path).unwrap().modified().unwrap();
    let bytes = std::fs::read(&path).unwrap();
    std::thread::sleep(Duration::from_millis(20));
    assert!(!ensure_sample_shop(&path, SMALL).unwrap());
    assert!(!ensure_sample_shop(&path, SampleSize::DEMO).unwrap());
    assert_eq!(
        std::fs::metadata(&path).unwrap().modified().unwrap(),
        before
    );
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
    assert!(!dir.path().join("shop.db.tmp").exists());
}

#[test]
fn a_stale_tmp_file_left_by_a_crash_is_replaced() {
    let dir = TempDir::new("stale");
    let path = dir.path().join("shop.db");
    let tmp = dir.path().join("shop.db.tmp");
    std::fs::write(&tmp, b"half-written garbage from a crashed start").unwrap();
    std::fs::write(dir.path().join("shop.db.tmp-journal"), b"stale journal").unwrap();

    assert!(ensure_sample_shop(&path, SMALL).unwrap());
    assert!(!tmp.exists());
    assert!(!dir.path().join("shop.db.tmp-journal").exists());
    let conn = open_ro(&path);
    assert_eq!(count(&conn, "SELECT count(*) FROM customers"), 50);
    assert_eq!(count(&conn, "SELECT count(*) FROM orders"), 500);
}

#[test]
fn creates_missing_parent_directories_and_handles_empty_sizes() {
    let dir = TempDir::new("empty");
    let path = dir.path().join("a").join("b").join("shop.db");
    let none = SampleSize {
        customers: 0,
        products: 0,
        orders: 1_000,
    };
    assert!(ensure_sample_shop(&path, none).unwrap());
    let conn = open_ro(&path);
    assert_eq!(count(&conn, "SELECT count(*) FROM orders"), 0);
}
