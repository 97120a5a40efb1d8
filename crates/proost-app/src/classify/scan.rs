//! Personal-data discovery: samples every column of a connection through its read-only
//! path, classifies it (proost-classify) and records the suggestions. Sampled values live
//! only in this function's memory: they are never persisted, logged or returned.

use std::sync::Arc;
use std::time::{Duration, Instant};

use arrow::array::{Array, ArrayRef, BinaryArray, LargeBinaryArray};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::util::display::{ArrayFormatter, FormatOptions};
use base64::Engine as _;
use proost_classify::{Classifier, ColumnSample, Options, TableSample, ValueKind};
use proost_connect::{ColumnInfo, ConnectError, ConnectionKind, Limits, ScanSpec, Source};
use proost_store::{ConnectionRecord, Suggestion};
use serde::Serialize;
use serde_json::json;

use crate::{App, Error, Result};

/// What a scan did, for the API, the CLI and the audit log (counts and timings only).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ScanReport {
    pub scan_id: String,
    pub connection: String,
    pub tables: usize,
    pub columns: usize,
    pub flagged: usize,
    /// Tables that could not be sampled (each with the error's code); classified by name.
    pub unsampled: Vec<String>,
    pub values_sampled: usize,
    pub sample_ms: u64,
    pub classify_ms: u64,
    pub elapsed_ms: u64,
}

/// A sync that found a table's columns changed has that table classified again: a new
/// column may hold personal data. Failures are logged, not raised: the sync itself
/// succeeded.
pub async fn after_sync(state: &App, record: &ConnectionRecord, changed: &[&str]) {
    if !changed.is_empty()
        && let Err(e) = scan(state, record, "schema_changed", Some(changed)).await
    {
        tracing::warn!(connection = %record.id, code = e.code, "scan after a schema change failed");
    }
}

/// Scans one connection: every table and view it can see.
pub async fn scan_connection(
    state: &App,
    record: &ConnectionRecord,
    reason: &str,
) -> Result<ScanReport> {
    scan(state, record, reason, None).await
}

/// Scans the connection's tables, or only those named `schema.table` in `only`.
async fn scan(
    state: &App,
    record: &ConnectionRecord,
    reason: &str,
    only: Option<&[&str]>,
) -> Result<ScanReport> {
    let started = Instant::now();
    let scan_id = state.store.start_scan(&record.id, reason).await?;
    let result = run(state, record, &scan_id, only).await;
    if let Err(e) = &result {
        state
            .store
            .finish_scan(&scan_id, &record.id, &[], 0, &[], Some(e.code))
            .await?;
    }
    let mut report = result?;
    report.elapsed_ms = started.elapsed().as_millis() as u64;
    crate::metrics::scan_done(report.columns as u64, started.elapsed().as_secs_f64());
    // New suggestions change what is masked for whom.
    state.access.changed();
    state
        .audit(
            None,
            "classification.scan",
            Some(&record.id),
            &json!({"reason": reason, "tables": report.tables, "columns": report.columns,
                    "flagged": report.flagged, "elapsed_ms": report.elapsed_ms}),
        )
        .await?;
    tracing::info!(
        connection = %record.name,
        tables = report.tables,
        columns = report.columns,
        flagged = report.flagged,
        elapsed_ms = report.elapsed_ms,
        "personal-data scan finished"
    );
    Ok(report)
}

