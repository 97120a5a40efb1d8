//! Query results as JSON: rows of plain values, and the type vocabulary clients see. The
//! result cache keeps answers in this form, so a hit is sent without touching Arrow.

use arrow::array::{Array, AsArray};
use arrow::datatypes::{
    DataType, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type, UInt8Type,
    UInt16Type, UInt32Type, UInt64Type,
};
use arrow::util::display::{ArrayFormatter, FormatOptions};
use base64::Engine as _;
use proost_connect::QueryOutput;
use serde_json::{Value, json};

use crate::types::type_name;
use crate::{Error, Result};

fn float(v: f64) -> Value {
    serde_json::Number::from_f64(v)
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

/// One column of a batch as JSON values. Integers and floats are numbers; decimals are
/// strings so no digit is lost; binary is base64; dates and times are ISO 8601.
fn column_values(array: &dyn Array) -> Result<Vec<Value>> {
    let n = array.len();
    macro_rules! prim {
        ($t:ty, $f:expr) => {{
            let a = array.as_primitive::<$t>();
            (0..n)
                .map(|i| {
                    if a.is_null(i) {
                        Value::Null
                    } else {
                        $f(a.value(i))
                    }
                })
                .collect()
        }};
    }
    Ok(match array.data_type() {
        DataType::Null => vec![Value::Null; n],
        DataType::Boolean => {
            let a = array.as_boolean();
            (0..n)
                .map(|i| {
                    if a.is_null(i) {
                        Value::Null
                    } else {
                        Value::Bool(a.value(i))
                    }
                })
                .collect()
        }
        DataType::Int8 => prim!(Int8Type, |v| json!(v)),
        DataType::Int16 => prim!(Int16Type, |v| json!(v)),
        DataType::Int32 => prim!(Int32Type, |v| json!(v)),
        DataType::Int64 => prim!(Int64Type, |v| json!(v)),
        DataType::UInt8 => prim!(UInt8Type, |v| json!(v)),
        DataType::UInt16 => prim!(UInt16Type, |v| json!(v)),
        DataType::UInt32 => prim!(UInt32Type, |v| json!(v)),
        DataType::UInt64 => prim!(UInt64Type, |v| json!(v)),
        DataType::Float32 => prim!(Float32Type, |v: f32| float(v as f64)),
        DataType::Float64 => prim!(Float64Type, float),
        DataType::Binary | DataType::LargeBinary | DataType::BinaryView => {
            let b64 = base64::engine::general_purpose::STANDARD;
            let bytes: Vec<Option<&[u8]>> = match array.data_type() {
                DataType::Binary => array.as_binary::<i32>().iter().collect(),
                DataType::LargeBinary => array.as_binary::<i64>().iter().collect(),
                _ => array.as_binary_view().iter().collect(),
            };
            bytes
                .into_iter()
                .map(|v| {
                    v.map(|b| Value::String(b64.encode(b)))
                        .unwrap_or(Value::Null)
                })
                .collect()
        }
        _ => {
            let options = FormatOptions::default()
                .with_null("")
                .with_timestamp_format(Some("%Y-%m-%dT%H:%M:%S%.f"))
                .with_timestamp_tz_format(Some("%Y-%m-%dT%H:%M:%S%.f%:z"));
            let f = ArrayFormatter::try_new(array, &options).map_err(Error::internal)?;
            (0..n)
                .map(|i| {
                    if array.is_null(i) {
                        Value::Null
                    } else {
                        Value::String(f.value(i).to_string())
                    }
                })
                .collect()
        }
    })
}

pub fn to_json(out: &QueryOutput, elapsed_ms: f64) -> Result<Value> {
    let columns: Vec<Value> = out
        .schema
        .fields()
        .iter()
        .map(|f| {
            let mut c = json!({"name": f.name(), "type": type_name(f.data_type())});
            // How the governed catalog masked it for this caller, when it did.
            if let Some(how) = f.metadata().get(proost_query::MASK_METADATA) {
                c["mask"] = json!(how);
            }
            c
        })
        .collect();
    let mut rows: Vec<Value> = Vec::new();
    for batch in &out.batches {
        let cols: Vec<Vec<Value>> = batch
            .columns()
            .iter()
            .map(|c| column_values(c.as_ref()))
            .collect::<Result<_>>()?;
        for r in 0..batch.num_rows() {
            rows.push(Value::Array(cols.iter().map(|c| c[r].clone()).collect()));
        }
    }
    Ok(json!({
        "columns": columns,
        "row_count": rows.len(),
        "rows": rows,
        "truncated": out.truncated,
        "elapsed_ms": (elapsed_ms * 10.0).round() / 10.0,
    }))
}

/// A result's JSON answer without its closing brace and per-request fields, stored (sealed)
/// with a cached result: a hit appends `elapsed_ms` and `cache` and is sent as is, without
/// rebuilding JSON from Arrow.
pub fn json_prefix(out: &QueryOutput, sources: &[proost_query::Served]) -> Result<Vec<u8>> {
    let mut v = to_json(out, 0.0)?;
    if let Some(o) = v.as_object_mut() {
        o.remove("elapsed_ms");
        o.insert(
            "sources".into(),
            serde_json::to_value(sources).map_err(Error::internal)?,
        );
    }
    let mut text = serde_json::to_vec(&v).map_err(Error::internal)?;
    // An object always ends with its closing brace.
    text.pop();
    Ok(text)
}

/// Completes a stored [`json_prefix`] for one answer.
pub fn json_from_prefix(prefix: &[u8], elapsed_ms: f64, cache: &str) -> Vec<u8> {
    let mut body = Vec::with_capacity(prefix.len() + 48);
    body.extend_from_slice(prefix);
    body.extend_from_slice(
        format!(
            ",\"elapsed_ms\":{},\"cache\":\"{cache}\"}}",
            (elapsed_ms * 10.0).round() / 10.0
        )
        .as_bytes(),
    );
    body
}

/// An answer as the JSON body of `POST /api/v1/query` (from the cache's stored form when
/// it has one).
pub fn answer_json(answer: &super::Answer) -> Result<Value> {
    if let Some(prefix) = &answer.json_prefix {
        let body = json_from_prefix(prefix, answer.elapsed_ms, answer.cache);
        return serde_json::from_slice(&body).map_err(Error::internal);
    }
    let mut v = to_json(&answer.out, answer.elapsed_ms)?;
    v["sources"] = serde_json::to_value(&answer.sources).map_err(Error::internal)?;
    v["cache"] = json!(answer.cache);
    Ok(v)
}
