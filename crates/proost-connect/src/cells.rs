//! One value as a driver hands it over, and the conversion of rows of them into Arrow.
//! Every source maps its native values to [`Cell`]s; the Arrow side lives only here.

use std::sync::Arc;

use arrow::array::{
    ArrayRef, BinaryBuilder, BooleanBuilder, Date32Builder, Decimal128Builder, Float32Builder,
    Float64Builder, Int8Builder, Int16Builder, Int32Builder, Int64Builder, NullArray,
    StringBuilder, Time64MicrosecondBuilder, TimestampMicrosecondBuilder, UInt64Builder,
};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use arrow::record_batch::RecordBatch;

use crate::{ConnectError, Result};

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    /// Exact decimal as text (`-12.340`), parsed into the column's scale.
    Decimal(String),
    Text(String),
    Bytes(Vec<u8>),
    /// Days since 1970-01-01.
    Date(i32),
    /// Microseconds since 1970-01-01T00:00:00 (UTC for zoned columns).
    Timestamp(i64),
    /// Microseconds since midnight.
    Time(i64),
}

/// Rows read from a source, within the query's memory budget. Rows are held as cells until
/// the batch is built, so the budget counts them here, before DataFusion's pool sees them.
pub(crate) struct Collected {
    pub rows: Vec<Vec<Cell>>,
    bytes: usize,
    max_bytes: usize,
}

impl Collected {
    pub fn new(limits: &crate::Limits) -> Self {
        Collected {
            rows: Vec::new(),
            bytes: 0,
            max_bytes: limits.max_bytes,
        }
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn push(&mut self, row: Vec<Cell>) -> Result<()> {
        self.bytes += row
            .iter()
            .map(|c| {
                std::mem::size_of::<Cell>()
                    + match c {
                        Cell::Text(s) | Cell::Decimal(s) => s.len(),
                        Cell::Bytes(b) => b.len(),
                        _ => 0,
                    }
            })
            .sum::<usize>();
        if self.bytes > self.max_bytes {
            return Err(ConnectError::MemoryLimit(self.max_bytes / (1024 * 1024)));
        }
        self.rows.push(row);
        Ok(())
    }
}

pub(crate) fn timestamp_utc() -> DataType {
    DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()))
}

pub(crate) fn timestamp_naive() -> DataType {
    DataType::Timestamp(TimeUnit::Microsecond, None)
}

/// Picks a type for a column the source gave no type for (SQLite expressions), from the
/// values it holds.
fn infer(rows: &[Vec<Cell>], col: usize) -> DataType {
    let mut ty: Option<DataType> = None;
    for row in rows {
        let this = match &row[col] {
            Cell::Null => continue,
            Cell::Bool(_) => DataType::Boolean,
            Cell::Int(_) => DataType::Int64,
            Cell::UInt(_) => DataType::UInt64,
            Cell::Float(_) => DataType::Float64,
            Cell::Decimal(_) | Cell::Text(_) => DataType::Utf8,
            Cell::Bytes(_) => DataType::Binary,
            Cell::Date(_) => DataType::Date32,
            Cell::Timestamp(_) => timestamp_naive(),
            Cell::Time(_) => DataType::Time64(TimeUnit::Microsecond),
        };
        ty = Some(match (ty, this) {
            (None, t) => t,
            (Some(a), b) if a == b => a,
            (Some(DataType::Int64), DataType::Float64)
            | (Some(DataType::Float64), DataType::Int64) => DataType::Float64,
            _ => DataType::Utf8,
        });
    }
    ty.unwrap_or(DataType::Null)
}

/// Builds one batch from rows. `types[i] == None` means "infer from the values".
pub(crate) fn build_batch(
    names: &[String],
    types: &[Option<DataType>],
    rows: &[Vec<Cell>],
) -> Result<(SchemaRef, RecordBatch)> {
    let mut fields = Vec::with_capacity(names.len());
    let mut arrays: Vec<ArrayRef> = Vec::with_capacity(names.len());
    for (i, name) in names.iter().enumerate() {
        let ty = types
            .get(i)
            .cloned()
            .flatten()
            .unwrap_or_else(|| infer(rows, i));
        let array = build_array(&ty, rows.iter().map(|r| &r[i]), rows.len())
            .map_err(|e| ConnectError::Query(format!("column `{name}`: {e}")))?;
        fields.push(Field::new(name, ty, true));
        arrays.push(array);
    }
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new_with_options(
        schema.clone(),
        arrays,
        &arrow::record_batch::RecordBatchOptions::new().with_row_count(Some(rows.len())),
    )
    .map_err(|e| ConnectError::Internal(format!("building a result batch: {e}")))?;
    Ok((schema, batch))
}

