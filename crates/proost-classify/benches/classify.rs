//! Throughput of the classifier, with plain `std::time` (no criterion).
//!
//! `cargo bench -p proost-classify` prints values classified per second on one core for
//! validator-only columns, the time to classify a synthetic 100-table schema, and running
//! text classified and masked per second.

use std::hint::black_box;
use std::time::Instant;

use proost_classify::{Classifier, ColumnSample, Options, TableSample, ValueKind, validators};

struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| (b'0' + self.below(10) as u8) as char)
            .collect()
    }
}

fn luhn_complete(body: &str) -> String {
    validators::luhn_complete(body).expect("a body of digits")
}

fn iban(g: &mut Gen) -> String {
    validators::iban_with_check_digits("DE", &g.digits(18)).expect("a German BBAN")
}

fn generate(kind: &str, n: usize, g: &mut Gen) -> Vec<String> {
    const FIRST: [&str; 8] = [
        "anna", "jan", "pierre", "maria", "john", "giulia", "piotr", "lena",
    ];
    (0..n)
        .map(|i| match kind {
            "emails" => format!("{}.{}@example{}.com", FIRST[i % 8], g.below(100_000), i % 7),
            "ibans" => iban(g),
            "card numbers" => luhn_complete(&format!("4{}", g.digits(14))),
            "ipv4" => format!(
                "{}.{}.{}.{}",
                g.below(256),
                g.below(256),
                g.below(256),
                g.below(256)
            ),
            "random digits" => g.digits(16),
            _ => unreachable!(),
        })
        .collect()
}

fn validator_columns(classifier: &Classifier) {
    const N: usize = 1_000_000;
    println!("validator-only columns, {N} values each, one core");
    println!(
        "{:<16} {:>22} {:>22}",
        "values", "1 col x 1M (values/s)", "1000 cols x 1000 (values/s)"
    );
    for kind in ["emails", "ibans", "card numbers", "ipv4", "random digits"] {
        let mut g = Gen(0x9e37_79b9_7f4a_7c15);
        let values = generate(kind, N, &mut g);
        // One column holding every value.
        let col = ColumnSample {
            name: "c7",
            kind: ValueKind::Text,
            values: &values,
            null_share: None,
        };
        let t = Instant::now();
        let f = black_box(classifier.classify_column("t", &col));
        let one = N as f64 / t.elapsed().as_secs_f64();
        // A thousand columns of DEFAULT_SAMPLE values each, as sampling produces them.
        let t = Instant::now();
        for chunk in values.chunks(proost_classify::DEFAULT_SAMPLE) {
            let col = ColumnSample {
                name: "c7",
                kind: ValueKind::Text,
                values: chunk,
                null_share: None,
            };
            black_box(classifier.classify_column("t", &col));
        }
        let many = N as f64 / t.elapsed().as_secs_f64();
        let label = f
            .first()
            .map_or("-".to_string(), |f| f.category.id().to_string());
        println!("{:<16} {:>22.0} {:>22.0}   -> {label}", kind, one, many);
    }
}

/// Running text: helpdesk notes where one in four mentions an email, a phone number, a name
/// or a condition, classified by share of mentions (the issue #13 target is 50,000 values/s
/// on one core; Presidio's analyzer does a few hundred).
fn free_text(classifier: &Classifier) {
    const N: usize = 200_000;
    let plain = [
        "Customer asked about the delivery date of the last order.",
        "Invoice was sent again, payment expected by the end of the month.",
        "Please check the warranty terms before replacing the device.",
        "Called back, the issue is solved after the firmware update.",
        "Return label created; the parcel goes back to the warehouse.",
    ];
    let mentions = [
        "You can reach me at anna.berg{i}@mailbox.org until Friday.",
        "Call me on +44 20 7946 {i:04} after five.",
        "Dear Julia Hoffmann, thank you for your patience.",
        "I was off work with type 2 diabetes last week.",
    ];
    let mut g = Gen(42);
    let values: Vec<String> = (0..N)
        .map(|i| {
            let base = plain[g.below(plain.len() as u64) as usize];
            if g.below(4) == 0 {
                let m = mentions[g.below(mentions.len() as u64) as usize]
                    .replace("{i:04}", &format!("{:04}", i % 10_000))
                    .replace("{i}", &i.to_string());
                format!("{base} {m}")
            } else {
                base.to_string()
            }
        })
        .collect();
    let t = Instant::now();
    let mut found = Vec::new();
    for chunk in values.chunks(proost_classify::DEFAULT_SAMPLE) {
        let col = ColumnSample {
            name: "body",
            kind: ValueKind::Text,
            values: chunk,
            null_share: None,
        };
        found = black_box(classifier.classify_column("tickets", &col));
    }
    let rate = N as f64 / t.elapsed().as_secs_f64();
    let cats: Vec<&str> = found.iter().map(|f| f.category.id()).collect();
    println!(
        "\nfree text, {N} notes (1 in 4 mentions someone), one core: {rate:.0} values/s -> {}",
        cats.join(", ")
    );
    let t = Instant::now();
    let mut masked = 0usize;
    for v in &values {
        masked += proost_classify::text::mask(v, false).len();
    }
    black_box(masked);
    println!(
        "span masking (the `spans` mask), one core: {:.0} values/s",
        N as f64 / t.elapsed().as_secs_f64()
    );
}

