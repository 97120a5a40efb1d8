//! The deterministic generator: builds every row from fixed seeds and writes them into a
//! fresh SQLite file.

use std::collections::HashSet;
use std::path::Path;

use rand::distributions::{Distribution, WeightedIndex};
use rand::{Rng, RngCore};
use rusqlite::{Connection, OpenFlags, Statement, Transaction};
use std::fmt::Write as _;

use crate::data::{self, Category, Country, Locale, NameKind, Postal};
use crate::iban;
use crate::{SampleError, SampleSize};

/// Base seed of all streams. Changing it changes every generated value.
const SEED: u64 = 0x5052_4f4f_5354_0001;

/// Independent random streams, so that e.g. the product count does not shift the
/// customer values.
const STREAM_CUSTOMERS: u64 = 1;
const STREAM_PRODUCTS: u64 = 2;
const STREAM_ORDERS: u64 = 3;

const DAY: i64 = 86_400;

/// Orders span 2024-01-01 00:00:00 ..= 2026-10-31 23:59:59.
fn order_start() -> i64 {
    days_from_civil(2024, 1, 1) * DAY
}
fn order_end() -> i64 {
    days_from_civil(2026, 11, 1) * DAY - 1
}

fn rng_for(stream: u64) -> SampleRng {
    let mut seeder = SampleRng(SEED ^ stream.wrapping_mul(0xd1b5_4a32_d192_ed03));
    SampleRng(seeder.next_u64())
}

/// SplitMix64 (Steele, Lea, Flood 2014). Defined here rather than taken from a crate so
/// that the generated values can never change with a dependency upgrade, and because it
/// stays fast in unoptimised debug builds. Statistical quality is ample for demo data.
pub(crate) struct SampleRng(u64);