/// Converts rows into the exact schema a table scan promised.
pub(crate) fn build_batch_for(schema: &SchemaRef, rows: &[Vec<Cell>]) -> Result<RecordBatch> {
    let mut arrays: Vec<ArrayRef> = Vec::with_capacity(schema.fields().len());
    for (i, field) in schema.fields().iter().enumerate() {
        arrays.push(
            build_array(field.data_type(), rows.iter().map(|r| &r[i]), rows.len())
                .map_err(|e| ConnectError::Query(format!("column `{}`: {e}", field.name())))?,
        );
    }
    RecordBatch::try_new_with_options(
        schema.clone(),
        arrays,
        &arrow::record_batch::RecordBatchOptions::new().with_row_count(Some(rows.len())),
    )
    .map_err(|e| ConnectError::Internal(format!("building a result batch: {e}")))
}

/// Says which kind of value did not fit, never the value: it may be personal data of a
/// column the caller only sees masked, and messages reach clients and logs.
fn mismatch(ty: &DataType, cell: &Cell) -> String {
    let kind = match cell {
        Cell::Null => "null",
        Cell::Bool(_) => "boolean",
        Cell::Int(_) | Cell::UInt(_) => "integer",
        Cell::Float(_) => "floating-point",
        Cell::Decimal(_) => "decimal",
        Cell::Text(_) => "text",
        Cell::Bytes(_) => "binary",
        Cell::Date(_) => "date",
        Cell::Timestamp(_) => "timestamp",
        Cell::Time(_) => "time",
    };
    format!("a {kind} value does not fit type {ty}")
}

