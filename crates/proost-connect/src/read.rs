//! Whole-table reads for replication: the Arrow batch builder every source fills value by
//! value, and the small pieces of plumbing the sources share (SELECT text, sending).
//!
//! Unlike [`crate::cells`], nothing here holds a row: values go straight into typed Arrow
//! builders, and a batch leaves as soon as it has `batch_rows` rows, so memory is bounded by
//! batch size × channel capacity whatever the table's size. The coercions mirror
//! `cells::build_array`, so a replica holds the same values a live query would show.

use std::sync::Arc;

use arrow::array::{
    ArrayBuilder, ArrayRef, BinaryBuilder, BooleanBuilder, Date32Builder, Decimal128Builder,
    Float32Builder, Float64Builder, Int8Builder, Int16Builder, Int32Builder, Int64Builder,
    StringBuilder, Time64MicrosecondBuilder, TimestampMicrosecondBuilder, UInt64Builder,
};
use arrow::datatypes::{DataType, SchemaRef, TimeUnit};
use arrow::record_batch::RecordBatch;
use tokio::sync::mpsc::Sender;

use crate::cells::{parse_date, parse_decimal, parse_timestamp};
use crate::{ColumnInfo, ConnectError, Limits, Result, ScanSpec, TableRead};

/// One value as a driver hands it over, borrowed: nothing is allocated per value.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Val<'a> {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    /// Exact decimal as text (`-12.340`).
    DecimalText(&'a str),
    /// An exact decimal already scaled to the column's declared scale.
    Scaled(i128),
    Text(&'a str),
    Bytes(&'a [u8]),
    /// Days since 1970-01-01.
    Date(i32),
    /// Microseconds since 1970-01-01T00:00:00 (UTC for zoned columns).
    Timestamp(i64),
    /// Microseconds since midnight.
    Time(i64),
}

impl Val<'_> {
    /// What kind of value this is, for error messages (never the value).
    fn kind(&self) -> &'static str {
        match self {
            Val::Null => "null",
            Val::Bool(_) => "boolean",
            Val::Int(_) | Val::UInt(_) => "integer",
            Val::Float(_) => "floating-point",
            Val::DecimalText(_) | Val::Scaled(_) => "decimal",
            Val::Text(_) => "text",
            Val::Bytes(_) => "binary",
            Val::Date(_) => "date",
            Val::Timestamp(_) => "timestamp",
            Val::Time(_) => "time",
        }
    }
}

enum Column {
    Bool(BooleanBuilder),
    I8(Int8Builder),
    I16(Int16Builder),
    I32(Int32Builder),
    I64(Int64Builder),
    U64(UInt64Builder),
    F32(Float32Builder),
    F64(Float64Builder),
    Decimal {
        b: Decimal128Builder,
        scale: i8,
        /// 10^precision: the first magnitude that does not fit.
        bound: i128,
    },
    Utf8(StringBuilder),
    Binary(BinaryBuilder),
    Date(Date32Builder),
    Timestamp(TimestampMicrosecondBuilder, Option<Arc<str>>),
    Time(Time64MicrosecondBuilder),
}