/// A column of the synthetic schema: name, type, values.
type Column = (String, ValueKind, Vec<String>);

fn schema(classifier: &Classifier) {
    const TABLES: usize = 100;
    const ROWS: usize = 1000;
    let mut g = Gen(42);
    let names = [
        "Anna Müller",
        "Jan Kowalski",
        "Pierre Dubois",
        "María García",
        "John Smith",
        "Giulia Rossi",
    ];
    let notes = [
        "Patient reports worsening asthma, prescribed salbutamol",
        "Leave the parcel at the back door please",
        "Kontrolle nach Lungenentzündung, Befund unauffällig",
        "Call before delivery, ring twice",
    ];
    let phones = [
        "+49 30 901820",
        "+44 20 7946 0958",
        "+33 1 42 68 53 00",
        "030 901820",
        "06 12345678",
    ];
    let statuses = ["pending", "shipped", "delivered", "cancelled"];
    let mut tables: Vec<(String, Vec<Column>)> = Vec::new();
    for t in 0..TABLES {
        let mut cols = Vec::new();
        for c in 0..10 {
            let (name, kind, values): (String, ValueKind, Vec<String>) = match (t + c) % 10 {
                0 => (
                    "id".into(),
                    ValueKind::Integer,
                    (0..ROWS).map(|i| i.to_string()).collect(),
                ),
                1 => (
                    "email".into(),
                    ValueKind::Text,
                    generate("emails", ROWS, &mut g),
                ),
                2 => (
                    "full_name".into(),
                    ValueKind::Text,
                    (0..ROWS).map(|i| names[i % 6].into()).collect(),
                ),
                3 => (
                    "phone".into(),
                    ValueKind::Text,
                    (0..ROWS).map(|i| phones[i % 5].into()).collect(),
                ),
                4 => (
                    "created_at".into(),
                    ValueKind::Timestamp,
                    (0..ROWS)
                        .map(|_| {
                            format!(
                                "2025-{:02}-{:02}T{:02}:00:00Z",
                                1 + g.below(12),
                                1 + g.below(28),
                                g.below(24)
                            )
                        })
                        .collect(),
                ),
                5 => (
                    "price".into(),
                    ValueKind::Decimal,
                    (0..ROWS)
                        .map(|_| format!("{}.{:02}", g.below(500), g.below(100)))
                        .collect(),
                ),
                6 => (
                    "status".into(),
                    ValueKind::Text,
                    (0..ROWS).map(|i| statuses[i % 4].into()).collect(),
                ),
                7 => (
                    "notes".into(),
                    ValueKind::Text,
                    (0..ROWS).map(|i| notes[i % 4].into()).collect(),
                ),
                8 => (
                    "iban".into(),
                    ValueKind::Text,
                    generate("ibans", ROWS, &mut g),
                ),
                _ => (
                    format!("c{c}"),
                    ValueKind::Text,
                    generate("random digits", ROWS, &mut g),
                ),
            };
            cols.push((name, kind, values));
        }
        tables.push((format!("table_{t}"), cols));
    }
    let t = Instant::now();
    let mut findings = 0;
    for (table, cols) in &tables {
        let sample = TableSample {
            schema: "public",
            table,
            columns: cols
                .iter()
                .map(|(n, k, v)| ColumnSample {
                    name: n,
                    kind: *k,
                    values: v,
                    null_share: None,
                })
                .collect(),
        };
        findings += black_box(classifier.classify_table(&sample))
            .iter()
            .map(Vec::len)
            .sum::<usize>();
    }
    let e = t.elapsed();
    println!(
        "\nschema: {TABLES} tables x 10 columns x {ROWS} values: {:.3} s ({findings} findings, {:.0} values/s)",
        e.as_secs_f64(),
        (TABLES * 10 * ROWS) as f64 / e.as_secs_f64()
    );
}

fn main() {
    let classifier = Classifier::new(Options::default());
    // Load the vocabularies and phone metadata once, outside the timings.
    let warm = vec!["+49 30 901820".to_string(), "Anna Müller".to_string()];
    black_box(classifier.classify_column(
        "t",
        &ColumnSample {
            name: "c",
            kind: ValueKind::Text,
            values: &warm,
            null_share: None,
        },
    ));
    validator_columns(&classifier);
    schema(&classifier);
    free_text(&classifier);
}