fn as_i64(c: &Cell) -> Option<i64> {
    match c {
        Cell::Int(v) => Some(*v),
        Cell::UInt(v) => i64::try_from(*v).ok(),
        Cell::Bool(b) => Some(*b as i64),
        Cell::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e18 => Some(*f as i64),
        Cell::Text(s) | Cell::Decimal(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn as_f64(c: &Cell) -> Option<f64> {
    match c {
        Cell::Int(v) => Some(*v as f64),
        Cell::UInt(v) => Some(*v as f64),
        Cell::Float(f) => Some(*f),
        Cell::Text(s) | Cell::Decimal(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Parses a decimal string into an i128 with exactly `scale` fractional digits (rounding
/// half away from zero).
pub(crate) fn parse_decimal(text: &str, scale: i8) -> Option<i128> {
    let t = text.trim();
    let (neg, digits) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (int_part, frac_part) = digits.split_once('.').unwrap_or((digits, ""));
    if int_part.is_empty() && frac_part.is_empty()
        || !int_part.bytes().all(|b| b.is_ascii_digit())
        || !frac_part.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let scale = scale.max(0) as usize;
    let mut value: i128 = 0;
    for b in int_part.bytes() {
        value = value.checked_mul(10)?.checked_add((b - b'0') as i128)?;
    }
    let frac = frac_part.as_bytes();
    for i in 0..scale {
        let d = frac.get(i).map(|b| (b - b'0') as i128).unwrap_or(0);
        value = value.checked_mul(10)?.checked_add(d)?;
    }
    if frac.get(scale).is_some_and(|b| *b >= b'5') {
        value = value.checked_add(1)?;
    }
    Some(if neg { -value } else { value })
}

fn build_array<'a>(
    ty: &DataType,
    cells: impl Iterator<Item = &'a Cell>,
    len: usize,
) -> std::result::Result<ArrayRef, String> {
    macro_rules! prim {
        ($builder:expr, $conv:expr) => {{
            let mut b = $builder;
            for c in cells {
                match c {
                    Cell::Null => b.append_null(),
                    other => b.append_value($conv(other).ok_or_else(|| mismatch(ty, other))?),
                }
            }
            Arc::new(b.finish()) as ArrayRef
        }};
    }
    Ok(match ty {
        DataType::Null => Arc::new(NullArray::new(len)),
        DataType::Boolean => prim!(BooleanBuilder::with_capacity(len), |c: &Cell| match c {
            Cell::Bool(b) => Some(*b),
            other => as_i64(other).map(|v| v != 0),
        }),
        DataType::Int8 => prim!(Int8Builder::with_capacity(len), |c: &Cell| as_i64(c)
            .and_then(|v| i8::try_from(v).ok())),
        DataType::Int16 => prim!(Int16Builder::with_capacity(len), |c: &Cell| as_i64(c)
            .and_then(|v| i16::try_from(v).ok())),
        DataType::Int32 => prim!(Int32Builder::with_capacity(len), |c: &Cell| as_i64(c)
            .and_then(|v| i32::try_from(v).ok())),
        DataType::Int64 => prim!(Int64Builder::with_capacity(len), as_i64),
        DataType::UInt64 => prim!(UInt64Builder::with_capacity(len), |c: &Cell| match c {
            Cell::UInt(v) => Some(*v),
            other => as_i64(other).and_then(|v| u64::try_from(v).ok()),
        }),
        DataType::Float32 => prim!(Float32Builder::with_capacity(len), |c: &Cell| as_f64(c)
            .map(|v| v as f32)),
        DataType::Float64 => prim!(Float64Builder::with_capacity(len), as_f64),
        DataType::Decimal128(p, s) => {
            let scale = *s;
            let mut b = Decimal128Builder::with_capacity(len)
                .with_precision_and_scale(*p, scale)
                .map_err(|e| e.to_string())?;
            for c in cells {
                let v = match c {
                    Cell::Null => None,
                    Cell::Decimal(t) | Cell::Text(t) => {
                        Some(parse_decimal(t, scale).ok_or_else(|| mismatch(ty, c))?)
                    }
                    Cell::Int(i) => {
                        Some(parse_decimal(&i.to_string(), scale).ok_or_else(|| mismatch(ty, c))?)
                    }
                    Cell::UInt(i) => {
                        Some(parse_decimal(&i.to_string(), scale).ok_or_else(|| mismatch(ty, c))?)
                    }
                    Cell::Float(f) => Some(
                        parse_decimal(&format!("{f:.*}", scale.max(0) as usize + 1), scale)
                            .ok_or_else(|| mismatch(ty, c))?,
                    ),
                    other => return Err(mismatch(ty, other)),
                };
                b.append_option(v);
            }
            Arc::new(b.finish())
        }
        DataType::Utf8 => {
            let mut b = StringBuilder::with_capacity(len, len * 16);
            for c in cells {
                match c {
                    Cell::Null => b.append_null(),
                    Cell::Text(s) | Cell::Decimal(s) => b.append_value(s),
                    Cell::Bool(v) => b.append_value(v.to_string()),
                    Cell::Int(v) => b.append_value(v.to_string()),
                    Cell::UInt(v) => b.append_value(v.to_string()),
                    Cell::Float(v) => b.append_value(v.to_string()),
                    Cell::Bytes(v) => match std::str::from_utf8(v) {
                        Ok(s) => b.append_value(s),
                        Err(_) => b.append_value(format!("\\x{}", hex_lower(v))),
                    },
                    other => return Err(mismatch(ty, other)),
                }
            }
            Arc::new(b.finish())
        }
        DataType::Binary => {
            let mut b = BinaryBuilder::with_capacity(len, len * 16);
            for c in cells {
                match c {
                    Cell::Null => b.append_null(),
                    Cell::Bytes(v) => b.append_value(v),
                    Cell::Text(s) => b.append_value(s.as_bytes()),
                    other => return Err(mismatch(ty, other)),
                }
            }
            Arc::new(b.finish())
        }
        DataType::Date32 => prim!(Date32Builder::with_capacity(len), |c: &Cell| match c {
            Cell::Date(d) => Some(*d),
            Cell::Text(s) => parse_date(s),
            _ => None,
        }),
        DataType::Timestamp(TimeUnit::Microsecond, tz) => {
            let mut b = TimestampMicrosecondBuilder::with_capacity(len);
            for c in cells {
                match c {
                    Cell::Null => b.append_null(),
                    Cell::Timestamp(t) => b.append_value(*t),
                    Cell::Date(d) => b.append_value(*d as i64 * 86_400_000_000),
                    Cell::Text(s) => {
                        b.append_value(parse_timestamp(s).ok_or_else(|| mismatch(ty, c))?)
                    }
                    other => return Err(mismatch(ty, other)),
                }
            }
            Arc::new(b.finish().with_timezone_opt(tz.clone()))
        }
        DataType::Time64(TimeUnit::Microsecond) => {
            prim!(
                Time64MicrosecondBuilder::with_capacity(len),
                |c: &Cell| match c {
                    Cell::Time(t) => Some(*t),
                    _ => None,
                }
            )
        }
        other => return Err(format!("type {other} is not supported")),
    })
}

fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn days_from_civil(y: i32, m: u32, d: u32) -> Option<i32> {
    chrono::NaiveDate::from_ymd_opt(y, m, d).map(|date| {
        (date - chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()).num_days() as i32
    })
}

pub(crate) fn parse_date(s: &str) -> Option<i32> {
    let d = chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()?;
    days_from_civil(
        chrono::Datelike::year(&d),
        chrono::Datelike::month(&d),
        chrono::Datelike::day(&d),
    )
}

pub(crate) fn parse_timestamp(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(t.timestamp_micros());
    }
    for fmt in ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, fmt) {
            return Some(t.and_utc().timestamp_micros());
        }
    }
    parse_date(s).map(|d| d as i64 * 86_400_000_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_keep_their_digits() {
        assert_eq!(parse_decimal("12.34", 2), Some(1234));
        assert_eq!(parse_decimal("-0.005", 2), Some(-1));
        assert_eq!(parse_decimal("7", 3), Some(7000));
        assert_eq!(parse_decimal("abc", 2), None);
        assert_eq!(parse_decimal("", 2), None);
    }
}