impl Column {
    fn new(ty: &DataType, rows: usize) -> std::result::Result<Self, String> {
        Ok(match ty {
            DataType::Boolean => Column::Bool(BooleanBuilder::with_capacity(rows)),
            DataType::Int8 => Column::I8(Int8Builder::with_capacity(rows)),
            DataType::Int16 => Column::I16(Int16Builder::with_capacity(rows)),
            DataType::Int32 => Column::I32(Int32Builder::with_capacity(rows)),
            DataType::Int64 => Column::I64(Int64Builder::with_capacity(rows)),
            DataType::UInt64 => Column::U64(UInt64Builder::with_capacity(rows)),
            DataType::Float32 => Column::F32(Float32Builder::with_capacity(rows)),
            DataType::Float64 => Column::F64(Float64Builder::with_capacity(rows)),
            DataType::Decimal128(p, s) => Column::Decimal {
                b: Decimal128Builder::with_capacity(rows)
                    .with_precision_and_scale(*p, *s)
                    .map_err(|e| e.to_string())?,
                scale: *s,
                bound: 10i128.pow(u32::from(*p).min(38)),
            },
            DataType::Utf8 => Column::Utf8(StringBuilder::with_capacity(rows, rows * 16)),
            DataType::Binary => Column::Binary(BinaryBuilder::with_capacity(rows, rows * 16)),
            DataType::Date32 => Column::Date(Date32Builder::with_capacity(rows)),
            DataType::Timestamp(TimeUnit::Microsecond, tz) => {
                Column::Timestamp(TimestampMicrosecondBuilder::with_capacity(rows), tz.clone())
            }
            DataType::Time64(TimeUnit::Microsecond) => {
                Column::Time(Time64MicrosecondBuilder::with_capacity(rows))
            }
            other => return Err(format!("type {other} cannot be replicated yet")),
        })
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Column::Bool(b) => Arc::new(b.finish()),
            Column::I8(b) => Arc::new(b.finish()),
            Column::I16(b) => Arc::new(b.finish()),
            Column::I32(b) => Arc::new(b.finish()),
            Column::I64(b) => Arc::new(b.finish()),
            Column::U64(b) => Arc::new(b.finish()),
            Column::F32(b) => Arc::new(b.finish()),
            Column::F64(b) => Arc::new(b.finish()),
            Column::Decimal { b, .. } => Arc::new(b.finish()),
            Column::Utf8(b) => Arc::new(b.finish()),
            Column::Binary(b) => Arc::new(b.finish()),
            Column::Date(b) => Arc::new(b.finish()),
            Column::Timestamp(b, tz) => Arc::new(b.finish().with_timezone_opt(tz.clone())),
            Column::Time(b) => Arc::new(b.finish()),
        }
    }

    fn len(&self) -> usize {
        match self {
            Column::Bool(b) => b.len(),
            Column::I8(b) => b.len(),
            Column::I16(b) => b.len(),
            Column::I32(b) => b.len(),
            Column::I64(b) => b.len(),
            Column::U64(b) => b.len(),
            Column::F32(b) => b.len(),
            Column::F64(b) => b.len(),
            Column::Decimal { b, .. } => b.len(),
            Column::Utf8(b) => b.len(),
            Column::Binary(b) => b.len(),
            Column::Date(b) => b.len(),
            Column::Timestamp(b, _) => b.len(),
            Column::Time(b) => b.len(),
        }
    }

    /// Appends one value; `None` means it does not fit the column's type.
    fn append(&mut self, v: Val<'_>) -> Option<()> {
        macro_rules! prim {
            ($b:expr, $conv:expr) => {{
                match v {
                    Val::Null => $b.append_null(),
                    other => $b.append_value($conv(other)?),
                }
            }};
        }
        match self {
            Column::Bool(b) => prim!(b, |v| match v {
                Val::Bool(x) => Some(x),
                other => as_i64(other).map(|i| i != 0),
            }),
            Column::I8(b) => prim!(b, |v| as_i64(v).and_then(|i| i8::try_from(i).ok())),
            Column::I16(b) => prim!(b, |v| as_i64(v).and_then(|i| i16::try_from(i).ok())),
            Column::I32(b) => prim!(b, |v| as_i64(v).and_then(|i| i32::try_from(i).ok())),
            Column::I64(b) => prim!(b, as_i64),
            Column::U64(b) => prim!(b, |v| match v {
                Val::UInt(u) => Some(u),
                other => as_i64(other).and_then(|i| u64::try_from(i).ok()),
            }),
            Column::F32(b) => prim!(b, |v| as_f64(v).map(|f| f as f32)),
            Column::F64(b) => prim!(b, as_f64),
            Column::Decimal {
                b, scale, bound, ..
            } => {
                let scale = *scale;
                let value = match v {
                    Val::Null => {
                        b.append_null();
                        return Some(());
                    }
                    Val::Scaled(x) => x,
                    Val::DecimalText(t) | Val::Text(t) => parse_decimal(t, scale)?,
                    Val::Int(i) => parse_decimal(&i.to_string(), scale)?,
                    Val::UInt(u) => parse_decimal(&u.to_string(), scale)?,
                    Val::Float(f) => {
                        parse_decimal(&format!("{f:.*}", scale.max(0) as usize + 1), scale)?
                    }
                    _ => return None,
                };
                if value.checked_abs()? >= *bound {
                    return None;
                }
                b.append_value(value);
            }
            Column::Utf8(b) => match v {
                Val::Null => b.append_null(),
                Val::Text(s) | Val::DecimalText(s) => b.append_value(s),
                Val::Bool(x) => b.append_value(x.to_string()),
                Val::Int(x) => b.append_value(x.to_string()),
                Val::UInt(x) => b.append_value(x.to_string()),
                Val::Float(x) => b.append_value(x.to_string()),
                Val::Bytes(x) => match std::str::from_utf8(x) {
                    Ok(s) => b.append_value(s),
                    Err(_) => b.append_value(format!("\\x{}", hex_lower(x))),
                },
                _ => return None,
            },
            Column::Binary(b) => match v {
                Val::Null => b.append_null(),
                Val::Bytes(x) => b.append_value(x),
                Val::Text(s) => b.append_value(s.as_bytes()),
                _ => return None,
            },
            Column::Date(b) => prim!(b, |v| match v {
                Val::Date(d) => Some(d),
                Val::Text(s) => parse_date(s),
                _ => None,
            }),
            Column::Timestamp(b, _) => prim!(b, |v| match v {
                Val::Timestamp(t) => Some(t),
                Val::Date(d) => Some(i64::from(d) * 86_400_000_000),
                Val::Text(s) => parse_timestamp(s),
                _ => None,
            }),
            Column::Time(b) => prim!(b, |v| match v {
                Val::Time(t) => Some(t),
                _ => None,
            }),
        }
        Some(())
    }
}