impl RngCore for SampleRng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn next_u32(&mut self) -> u32 {
        (self.next_u64() >> 32) as u32
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for chunk in dest.chunks_mut(8) {
            let bytes = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

const SCHEMA: &str = "
CREATE TABLE customers (
    id             INTEGER PRIMARY KEY,
    first_name     TEXT NOT NULL,
    last_name      TEXT NOT NULL,
    email          TEXT NOT NULL,
    phone          TEXT,
    street_address TEXT,
    postal_code    TEXT,
    city           TEXT,
    country        TEXT,
    date_of_birth  TEXT,
    iban           TEXT,
    health_notes   TEXT,
    created_at     TEXT
);
CREATE TABLE products (
    id       INTEGER PRIMARY KEY,
    sku      TEXT NOT NULL UNIQUE,
    name     TEXT NOT NULL,
    category TEXT NOT NULL,
    price    REAL NOT NULL,
    in_stock INTEGER NOT NULL CHECK (in_stock IN (0, 1))
);
CREATE TABLE orders (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    product_id  INTEGER NOT NULL REFERENCES products(id),
    ordered_at  TEXT NOT NULL,
    quantity    INTEGER NOT NULL CHECK (quantity > 0),
    amount      REAL NOT NULL,
    status      TEXT NOT NULL
                CHECK (status IN ('paid', 'shipped', 'delivered', 'refunded', 'cancelled'))
);
";

const INDEXES: &str = "
CREATE INDEX orders_customer_id ON orders(customer_id);
CREATE INDEX orders_product_id ON orders(product_id);
CREATE INDEX orders_ordered_at ON orders(ordered_at);
";

/// Creates the database at `path` (which must not exist or be empty) and fills it.
/// The connection is closed before returning; the caller fsyncs and renames.
pub(crate) fn write_database(path: &Path, size: SampleSize) -> Result<(), SampleError> {
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    // Build without a journal: the file is private until it is renamed into place, and a
    // crash just leaves a stale `.tmp` that the next start replaces.
    conn.execute_batch(
        "PRAGMA journal_mode = OFF;
         PRAGMA synchronous = OFF;
         PRAGMA locking_mode = EXCLUSIVE;
         PRAGMA temp_store = MEMORY;
         PRAGMA cache_size = -65536;
         PRAGMA user_version = 1;",
    )?;
    conn.execute_batch(SCHEMA)?;

    let customers = gen_customers(size.customers);
    let products = gen_products(size.products);
    let orders = gen_orders(&customers, &products, size.orders);

    let tx = conn.transaction()?;
    let mut ts = String::with_capacity(19);
    bulk_insert(
        &tx,
        "customers (id, first_name, last_name, email, phone, street_address, postal_code,
                    city, country, date_of_birth, iban, health_notes, created_at)",
        13,
        &customers,
        |stmt, k, i, c| {
            write_timestamp(&mut ts, c.created_at);
            stmt.raw_bind_parameter(k, row_id(i))?;
            stmt.raw_bind_parameter(k + 1, &c.first_name)?;
            stmt.raw_bind_parameter(k + 2, &c.last_name)?;
            stmt.raw_bind_parameter(k + 3, &c.email)?;
            stmt.raw_bind_parameter(k + 4, &c.phone)?;
            stmt.raw_bind_parameter(k + 5, &c.street_address)?;
            stmt.raw_bind_parameter(k + 6, &c.postal_code)?;
            stmt.raw_bind_parameter(k + 7, c.city)?;
            stmt.raw_bind_parameter(k + 8, c.country)?;
            stmt.raw_bind_parameter(k + 9, &c.date_of_birth)?;
            stmt.raw_bind_parameter(k + 10, &c.iban)?;
            stmt.raw_bind_parameter(k + 11, c.health_notes)?;
            stmt.raw_bind_parameter(k + 12, ts.as_str())
        },
    )?;
    bulk_insert(
        &tx,
        "products (id, sku, name, category, price, in_stock)",
        6,
        &products,
        |stmt, k, i, p| {
            stmt.raw_bind_parameter(k, row_id(i))?;
            stmt.raw_bind_parameter(k + 1, &p.sku)?;
            stmt.raw_bind_parameter(k + 2, &p.name)?;
            stmt.raw_bind_parameter(k + 3, p.category)?;
            stmt.raw_bind_parameter(k + 4, cents_to_real(p.price_cents))?;
            stmt.raw_bind_parameter(k + 5, i64::from(p.in_stock))
        },
    )?;
    bulk_insert(
        &tx,
        "orders (id, customer_id, product_id, ordered_at, quantity, amount, status)",
        7,
        &orders,
        |stmt, k, i, o| {
            write_timestamp(&mut ts, o.ordered_at);
            stmt.raw_bind_parameter(k, row_id(i))?;
            stmt.raw_bind_parameter(k + 1, row_id(o.customer))?;
            stmt.raw_bind_parameter(k + 2, row_id(o.product))?;
            stmt.raw_bind_parameter(k + 3, ts.as_str())?;
            stmt.raw_bind_parameter(k + 4, o.quantity)?;
            stmt.raw_bind_parameter(k + 5, cents_to_real(o.amount_cents))?;
            stmt.raw_bind_parameter(k + 6, o.status)
        },
    )?;
    // Building the indexes after the bulk insert is much faster than maintaining them.
    tx.execute_batch(INDEXES)?;
    tx.commit()?;
    // Leave a plain rollback-journal database behind for whoever opens it next.
    conn.execute_batch("PRAGMA journal_mode = DELETE;")?;
    conn.close().map_err(|(_, e)| e)?;
    Ok(())
}

/// Rows per multi-row `INSERT` (13 columns × 64 rows stays below SQLite's historic
/// limit of 999 parameters).
const INSERT_CHUNK: usize = 64;

/// Inserts `rows` with multi-row `INSERT` statements. `bind(stmt, first_param, index, row)`
/// binds the row's `ncols` values starting at parameter `first_param`; `index` is the
/// row's 0-based position in `rows`.
fn bulk_insert<T>(
    tx: &Transaction<'_>,
    table_and_columns: &str,
    ncols: usize,
    rows: &[T],
    mut bind: impl FnMut(&mut Statement<'_>, usize, usize, &T) -> rusqlite::Result<()>,
) -> rusqlite::Result<()> {
    let sql = |nrows: usize| {
        let mut sql = format!("INSERT INTO {table_and_columns} VALUES ");
        for r in 0..nrows {
            sql.push_str(if r == 0 { "(" } else { ",(" });
            for c in 0..ncols {
                if c > 0 {
                    sql.push(',');
                }
                let _ = write!(sql, "?{}", r * ncols + c + 1);
            }
            sql.push(')');
        }
        sql
    };
    let mut full = tx.prepare(&sql(INSERT_CHUNK))?;
    for (ci, chunk) in rows.chunks(INSERT_CHUNK).enumerate() {
        let mut partial;
        let stmt = if chunk.len() == INSERT_CHUNK {
            &mut full
        } else {
            partial = tx.prepare(&sql(chunk.len()))?;
            &mut partial
        };
        for (j, row) in chunk.iter().enumerate() {
            bind(stmt, j * ncols + 1, ci * INSERT_CHUNK + j, row)?;
        }
        stmt.raw_execute()?;
    }
    Ok(())
}

/// 1-based SQLite row id of the element at `index`.
fn row_id(index: usize) -> i64 {
    i64::try_from(index).map_or(i64::MAX, |i| i + 1)
}

fn cents_to_real(cents: i64) -> f64 {
    // Exact for any realistic amount: the result is the double nearest to the decimal.
    cents as f64 / 100.0
}

// ---------------------------------------------------------------------------------------
// Calendar helpers (proleptic Gregorian, UTC; H. Hinnant's algorithms).

pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let (m, d) = (i64::from(m), i64::from(d));
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    // m is in 1..=12 and d in 1..=31 by construction.
    (
        if m <= 2 { y + 1 } else { y },
        u32::try_from(m).unwrap_or(1),
        u32::try_from(d).unwrap_or(1),
    )
}

pub(crate) fn format_date(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// `YYYY-MM-DD HH:MM:SS` for seconds since the Unix epoch (UTC).
#[cfg(test)]
pub(crate) fn format_timestamp(secs: i64) -> String {
    let mut s = String::new();
    write_timestamp(&mut s, secs);
    s
}

/// Replaces the contents of `buf` with the `YYYY-MM-DD HH:MM:SS` form of `secs`.
pub(crate) fn write_timestamp(buf: &mut String, secs: i64) {
    let days = secs.div_euclid(DAY);
    let tod = secs.rem_euclid(DAY);
    let (y, m, d) = civil_from_days(days);
    buf.clear();
    let _ = write!(
        buf,
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        tod / 3600,
        tod / 60 % 60,
        tod % 60
    );
}

// ---------------------------------------------------------------------------------------
// Small random helpers.

fn pick<'a, T>(rng: &mut SampleRng, items: &'a [T]) -> &'a T {
    &items[rng.gen_range(0..items.len())]
}

