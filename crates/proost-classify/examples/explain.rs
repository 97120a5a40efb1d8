//! Shows what the classifier saw of some columns of the benchmark (bench/pii): name cues,
//! table context, value statistics, value hits and the findings.
//!
//! usage: cargo run --release -p proost-classify --example explain -- COLUMNS.jsonl TABLE.COLUMN...
//!        cargo run --release -p proost-classify --example explain -- --names < NAMES

use std::io::BufRead;

use proost_classify::{Classifier, ColumnSample, ValueKind};
use serde_json::Value;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((input, wanted)) = args.split_first() else {
        return Err("usage: explain COLUMNS.jsonl TABLE.COLUMN...".into());
    };
    if input == "--names" {
        // One column name per line on stdin: the categories its name suggests.
        for name in std::io::stdin().lines() {
            let name = name?;
            println!("{name}\t{:?}", proost_classify::name_categories(&name));
        }
        return Ok(());
    }
    let classifier = Classifier::default();
    for line in std::io::BufReader::new(std::fs::File::open(input)?).lines() {
        let v: Value = serde_json::from_str(&line?)?;
        let s = |k: &str| v[k].as_str().unwrap_or_default().to_owned();
        let (table, column) = (s("table"), s("column"));
        if !wanted.iter().any(|w| *w == format!("{table}.{column}")) {
            continue;
        }
        let values: Vec<String> = v["values"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        let kind = match s("type").as_str() {
            "int" => ValueKind::Integer,
            "numeric" => ValueKind::Decimal,
            "float" => ValueKind::Float,
            "date" => ValueKind::Date,
            "timestamp" => ValueKind::Timestamp,
            "bool" => ValueKind::Bool,
            "json" => ValueKind::Json,
            _ => ValueKind::Text,
        };
        let c = ColumnSample {
            name: &column,
            kind,
            values: &values,
            null_share: None,
        };
        println!(
            "== {table}.{column} ({}, labels {})",
            s("kind"),
            v["labels"]
        );
        println!("{}", proost_classify::explain(&table, &c));
        println!("findings: {:?}\n", classifier.classify_column(&table, &c));
    }
    Ok(())
}