fn as_i64(v: Val<'_>) -> Option<i64> {
    match v {
        Val::Int(i) => Some(i),
        Val::UInt(u) => i64::try_from(u).ok(),
        Val::Bool(b) => Some(i64::from(b)),
        Val::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e18 => Some(f as i64),
        Val::Text(s) | Val::DecimalText(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn as_f64(v: Val<'_>) -> Option<f64> {
    match v {
        Val::Int(i) => Some(i as f64),
        Val::UInt(u) => Some(u as f64),
        Val::Float(f) => Some(f),
        Val::Text(s) | Val::DecimalText(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Builds batches of exactly the read's schema, `batch_rows` rows at a time.
pub(crate) struct BatchBuilder {
    schema: SchemaRef,
    columns: Vec<Column>,
    batch_rows: usize,
}

impl BatchBuilder {
    pub(crate) fn new(schema: SchemaRef, batch_rows: usize) -> Result<Self> {
        let batch_rows = batch_rows.max(1);
        let columns = Self::columns(&schema, batch_rows)?;
        Ok(BatchBuilder {
            schema,
            columns,
            batch_rows,
        })
    }

    fn columns(schema: &SchemaRef, rows: usize) -> Result<Vec<Column>> {
        schema
            .fields()
            .iter()
            .map(|f| {
                Column::new(f.data_type(), rows)
                    .map_err(|e| ConnectError::Query(format!("column `{}`: {e}", f.name())))
            })
            .collect()
    }

    /// Appends the value of column `i` of the current row.
    #[inline]
    pub(crate) fn append(&mut self, i: usize, v: Val<'_>) -> Result<()> {
        match self.columns.get_mut(i).and_then(|c| c.append(v)) {
            Some(()) => Ok(()),
            None => Err(self.mismatch(i, v)),
        }
    }

    #[cold]
    fn mismatch(&self, i: usize, v: Val<'_>) -> ConnectError {
        match self.schema.fields().get(i) {
            // The value itself stays out of the message: it may be personal data of a
            // column the caller only sees masked, and messages reach clients and logs.
            Some(f) => ConnectError::Query(format!(
                "column `{}`: a {} value does not fit type {}",
                f.name(),
                v.kind(),
                f.data_type()
            )),
            None => ConnectError::Internal(format!(
                "the source returned more columns than the {} expected",
                self.schema.fields().len()
            )),
        }
    }

    /// Rows in the batch being built.
    pub(crate) fn rows(&self) -> usize {
        self.columns.first().map_or(0, Column::len)
    }

    pub(crate) fn is_full(&self) -> bool {
        self.rows() >= self.batch_rows
    }

    /// Takes the rows built so far as one batch (`None` when there are none).
    pub(crate) fn take(&mut self) -> Result<Option<RecordBatch>> {
        let rows = self.rows();
        if rows == 0 {
            return Ok(None);
        }
        // Fresh builders with the full capacity, rather than regrowing the finished ones.
        let fresh = Self::columns(&self.schema, self.batch_rows)?;
        let mut done = std::mem::replace(&mut self.columns, fresh);
        let arrays: Vec<ArrayRef> = done.iter_mut().map(Column::finish).collect();
        if arrays.iter().any(|a| a.len() != rows) {
            return Err(ConnectError::Internal(
                "a row was only partly read from the source".into(),
            ));
        }
        RecordBatch::try_new_with_options(
            self.schema.clone(),
            arrays,
            &arrow::record_batch::RecordBatchOptions::new().with_row_count(Some(rows)),
        )
        .map(Some)
        .map_err(|e| ConnectError::Internal(format!("building a batch: {e}")))
    }
}

/// Sends one batch, waiting while the receiver is behind. A receiver that is gone means
/// nobody wants the rest: the read stops as cancelled.
pub(crate) async fn send(
    out: &Sender<RecordBatch>,
    batch: RecordBatch,
    limits: &Limits,
) -> Result<()> {
    if limits.cancel.is_cancelled() {
        return Err(ConnectError::Cancelled);
    }
    out.send(batch).await.map_err(|_| ConnectError::Cancelled)
}

/// [`send`] for synchronous drivers, from a blocking thread.
pub(crate) fn blocking_send(
    out: &Sender<RecordBatch>,
    batch: RecordBatch,
    limits: &Limits,
) -> Result<()> {
    if limits.cancel.is_cancelled() {
        return Err(ConnectError::Cancelled);
    }
    out.blocking_send(batch)
        .map_err(|_| ConnectError::Cancelled)
}

/// The SELECT of a replication read: every column (those in `as_text` cast to
/// `text_type`), and the WHERE clause `filter` writes (nothing: every row). Values in the
/// clause are placeholders or, where the protocol takes none (PostgreSQL's COPY), session
/// settings the statement reads.
pub(crate) fn select_sql(
    read: &TableRead,
    schema: Option<&str>,
    dialect: crate::Dialect,
    text_type: &str,
    as_text: &[bool],
    filter: impl FnOnce(&mut crate::bound::SqlWriter),
) -> crate::BoundSql {
    let columns: Vec<ColumnInfo> = read
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| ColumnInfo {
            read_as_text: c.read_as_text || as_text.get(i).copied().unwrap_or(false),
            ..c.clone()
        })
        .collect();
    let mut w = crate::bound::SqlWriter::new(dialect);
    ScanSpec {
        schema,
        table: &read.table,
        columns: columns.iter().collect(),
        filters: Vec::new(),
        limit: None,
        random_order: false,
    }
    .write_select(&mut w, text_type);
    filter(&mut w);
    w.finish()
}

/// The column a cursor or partition names, with its target type; an error names a column
/// the read does not have.
pub(crate) fn column_type<'r>(read: &'r TableRead, name: &str) -> Result<&'r DataType> {
    read.columns
        .iter()
        .position(|c| c.name == name)
        .and_then(|i| read.arrow_schema.fields().get(i))
        .map(|f| f.data_type())
        .ok_or_else(|| {
            ConnectError::Query(format!(
                "the column `{name}` is not among the columns read from `{}`",
                read.table
            ))
        })
}

/// Checks what the read asks for before any connection is made.
/// Checks the read and takes its first output, for sources that read in one stream (the
/// other outputs are dropped, which their receivers see as "no rows").
pub(crate) fn single_output(
    read: &TableRead,
    outputs: Vec<tokio::sync::mpsc::Sender<arrow::record_batch::RecordBatch>>,
) -> Result<tokio::sync::mpsc::Sender<arrow::record_batch::RecordBatch>> {
    validate(read)?;
    outputs
        .into_iter()
        .next()
        .ok_or_else(|| ConnectError::Internal("a table read needs at least one output".into()))
}

pub(crate) fn validate(read: &TableRead) -> Result<()> {
    if read.columns.len() != read.arrow_schema.fields().len() {
        return Err(ConnectError::Internal(format!(
            "the read of `{}` has {} columns but its schema {} fields",
            read.table,
            read.columns.len(),
            read.arrow_schema.fields().len()
        )));
    }
    if read.columns.is_empty() {
        return Err(ConnectError::Query(format!(
            "the table `{}` has no columns to read",
            read.table
        )));
    }
    if let Some((col, _)) = &read.cursor {
        column_type(read, col)?;
    }
    Ok(())
}