/// Index drawn with the given small integer weights (at least one must be positive).
fn pick_weighted(rng: &mut SampleRng, weights: &[u32]) -> usize {
    let total: u32 = weights.iter().sum();
    let mut r = rng.gen_range(0..total.max(1));
    for (i, w) in weights.iter().enumerate() {
        if r < *w {
            return i;
        }
        r -= w;
    }
    0
}

fn digits(rng: &mut SampleRng, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
        .collect()
}

/// `n` digits, the first one non-zero.
fn digits_nz(rng: &mut SampleRng, n: usize) -> String {
    let mut s = String::with_capacity(n);
    s.push(char::from(b'1' + rng.gen_range(0..9u8)));
    s.push_str(&digits(rng, n.saturating_sub(1)));
    s
}

/// Uniform in (0, 1].
fn unit_open0(rng: &mut SampleRng) -> f64 {
    1.0 - rng.r#gen::<f64>()
}

/// Draws indices from float weights; falls back to uniform if all weights are zero.
enum Picker {
    Weighted(WeightedIndex<f64>),
    Uniform(usize),
}

impl Picker {
    fn new(weights: &[f64]) -> Self {
        match WeightedIndex::new(weights) {
            Ok(w) => Picker::Weighted(w),
            Err(_) => Picker::Uniform(weights.len().max(1)),
        }
    }
    fn sample(&self, rng: &mut SampleRng) -> usize {
        match self {
            Picker::Weighted(w) => w.sample(rng),
            Picker::Uniform(n) => rng.gen_range(0..*n),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Customers.

pub(crate) struct Customer {
    first_name: String,
    last_name: String,
    email: String,
    phone: Option<String>,
    street_address: Option<String>,
    postal_code: Option<String>,
    city: &'static str,
    country: &'static str,
    date_of_birth: String,
    iban: Option<String>,
    health_notes: Option<&'static str>,
    /// Seconds since the epoch.
    created_at: i64,
}

fn gen_customers(n: usize) -> Vec<Customer> {
    let mut rng = rng_for(STREAM_CUSTOMERS);
    let country_weights: Vec<u32> = data::COUNTRIES.iter().map(|c| c.weight).collect();
    let dob_lo = days_from_civil(1940, 1, 1);
    let dob_hi = days_from_civil(2006, 12, 31);
    let created_lo = days_from_civil(2021, 6, 1) * DAY;
    let created_hi = days_from_civil(2026, 10, 1) * DAY - 1;
    let mut emails = HashSet::with_capacity(n);
    let mut out = Vec::with_capacity(n);

    for _ in 0..n {
        let country = &data::COUNTRIES[pick_weighted(&mut rng, &country_weights)];
        let city = pick(&mut rng, country.cities);
        // Most residents carry a name from the country's own list; some from elsewhere.
        let name_locale = if rng.gen_bool(0.88) {
            country.locale
        } else {
            *pick(&mut rng, data::ALL_LOCALES)
        };
        let names = data::names_for(name_locale);
        let first_name = (*pick(&mut rng, names.first)).to_owned();
        let mut last_name = (*pick(&mut rng, names.last)).to_owned();
        if name_locale == Locale::Es && rng.gen_bool(0.6) {
            // Spanish double surname.
            let second = *pick(&mut rng, names.last);
            if second != last_name {
                last_name = format!("{last_name} {second}");
            }
        }

        let dob = rng.gen_range(dob_lo..=dob_hi);
        let (by, bm, bd) = civil_from_days(dob);
        // Accounts are opened by adults.
        let adult = days_from_civil(by + 18, bm, bd.min(28)) * DAY;
        let created_at = rng
            .gen_range(created_lo..=created_hi)
            .max(adult + rng.gen_range(0..400 * DAY))
            .min(created_hi);

        let email = unique_email(
            &mut rng,
            &mut emails,
            &first_name,
            &last_name,
            by,
            name_locale,
        );
        let phone = (!rng.gen_bool(0.05)).then(|| phone(&mut rng, country, city.area_code));
        let (street_address, postal_code) = if rng.gen_bool(0.03) {
            (None, None)
        } else {
            (
                Some(street_address(&mut rng, country.locale)),
                Some(postal_code(&mut rng, city.postal)),
            )
        };
        let iban = gen_iban(&mut rng, country.locale);
        let health_notes = rng.gen_bool(0.10).then(|| {
            if country.locale == name_locale && rng.gen_bool(0.5) {
                *pick(&mut rng, data::local_health_notes(country.locale))
            } else {
                *pick(&mut rng, data::HEALTH_NOTES_EN)
            }
        });

        out.push(Customer {
            first_name,
            last_name,
            email,
            phone,
            street_address,
            postal_code,
            city: city.name,
            country: country.name,
            date_of_birth: format_date(dob),
            iban,
            health_notes,
            created_at,
        });
    }
    out
}

/// Lower-case ASCII letters and digits only: `"Jürgen"` → `"juergen"`, `"van den Berg"`
/// → `"vandenberg"`, `"O'Connor"` → `"oconnor"`.
pub(crate) fn ascii_slug(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        let rep: &str = match c {
            'a'..='z' | '0'..='9' => {
                out.push(c);
                continue;
            }
            'ä' => "ae",
            'ö' => "oe",
            'ü' => "ue",
            'ß' => "ss",
            'á' | 'à' | 'â' => "a",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'í' | 'ì' | 'î' | 'ï' => "i",
            'ó' | 'ò' | 'ô' => "o",
            'ú' | 'ù' | 'û' => "u",
            'ñ' => "n",
            'ç' => "c",
            _ => "",
        };
        out.push_str(rep);
    }
    out
}

fn unique_email(
    rng: &mut SampleRng,
    seen: &mut HashSet<String>,
    first: &str,
    last: &str,
    birth_year: i64,
    locale: Locale,
) -> String {
    let f = ascii_slug(first);
    // Only the first word of a compound surname for some patterns ("garcia", "vandenberg").
    let l_full = ascii_slug(last);
    let l = last
        .split(' ')
        .find(|w| w.chars().next().is_some_and(char::is_uppercase))
        .map_or_else(|| l_full.clone(), ascii_slug);
    let initial = f.chars().next().unwrap_or('x');
    let local = match rng.gen_range(0..9) {
        0 | 1 => format!("{f}.{l}"),
        2 => format!("{f}{l}"),
        3 => format!("{f}.{l}{}", rng.gen_range(1..100)),
        4 => format!("{initial}.{l}"),
        5 => format!("{l}.{f}"),
        6 => format!("{f}_{l}{:02}", birth_year % 100),
        7 => format!("{f}{birth_year}"),
        _ => format!("{l}{initial}{}", rng.gen_range(1..1000)),
    };
    let domain = if rng.gen_bool(0.6) {
        *pick(rng, data::EMAIL_DOMAINS_COMMON)
    } else {
        *pick(rng, data::email_domains_for(locale))
    };
    let mut email = format!("{local}@{domain}");
    let mut k = 2;
    while seen.contains(&email) {
        email = format!("{local}{k}@{domain}");
        k += 1;
    }
    seen.insert(email.clone());
    email
}

fn phone(rng: &mut SampleRng, country: &Country, area: &str) -> String {
    let mobile = rng.gen_bool(0.55);
    let style = rng.gen_range(0..3);
    match country.locale {
        Locale::De => {
            if mobile {
                let prefix = format!(
                    "15{}{}",
                    pick(rng, &['1', '2', '7', '9']),
                    rng.gen_range(0..10)
                );
                let sub = digits_nz(rng, 7);
                match style {
                    0 => format!("+49 {prefix} {sub}"),
                    1 => format!("0{prefix} {sub}"),
                    _ => format!("+49{prefix}{sub}"),
                }
            } else {
                let sub = digits_nz(rng, 10 - area.len());
                match style {
                    0 | 2 => format!("+49 {area} {sub}"),
                    _ => format!("0{area} {sub}"),
                }
            }
        }
        Locale::Nl => {
            if mobile {
                let sub = digits_nz(rng, 8);
                match style {
                    0 => format!("+31 6 {sub}"),
                    1 => format!("06-{sub}"),
                    _ => format!("+316{sub}"),
                }
            } else {
                let (a, b) = (digits_nz(rng, 3), digits(rng, 4));
                match style {
                    0 | 2 => format!("+31 {area} {a} {b}"),
                    _ => format!("0{area}-{a}{b}"),
                }
            }
        }
        Locale::Fr => {
            let lead = if mobile {
                (*pick(rng, &["6", "7"])).to_owned()
            } else {
                area.to_owned()
            };
            let p: Vec<String> = (0..4).map(|_| digits(rng, 2)).collect();
            match style {
                0 => format!("0{lead} {} {} {} {}", p[0], p[1], p[2], p[3]),
                1 => format!("+33 {lead} {} {} {} {}", p[0], p[1], p[2], p[3]),
                _ => format!("0{lead}.{}.{}.{}.{}", p[0], p[1], p[2], p[3]),
            }
        }
        Locale::Es => {
            // Nine digits: mobile 6xx…, landline starts with the area code.
            let lead = if mobile {
                format!("6{}", rng.gen_range(0..10))
            } else {
                area.to_owned()
            };
            let n = format!("{lead}{}", digits(rng, 9 - lead.len()));
            let (a, b, c) = (&n[..3], &n[3..6], &n[6..]);
            match style {
                0 => format!("+34 {a} {b} {c}"),
                1 => format!("{a} {b} {c}"),
                _ => format!("{} {} {} {}", &n[..2], &n[2..5], &n[5..7], &n[7..]),
            }
        }
        Locale::Gb => {
            // Ofcom ranges reserved for drama: no real subscriber is ever reached.
            let tail = digits(rng, 3);
            if mobile {
                match style {
                    0 => format!("+44 7700 900{tail}"),
                    _ => format!("07700 900{tail}"),
                }
            } else if area == "20" {
                match style {
                    0 => format!("+44 20 7946 0{tail}"),
                    _ => format!("020 7946 0{tail}"),
                }
            } else {
                match style {
                    0 => format!("+44 {area} 496 0{tail}"),
                    _ => format!("0{area} 496 0{tail}"),
                }
            }
        }
        Locale::Us => {
            // 555-01xx numbers are reserved for fiction.
            let tail = digits(rng, 2);
            match rng.gen_range(0..4) {
                0 => format!("({area}) 555-01{tail}"),
                1 => format!("+1 {area}-555-01{tail}"),
                2 => format!("{area}.555.01{tail}"),
                _ => format!("{area}-555-01{tail}"),
            }
        }
    }
}

fn street_address(rng: &mut SampleRng, locale: Locale) -> String {
    match locale {
        Locale::De => {
            let street = pick(rng, data::STREETS_DE);
            let num = rng.gen_range(1..180);
            let suffix = if rng.gen_bool(0.08) { "a" } else { "" };
            format!("{street} {num}{suffix}")
        }
        Locale::Nl => {
            let street = pick(rng, data::STREETS_NL);
            let num = rng.gen_range(1..250);
            match rng.gen_range(0..10) {
                0 => format!("{street} {num}A"),
                1 => format!("{street} {num}-{}", rng.gen_range(1..4)),
                _ => format!("{street} {num}"),
            }
        }
        Locale::Fr => {
            let street = pick(rng, data::STREETS_FR);
            let num = rng.gen_range(1..150);
            let bis = if rng.gen_bool(0.07) { " bis" } else { "" };
            format!("{num}{bis} {street}")
        }
        Locale::Es => {
            let street = pick(rng, data::STREETS_ES);
            let num = rng.gen_range(1..200);
            if rng.gen_bool(0.7) {
                let floor = rng.gen_range(1..9);
                let door = pick(rng, &['A', 'B', 'C', 'D']);
                format!("{street}, {num}, {floor}º {door}")
            } else {
                format!("{street}, {num}")
            }
        }
        Locale::Gb => {
            let street = pick(rng, data::STREETS_GB);
            let num = rng.gen_range(1..220);
            if rng.gen_bool(0.15) {
                format!("Flat {}, {num} {street}", rng.gen_range(1..30))
            } else {
                format!("{num} {street}")
            }
        }
        Locale::Us => {
            let street = pick(rng, data::STREETS_US);
            let num = rng.gen_range(100..9900);
            if rng.gen_bool(0.25) {
                let letter = pick(rng, &['A', 'B', 'C', 'D']);
                format!("{num} {street}, Apt {}{letter}", rng.gen_range(1..20))
            } else {
                format!("{num} {street}")
            }
        }
    }
}

fn postal_code(rng: &mut SampleRng, postal: Postal) -> String {
    match postal {
        Postal::Range { lo, hi, width } => format!("{:0width$}", rng.gen_range(lo..=hi)),
        Postal::Dutch { lo, hi } => {
            // Dutch postcodes never use F, I, O, Q, U, Y, nor the pairs SA, SD, SS.
            const LETTERS: &[u8] = b"ABCDEGHJKLMNPRSTVWXZ";
            loop {
                let a = char::from(*pick(rng, LETTERS));
                let b = char::from(*pick(rng, LETTERS));
                if a == 'S' && matches!(b, 'A' | 'D' | 'S') {
                    continue;
                }
                break format!("{} {a}{b}", rng.gen_range(lo..=hi));
            }
        }
        Postal::British { outward } => {
            const LETTERS: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";
            let out = pick(rng, outward);
            let d = rng.gen_range(0..10);
            let a = char::from(*pick(rng, LETTERS));
            let b = char::from(*pick(rng, LETTERS));
            format!("{out} {d}{a}{b}")
        }
    }
}

fn gen_iban(rng: &mut SampleRng, locale: Locale) -> Option<String> {
    // Some customers only ever paid by card; US customers have no IBAN.
    if locale == Locale::Us || rng.gen_bool(0.10) {
        return None;
    }
    let compact = match locale {
        Locale::De => {
            let blz = pick(rng, data::BANKS_DE);
            let account = digits(rng, 10);
            iban::iban("DE", &format!("{blz}{account}"))
        }
        Locale::Nl => {
            let bank = pick(rng, data::BANKS_NL);
            let account = digits(rng, 10);
            iban::iban("NL", &format!("{bank}{account}"))
        }
        Locale::Gb => {
            let bank = pick(rng, data::BANKS_GB);
            let sort = digits(rng, 6);
            let account = digits(rng, 8);
            iban::iban("GB", &format!("{bank}{sort}{account}"))
        }
        Locale::Fr => {
            let bank = *pick(rng, data::BANKS_FR);
            let branch = rng.gen_range(1..100_000u64);
            let account = rng.gen_range(0..100_000_000_000u64);
            let key = iban::fr_rib_key(bank, branch, account);
            iban::iban("FR", &format!("{bank:05}{branch:05}{account:011}{key:02}"))
        }
        Locale::Es => {
            let bank = *pick(rng, data::BANKS_ES);
            let branch = rng.gen_range(1..10_000u32);
            let account = digits(rng, 10);
            let dc1 = iban::es_control_digit(&format!("00{bank:04}{branch:04}"));
            let dc2 = iban::es_control_digit(&account);
            iban::iban("ES", &format!("{bank:04}{branch:04}{dc1}{dc2}{account}"))
        }
        Locale::Us => return None,
    };
    // Stored as entered: mostly compact, sometimes in the printed four-block form.
    Some(if rng.gen_bool(0.25) {
        iban::grouped(&compact)
    } else {
        compact
    })
}

// ---------------------------------------------------------------------------------------
// Products.

pub(crate) struct Product {
    sku: String,
    name: String,
    category: &'static str,
    price_cents: i64,
    in_stock: bool,
}

fn gen_products(n: usize) -> Vec<Product> {
    let mut rng = rng_for(STREAM_PRODUCTS);
    let mut names = HashSet::with_capacity(n);
    let mut seq = vec![0u32; data::CATEGORIES.len()];
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let ci = i % data::CATEGORIES.len();
        let cat: &Category = &data::CATEGORIES[ci];
        seq[ci] += 1;
        let (mut name, mut typical) = product_name(&mut rng, cat);
        for _ in 0..20 {
            if !names.contains(&name) {
                break;
            }
            (name, typical) = product_name(&mut rng, cat);
        }
        let base = name.clone();
        let mut k = 2;
        while names.contains(&name) {
            name = format!("{base} (Model {k})");
            k += 1;
        }
        names.insert(name.clone());

        // Within ±35 % of the item's typical price, ending in .99, .49, .95 or .00.
        let whole = (typical * rng.gen_range(0.65..1.35)).floor().max(1.0) as i64;
        let ending = *pick(&mut rng, &[99, 99, 99, 49, 95, 0]);
        out.push(Product {
            sku: format!("{}-{:05}", cat.sku_prefix, seq[ci]),
            name,
            category: cat.name,
            price_cents: whole * 100 + ending,
            in_stock: rng.gen_bool(0.9),
        });
    }
    out
}

/// A product name and the item's typical price.
fn product_name(rng: &mut SampleRng, cat: &Category) -> (String, f64) {
    let a = pick(rng, cat.first);
    let (b, typical) = *pick(rng, cat.second);
    let name = match cat.kind {
        NameKind::AdjectiveNoun => format!("{a} {b}"),
        NameKind::Title => match rng.gen_range(0..5) {
            0 => format!("{a} {b} (Hardcover)"),
            1 => format!("{a} {b} (Paperback)"),
            _ => format!("{a} {b}"),
        },
    };
    (name, typical)
}

// ---------------------------------------------------------------------------------------
// Orders.

pub(crate) struct Order {
    customer: usize,
    product: usize,
    ordered_at: i64,
    quantity: i64,
    amount_cents: i64,
    status: &'static str,
}

/// Relative order volume per month (January first): a Christmas peak, a summer dip.
const MONTH_WEIGHT: [f64; 12] = [
    0.9, 0.8, 0.9, 0.9, 1.0, 0.95, 0.9, 0.85, 1.0, 1.05, 1.4, 1.6,
];
/// Relative order volume per hour of day (UTC): quiet nights, busy evenings.
const HOUR_WEIGHT: [u32; 24] = [
    2, 1, 1, 1, 1, 1, 2, 3, 4, 5, 6, 6, 7, 7, 6, 6, 6, 7, 8, 9, 10, 9, 6, 3,
];
const QUANTITY_WEIGHT: [u32; 6] = [70, 17, 7, 3, 2, 1];

fn gen_orders(customers: &[Customer], products: &[Product], n: usize) -> Vec<Order> {
    if customers.is_empty() || products.is_empty() {
        return Vec::new();
    }
    let mut rng = rng_for(STREAM_ORDERS);
    let (start, end) = (order_start(), order_end());

    // A few customers never order; the rest order at heavy-tailed rates, in proportion to
    // how long they have been customers during the order period.
    let customer_weights: Vec<f64> = customers
        .iter()
        .map(|c| {
            let activity = if rng.gen_bool(0.06) {
                0.0
            } else {
                -unit_open0(&mut rng).ln()
            };
            let active_secs = (end - c.created_at.max(start)).max(0) as f64;
            activity * active_secs
        })
        .collect();
    let customer_pick = Picker::new(&customer_weights);
    // A few best-sellers, a long tail.
    let product_weights: Vec<f64> = products
        .iter()
        .map(|_| -unit_open0(&mut rng).ln() + 0.1)
        .collect();
    let product_pick = Picker::new(&product_weights);

    let clock = OrderClock::new(start, end);
    let mut orders: Vec<Order> = Vec::with_capacity(n);
    for _ in 0..n {
        let customer = customer_pick.sample(&mut rng);
        let product = product_pick.sample(&mut rng);
        let lo = customers[customer].created_at.clamp(start, end);
        let ordered_at = clock.sample(&mut rng, lo, end);
        let quantity = pick_weighted(&mut rng, &QUANTITY_WEIGHT) as i64 + 1;
        orders.push(Order {
            customer,
            product,
            ordered_at,
            quantity,
            amount_cents: quantity * products[product].price_cents,
            status: "",
        });
    }
    // Order ids increase with time, as in a real shop.
    orders.sort_by_key(|o| o.ordered_at);
    for o in &mut orders {
        o.status = status(&mut rng, end - o.ordered_at);
    }
    orders
}

/// Draws order timestamps with seasonality, weekly and daily rhythm and growth over time.
struct OrderClock {
    start_day: i64,
    /// `cum[i]` is the total weight of days `start_day .. start_day + i`.
    cum: Vec<f64>,
}

impl OrderClock {
    fn new(start: i64, end: i64) -> Self {
        let (start_day, end_day) = (start.div_euclid(DAY), end.div_euclid(DAY));
        let span = (end_day - start_day).max(1) as f64;
        let mut cum = Vec::with_capacity(usize::try_from(end_day - start_day + 2).unwrap_or(0));
        let mut total = 0.0;
        cum.push(total);
        for day in start_day..=end_day {
            let (_, month, _) = civil_from_days(day);
            let weekend = matches!((day + 4).rem_euclid(7), 0 | 6);
            let growth = 0.8 + 0.2 * (day - start_day) as f64 / span;
            total += MONTH_WEIGHT[(month as usize + 11) % 12]
                * if weekend { 1.15 } else { 1.0 }
                * growth;
            cum.push(total);
        }
        OrderClock { start_day, cum }
    }

