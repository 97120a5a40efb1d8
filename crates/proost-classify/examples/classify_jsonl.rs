//! Classifies the labelled benchmark's sampled columns (bench/pii): reads `columns.jsonl`
//! (one column per line: source, schema, table, column, type, values), classifies each
//! table's columns together, and writes one prediction per column plus
//! `<OUT stem>.meta.json` with the classifier's own time (JSON reading excluded).
//!
//! usage: cargo run --release -p proost-classify --example classify_jsonl -- IN OUT

use std::collections::BTreeMap;
use std::io::{BufRead, BufWriter, Write};
use std::time::Instant;

use proost_classify::{Classifier, ColumnSample, Options, TableSample, ValueKind};
use serde_json::{Value, json};

struct Column {
    line: Value,
    name: String,
    kind: ValueKind,
    values: Vec<String>,
}

fn kind_of(t: &str) -> ValueKind {
    let t = t.to_ascii_lowercase();
    match t.as_str() {
        _ if t.contains("json") => ValueKind::Json,
        _ if t.contains("timestamp") || t.contains("datetime") => ValueKind::Timestamp,
        _ if t.contains("date") => ValueKind::Date,
        _ if t.contains("bool") => ValueKind::Bool,
        _ if t.contains("int") || t == "serial" => ValueKind::Integer,
        _ if t.contains("numeric") || t.contains("decimal") => ValueKind::Decimal,
        _ if t.contains("float") || t.contains("double") || t.contains("real") => ValueKind::Float,
        _ if t.contains("bytea") || t.contains("blob") || t.contains("binary") => ValueKind::Binary,
        _ => ValueKind::Text,
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        return Err("usage: classify_jsonl IN OUT".into());
    };
    let mut tables: BTreeMap<(String, String, String), Vec<Column>> = BTreeMap::new();
    for line in std::io::BufReader::new(std::fs::File::open(input)?).lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(&line)?;
        let s = |k: &str| v[k].as_str().unwrap_or_default().to_owned();
        let key = (s("source"), s("schema"), s("table"));
        let values = v["values"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        let column = Column {
            name: s("column"),
            kind: kind_of(&s("type")),
            values,
            line: json!({"source": v["source"], "schema": v["schema"], "table": v["table"], "column": v["column"]}),
        };
        tables.entry(key).or_default().push(column);
    }
    let classifier = Classifier::new(Options::default());
    let started = Instant::now();
    let mut values = 0usize;
    let mut predictions = Vec::new();
    for ((_, schema, table), columns) in &tables {
        let sample = TableSample {
            schema,
            table,
            columns: columns
                .iter()
                .map(|c| ColumnSample {
                    name: &c.name,
                    kind: c.kind,
                    values: &c.values,
                    null_share: None,
                })
                .collect(),
        };
        values += columns.iter().map(|c| c.values.len()).sum::<usize>();
        let mut found = classifier.classify_table(&sample);
        // A key-value table's value column, attribute by attribute, as the server's scan
        // does (the sample drops NULLs, so only columns without any stay row-aligned).
        if let Some(kv) = proost_classify::key_value_columns(&sample.columns) {
            let (keys, vals) = (&columns[kv.key].values, &columns[kv.value].values);
            if keys.len() == vals.len() {
                let pairs: Vec<(String, String)> =
                    keys.iter().cloned().zip(vals.iter().cloned()).collect();
                found[kv.value] = classifier.classify_attributes(table, &pairs).column();
            }
        }
        for (c, findings) in columns.iter().zip(found) {
            predictions.push((c, findings));
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let mut out = BufWriter::new(std::fs::File::create(output)?);
    for (c, findings) in predictions {
        let mut line = c.line.clone();
        line["categories"] = json!(
            findings
                .iter()
                .map(|f| json!({"category": f.category.id(), "confidence": f.confidence}))
                .collect::<Vec<_>>()
        );
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    let meta = std::path::Path::new(output).with_extension("meta.json");
    std::fs::write(
        &meta,
        serde_json::to_string_pretty(&json!({
            "predictor": "proost",
            "values": values,
            "seconds": seconds,
            "values_per_second": (values as f64 / seconds.max(1e-9)).round(),
            "tables": tables.len(),
            "note": "classification time in one thread (reading the JSON excluded)",
        }))?,
    )?;
    eprintln!(
        "classified {} tables, {values} values in {seconds:.3} s ({:.0} values/s, one thread)",
        tables.len(),
        values as f64 / seconds.max(1e-9)
    );
    Ok(())
}