async fn run(
    state: &App,
    record: &ConnectionRecord,
    scan_id: &str,
    only: Option<&[&str]>,
) -> Result<ScanReport> {
    state.connections.forget_schema(&record.id).await;
    let schemas = state.connections.schemas(record).await?;
    let source = state.connections.source(record)?;
    let sample_rows = state.config.scan_sample_rows.max(1);
    let classifier = Classifier::new(Options::default());
    let mut report = ScanReport {
        scan_id: scan_id.to_owned(),
        connection: record.name.clone(),
        tables: 0,
        columns: 0,
        flagged: 0,
        unsampled: Vec::new(),
        values_sampled: 0,
        sample_ms: 0,
        classify_ms: 0,
        elapsed_ms: 0,
    };
    let mut scanned = Vec::new();
    let mut suggestions = Vec::new();
    for schema in schemas.iter() {
        for table in &schema.tables {
            if only
                .is_some_and(|o| !o.contains(&format!("{}.{}", schema.name, table.name).as_str()))
            {
                continue;
            }
            let t0 = Instant::now();
            let (values, rows) = match sample_table(
                &*source,
                &schema.name,
                &table.name,
                &table.columns,
                sample_rows,
                state.config.query_timeout,
            )
            .await
            {
                Ok(v) => v,
                Err(code) => {
                    report
                        .unsampled
                        .push(format!("{}.{} ({code})", schema.name, table.name));
                    (vec![(Vec::new(), None); table.columns.len()], Vec::new())
                }
            };
            report.sample_ms += t0.elapsed().as_millis() as u64;
            let t1 = Instant::now();
            let sample = TableSample {
                schema: &schema.name,
                table: &table.name,
                columns: table
                    .columns
                    .iter()
                    .zip(&values)
                    .map(|(c, (v, nulls))| ColumnSample {
                        name: &c.name,
                        kind: value_kind(c),
                        values: v,
                        null_share: *nulls,
                    })
                    .collect(),
            };
            let mut findings = classifier.classify_table(&sample);
            // A key-value table's value column is classified attribute by attribute.
            let mut attributes = None;
            let kv = proost_classify::key_value_columns(&sample.columns);
            if let Some(kv) = kv {
                let pairs: Vec<(String, String)> = rows
                    .iter()
                    .filter_map(|r| Some((r.get(kv.key)?.clone()?, r.get(kv.value)?.clone()?)))
                    .collect();
                let found = classifier.classify_attributes(&table.name, &pairs);
                findings[kv.value] = found.column();
                attributes = Some(json!({
                    "key": table.columns[kv.key].name,
                    "attributes": found.attributes,
                }));
            }
            report.classify_ms += t1.elapsed().as_millis() as u64;
            report.values_sampled += values.iter().map(|(v, _)| v.len()).sum::<usize>();
            report.columns += table.columns.len();
            let value_column = kv.map(|kv| kv.value);
            for (i, (c, f)) in table.columns.iter().zip(findings).enumerate() {
                if f.is_empty() {
                    continue;
                }
                suggestions.push(Suggestion {
                    schema: schema.name.clone(),
                    table: table.name.clone(),
                    column: c.name.clone(),
                    categories: serde_json::to_value(&f).map_err(Error::internal)?,
                    attributes: if value_column == Some(i) {
                        attributes.take()
                    } else {
                        None
                    },
                });
            }
            scanned.push((schema.name.clone(), table.name.clone()));
        }
    }
    report.tables = scanned.len();
    report.flagged = suggestions.len();
    state
        .store
        .finish_scan(
            scan_id,
            &record.id,
            &scanned,
            report.columns as i64,
            &suggestions,
            None,
        )
        .await?;
    Ok(report)
}

type ColumnValues = (Vec<String>, Option<f32>);
/// The sampled rows, each value as text (`None`: NULL), for what needs columns side by
/// side (a key-value table's attributes and values).
type Rows = Vec<Vec<Option<String>>>;