    /// A timestamp in `lo..=end` (`lo` must not be before the clock's start).
    fn sample(&self, rng: &mut SampleRng, lo: i64, end: i64) -> i64 {
        let last = self.cum.len().saturating_sub(2);
        let first = usize::try_from(lo.div_euclid(DAY) - self.start_day)
            .unwrap_or(0)
            .min(last);
        let (a, b) = (self.cum[first], self.cum[last + 1]);
        for _ in 0..100 {
            let x = rng.gen_range(a..b.max(a + f64::EPSILON));
            // The day whose weight interval contains x.
            let i = self
                .cum
                .partition_point(|c| *c <= x)
                .saturating_sub(1)
                .clamp(first, last);
            let day = self.start_day + i as i64;
            let hour = pick_weighted(rng, &HOUR_WEIGHT) as i64;
            let ts = day * DAY + hour * 3600 + rng.gen_range(0..3600);
            if (lo..=end).contains(&ts) {
                return ts;
            }
        }
        rng.gen_range(lo..=end)
    }
}

/// Status of an order placed `age` seconds before the end of the data period.
fn status(rng: &mut SampleRng, age: i64) -> &'static str {
    let days = age / DAY;
    let r: f64 = rng.r#gen();
    if r < 0.04 {
        return "cancelled";
    }
    if days > 10 && r < 0.07 {
        return "refunded";
    }
    match days {
        0..=1 if r < 0.8 => "paid",
        0..=1 => "shipped",
        2..=6 if r < 0.15 => "paid",
        2..=6 if r < 0.7 => "shipped",
        7..=14 if r < 0.3 => "shipped",
        _ => "delivered",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_helpers_agree_with_chrono() {
        use chrono::{Datelike, NaiveDate};
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date");
        for days in (days_from_civil(1939, 12, 1)..days_from_civil(2027, 2, 1)).step_by(7) {
            let d = epoch + chrono::Duration::days(days);
            assert_eq!(
                civil_from_days(days),
                (i64::from(d.year()), d.month(), d.day())
            );
            assert_eq!(
                days_from_civil(i64::from(d.year()), d.month(), d.day()),
                days
            );
        }
        assert_eq!(format_timestamp(order_start()), "2024-01-01 00:00:00");
        assert_eq!(format_timestamp(order_end()), "2026-10-31 23:59:59");
    }

    #[test]
    fn ascii_slug_transliterates_names_for_email_local_parts() {
        assert_eq!(ascii_slug("Jürgen"), "juergen");
        assert_eq!(ascii_slug("Weiß"), "weiss");
        assert_eq!(ascii_slug("van den Berg"), "vandenberg");
        assert_eq!(ascii_slug("O'Connor"), "oconnor");
        assert_eq!(ascii_slug("Élodie"), "elodie");
        assert_eq!(ascii_slug("Muñoz"), "munoz");
    }
}