/// Up to `rows` rows of a table, in random order where the source can afford it, as text
/// per column with each column's share of NULLs, and as rows. Errors are reduced to their
/// code: the message of a failed statement could quote data.
async fn sample_table(
    source: &dyn Source,
    schema: &str,
    table: &str,
    columns: &[ColumnInfo],
    rows: usize,
    timeout: Duration,
) -> Result<(Vec<ColumnValues>, Rows), String> {
    if columns.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let kind = source.kind();
    let arrow_schema = Arc::new(Schema::new(
        columns
            .iter()
            .map(|c| {
                Field::new(
                    &c.name,
                    c.arrow_type.clone().unwrap_or(DataType::Utf8),
                    true,
                )
            })
            .collect::<Vec<_>>(),
    ));
    let spec = |random_order| ScanSpec {
        schema: (kind != ConnectionKind::Sqlite).then_some(schema),
        table,
        columns: columns.iter().collect(),
        filters: Vec::new(),
        limit: Some(rows),
        random_order,
    };
    // Random rows need the source to read the whole table; bounded by the timeout, after
    // which the first rows do.
    let limits = Limits::new(timeout, rows);
    let output = match source
        .query(
            &source.scan_sql(&spec(true)),
            Some(arrow_schema.clone()),
            &limits,
        )
        .await
    {
        Ok(o) => o,
        // A source that is down or refuses the account fails the first rows too: one
        // timeout is enough.
        Err(
            e @ (ConnectError::Unreachable(_)
            | ConnectError::AuthFailed(_)
            | ConnectError::Tls(_)
            | ConnectError::Cancelled
            | ConnectError::Refused(_)
            | ConnectError::Invalid { .. }),
        ) => return Err(e.code().to_owned()),
        // Too big to shuffle in time, or no random() here: the first rows do.
        Err(_) => source
            .query(
                &source.scan_sql(&spec(false)),
                Some(arrow_schema),
                &Limits::new(timeout, rows),
            )
            .await
            .map_err(|e| e.code().to_owned())?,
    };
    let mut out: Vec<ColumnValues> = vec![(Vec::new(), None); columns.len()];
    let mut rows: Rows = Vec::new();
    let mut total = 0usize;
    let mut nulls = vec![0usize; columns.len()];
    let options = FormatOptions::default().with_null("");
    for batch in &output.batches {
        let first = rows.len();
        rows.extend((0..batch.num_rows()).map(|_| vec![None; columns.len()]));
        total += batch.num_rows();
        for (i, array) in batch.columns().iter().enumerate().take(columns.len()) {
            nulls[i] += array.null_count();
            for (r, v) in render(array, &options).into_iter().enumerate() {
                if let Some(v) = v {
                    out[i].0.push(v.clone());
                    rows[first + r][i] = Some(v);
                }
            }
        }
    }
    if total > 0 {
        for (i, o) in out.iter_mut().enumerate() {
            o.1 = Some(nulls[i] as f32 / total as f32);
        }
    }
    Ok((out, rows))
}

/// Each value of `array` as text; binary as base64; `None` for NULL.
fn render(array: &ArrayRef, options: &FormatOptions) -> Vec<Option<String>> {
    let b64 = base64::engine::general_purpose::STANDARD;
    if let Some(a) = array.as_any().downcast_ref::<BinaryArray>() {
        return a.iter().map(|v| v.map(|v| b64.encode(v))).collect();
    }
    if let Some(a) = array.as_any().downcast_ref::<LargeBinaryArray>() {
        return a.iter().map(|v| v.map(|v| b64.encode(v))).collect();
    }
    let Ok(f) = ArrayFormatter::try_new(array.as_ref(), options) else {
        return vec![None; array.len()];
    };
    (0..array.len())
        .map(|i| array.is_valid(i).then(|| f.value(i).to_string()))
        .collect()
}

fn value_kind(c: &ColumnInfo) -> ValueKind {
    if c.source_type.to_ascii_lowercase().contains("json") {
        return ValueKind::Json;
    }
    // The API's type vocabulary, so both speak of a column's type the same way.
    match c.arrow_type.as_ref().map(crate::types::type_name) {
        None | Some("text") => ValueKind::Text,
        Some("boolean") => ValueKind::Bool,
        Some("integer") => ValueKind::Integer,
        Some("float") => ValueKind::Float,
        Some("decimal") => ValueKind::Decimal,
        Some("date") => ValueKind::Date,
        Some("timestamp" | "timestamptz") => ValueKind::Timestamp,
        Some("binary") => ValueKind::Binary,
        Some(_) => ValueKind::Other,
    }
}
