//! Statements with their values bound, never spliced in.
//!
//! Every statement Proost builds for a source is a [`BoundSql`]: SQL text made only of
//! keywords, quoted identifiers and placeholders (`$1` PostgreSQL, `?` MySQL, `?1` SQLite),
//! and the values beside it, sent as parameters of the driver's extended or prepared
//! protocol. A value therefore cannot end a string literal early, whatever quotes,
//! backslashes, comment openers or control bytes it holds and however the server is set to
//! read strings. Identifiers are quoted by [`quote_identifier`], the one quoting function.
//!
//! Row filters reach a source as [`Predicate`]s: a column compared with bound values, in a
//! shape every source evaluates at least as loosely as the engine (the engine filters
//! again). Which shapes a column admits is decided by the source that introspected it
//! ([`Comparisons`]), because only it knows its collations and type quirks.

use arrow::datatypes::DataType;

use crate::{ColumnInfo, Dialect};

/// A value bound to a statement parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum SqlValue {
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    /// An exact decimal: `value` × 10^-`scale`, of at most `precision` digits.
    Decimal {
        value: i128,
        precision: u8,
        scale: i8,
    },
    Text(String),
    /// Days since 1970-01-01.
    Date(i32),
    /// Microseconds since 1970-01-01T00:00:00; `utc`: an instant (PostgreSQL
    /// `timestamptz`, MySQL `TIMESTAMP`), else a wall-clock time.
    Timestamp {
        micros: i64,
        utc: bool,
    },
}

impl SqlValue {
    /// The value as the text its SQL type's input function reads (PostgreSQL's text
    /// parameter format, MySQL's DECIMAL cast). `None` when it has no such text.
    pub(crate) fn to_text(&self) -> Option<String> {
        Some(match self {
            SqlValue::Bool(b) => if *b { "true" } else { "false" }.to_string(),
            SqlValue::Int(i) => i.to_string(),
            SqlValue::UInt(u) => u.to_string(),
            // Rust prints the shortest text that reads back as the same float.
            SqlValue::Float(f) if f.is_finite() => f.to_string(),
            SqlValue::Float(_) => return None,
            SqlValue::Decimal { value, scale, .. } => decimal_text(*value, *scale),
            SqlValue::Text(s) => s.clone(),
            SqlValue::Date(d) => date_text(*d).ok()?,
            SqlValue::Timestamp { micros, utc } => {
                let t = timestamp_text(*micros).ok()?;
                if *utc { format!("{t}+00") } else { t }
            }
        })
    }
}

fn decimal_text(value: i128, scale: i8) -> String {
    if scale <= 0 {
        let zeros = "0".repeat(usize::from(scale.unsigned_abs()));
        return if value == 0 {
            "0".into()
        } else {
            format!("{value}{zeros}")
        };
    }
    let digits = value.unsigned_abs().to_string();
    let scale = usize::from(scale.unsigned_abs());
    let padded = format!("{digits:0>width$}", width = scale + 1);
    let (int, frac) = padded.split_at(padded.len() - scale);
    format!("{}{int}.{frac}", if value < 0 { "-" } else { "" })
}

/// SQL text and the values of its placeholders, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct BoundSql {
    pub sql: String,
    pub params: Vec<SqlValue>,
}

impl BoundSql {
    /// A statement without parameters (native SQL as a user wrote it).
    pub fn text(sql: impl Into<String>) -> Self {
        BoundSql {
            sql: sql.into(),
            params: Vec::new(),
        }
    }
}

/// How a column may be filtered at its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Comparisons {
    /// Never: the source reads values differently from the engine (JSON, UUIDs, enums,
    /// types read as text, flags stored as numbers), or the column is not the source's.
    #[default]
    None,
    /// `=` and `IN`: text, where the source's collation may be looser than the engine's
    /// byte order (case- or accent-insensitive, trailing spaces ignored) but never
    /// stricter. Ordering and `<>` would be wrong under such a collation.
    Equality,
    /// `=`, `IN` and `LIKE`: text whose `LIKE` the source evaluates at least as loosely
    /// as the engine (SQLite's does not: it stops reading a value at a NUL character).
    Matching,
    /// Every comparison: numbers, dates, timestamps, whose order the source shares.
    Ordered,
}

/// A comparison operator of a pushed-down filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    Eq,
    NotEq,
    Lt,
    LtEq,
    Gt,
    GtEq,
}

impl CompareOp {
    fn sql(self) -> &'static str {
        match self {
            CompareOp::Eq => "=",
            CompareOp::NotEq => "<>",
            CompareOp::Lt => "<",
            CompareOp::LtEq => "<=",
            CompareOp::Gt => ">",
            CompareOp::GtEq => ">=",
        }
    }
}

/// A row filter a source evaluates: columns by name, values bound.
#[derive(Debug, Clone, PartialEq)]
pub enum Predicate {
    And(Vec<Predicate>),
    Or(Vec<Predicate>),
    Compare {
        column: String,
        op: CompareOp,
        value: SqlValue,
    },
    InList {
        column: String,
        values: Vec<SqlValue>,
        negated: bool,
    },
    Between {
        column: String,
        low: SqlValue,
        high: SqlValue,
        negated: bool,
    },
    /// Case-sensitive `LIKE` with `\` as the escape character.
    Like {
        column: String,
        pattern: String,
    },
    IsNull {
        column: String,
        negated: bool,
    },
}

impl ColumnInfo {
    /// The operator a source applies for the engine's `op` against `value` on this column,
    /// so that every row the engine keeps the source keeps too; `None` when no such
    /// comparison is safe. Floats loosen `<` to `<=` (and `>` to `>=`): the engine orders
    /// `-0.0` below `0.0`, SQL holds them equal.
    pub fn pushed_op(&self, op: CompareOp, value: &SqlValue) -> Option<CompareOp> {
        if !self.fits(value) {
            return None;
        }
        let float = matches!(self.arrow_type, Some(DataType::Float32 | DataType::Float64));
        match (self.comparisons, op) {
            (Comparisons::None, _) => None,
            (Comparisons::Equality | Comparisons::Matching, CompareOp::Eq) => Some(op),
            (Comparisons::Equality | Comparisons::Matching, _) => None,
            (Comparisons::Ordered, CompareOp::NotEq) if float => None,
            (Comparisons::Ordered, CompareOp::Lt) if float => Some(CompareOp::LtEq),
            (Comparisons::Ordered, CompareOp::Gt) if float => Some(CompareOp::GtEq),
            (Comparisons::Ordered, op) => Some(op),
        }
    }

    /// `LIKE pattern` can be pushed: a text column, and a pattern whose every `\` escapes
    /// `%`, `_` or `\` (the sources disagree about other escapes and a trailing one).
    pub fn admits_like(&self, pattern: &str) -> bool {
        if self.comparisons != Comparisons::Matching
            || !self.fits(&SqlValue::Text(pattern.to_string()))
        {
            return false;
        }
        let mut chars = pattern.chars();
        while let Some(c) = chars.next() {
            if c == '\\' && !matches!(chars.next(), Some('%' | '_' | '\\')) {
                return false;
            }
        }
        true
    }

    /// The value is of this column's type and every source can bind it faithfully.
    fn fits(&self, value: &SqlValue) -> bool {
        let Some(ty) = &self.arrow_type else {
            return false;
        };
        match value {
            SqlValue::Bool(_) => *ty == DataType::Boolean,
            SqlValue::Int(_) | SqlValue::UInt(_) => ty.is_integer(),
            SqlValue::Float(f) => f.is_finite() && ty.is_floating(),
            SqlValue::Decimal {
                precision, scale, ..
            } => matches!(ty, DataType::Decimal128(p, s) if p == precision && s == scale),
            // PostgreSQL text cannot hold NUL; a shortened value would filter wrongly.
            SqlValue::Text(s) => {
                matches!(
                    ty,
                    DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
                ) && !s.contains('\0')
            }
            // Years every source spells alike (no BC, no five digits).
            SqlValue::Date(d) => *ty == DataType::Date32 && common_year(i64::from(*d) * 86_400),
            SqlValue::Timestamp { micros, utc } => {
                matches!(ty, DataType::Timestamp(_, tz) if tz.is_some() == *utc)
                    && common_year(micros.div_euclid(1_000_000))
            }
        }
    }
}

fn common_year(seconds: i64) -> bool {
    use chrono::Datelike;
    chrono::DateTime::from_timestamp(seconds, 0).is_some_and(|t| (1..=9999).contains(&t.year()))
}

/// The one identifier-quoting function lives with [`Dialect`], so the app database's own
/// code (which has no source drivers) quotes through it too.
pub use proost_readonly::quote_identifier;

/// Builds SQL text for one dialect: identifiers quoted, values as placeholders.
pub(crate) struct SqlWriter {
    dialect: Dialect,
    sql: String,
    params: Vec<SqlValue>,
}

impl SqlWriter {
    pub(crate) fn new(dialect: Dialect) -> Self {
        SqlWriter {
            dialect,
            sql: String::new(),
            params: Vec::new(),
        }
    }

    /// Keywords and punctuation: Proost's own text, never data.
    pub(crate) fn push(&mut self, keywords: &str) {
        self.sql.push_str(keywords);
    }

    pub(crate) fn ident(&mut self, name: &str) {
        let quoted = quote_identifier(self.dialect, name);
        self.sql.push_str(&quoted);
    }

    /// A placeholder for `value`, which travels as a parameter.
    pub(crate) fn value(&mut self, value: SqlValue) {
        let n = self.params.len() + 1;
        let placeholder = match (self.dialect, &value) {
            // A string parameter compared with a DECIMAL would be compared as a double.
            (
                Dialect::MySql,
                SqlValue::Decimal {
                    precision, scale, ..
                },
            ) => format!("CAST(? AS DECIMAL({precision},{scale}))"),
            (Dialect::MySql, _) => "?".to_string(),
            (Dialect::Postgres, _) => format!("${n}"),
            (Dialect::Sqlite | Dialect::Engine, _) => format!("?{n}"),
        };
        self.sql.push_str(&placeholder);
        self.params.push(value);
    }

    pub(crate) fn predicate(&mut self, p: &Predicate) {
        match p {
            Predicate::And(parts) | Predicate::Or(parts) => {
                let joiner = if matches!(p, Predicate::And(_)) {
                    " AND "
                } else {
                    " OR "
                };
                self.push("(");
                for (i, part) in parts.iter().enumerate() {
                    if i > 0 {
                        self.push(joiner);
                    }
                    self.predicate(part);
                }
                if parts.is_empty() {
                    self.push(if matches!(p, Predicate::And(_)) {
                        "1 = 1"
                    } else {
                        "1 = 0"
                    });
                }
                self.push(")");
            }
            Predicate::Compare { column, op, value } => {
                self.ident(column);
                self.push(&format!(" {} ", op.sql()));
                self.value(value.clone());
            }
            Predicate::InList {
                column,
                values,
                negated,
            } => {
                self.ident(column);
                self.push(if *negated { " NOT IN (" } else { " IN (" });
                for (i, v) in values.iter().enumerate() {
                    if i > 0 {
                        self.push(", ");
                    }
                    self.value(v.clone());
                }
                self.push(")");
            }
            Predicate::Between {
                column,
                low,
                high,
                negated,
            } => {
                self.ident(column);
                self.push(if *negated {
                    " NOT BETWEEN "
                } else {
                    " BETWEEN "
                });
                self.value(low.clone());
                self.push(" AND ");
                self.value(high.clone());
            }
            Predicate::Like { column, pattern } => {
                self.ident(column);
                self.push(" LIKE ");
                self.value(SqlValue::Text(pattern.clone()));
                // SQLite has no default escape character; the others use `\`.
                if self.dialect == Dialect::Sqlite {
                    self.push(" ESCAPE '\\'");
                }
            }
            Predicate::IsNull { column, negated } => {
                self.ident(column);
                self.push(if *negated { " IS NOT NULL" } else { " IS NULL" });
            }
        }
    }

    pub(crate) fn finish(self) -> BoundSql {
        BoundSql {
            sql: self.sql,
            params: self.params,
        }
    }
}

/// `µs since the epoch` as `YYYY-MM-DD HH:MM:SS.ffffff` (UTC).
pub(crate) fn timestamp_text(micros: i64) -> crate::Result<String> {
    chrono::DateTime::from_timestamp_micros(micros)
        .map(|t| t.naive_utc().format("%Y-%m-%d %H:%M:%S%.6f").to_string())
        .ok_or_else(|| {
            crate::ConnectError::Query(format!("the cursor timestamp {micros} µs is out of range"))
        })
}

/// `days since the epoch` as `YYYY-MM-DD`.
pub(crate) fn date_text(days: i32) -> crate::Result<String> {
    chrono::NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|e| e.checked_add_signed(chrono::TimeDelta::days(i64::from(days))))
        .map(|d| d.format("%Y-%m-%d").to_string())
        .ok_or_else(|| {
            crate::ConnectError::Query(format!("the cursor date {days} is out of range"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_read_back_exactly() {
        assert_eq!(decimal_text(12345, 2), "123.45");
        assert_eq!(decimal_text(-5, 3), "-0.005");
        assert_eq!(decimal_text(0, 2), "0.00");
        assert_eq!(decimal_text(7, -2), "700");
        assert_eq!(decimal_text(i128::MIN + 1, 0), (i128::MIN + 1).to_string());
    }

    #[test]
    fn values_become_placeholders_and_names_are_quoted() {
        let mut w = SqlWriter::new(Dialect::Postgres);
        w.predicate(&Predicate::Or(vec![
            Predicate::Compare {
                column: "na\"me".into(),
                op: CompareOp::Eq,
                value: SqlValue::Text("x' OR 1=1 --".into()),
            },
            Predicate::InList {
                column: "id".into(),
                values: vec![SqlValue::Int(1), SqlValue::Int(2)],
                negated: false,
            },
        ]));
        let b = w.finish();
        assert_eq!(b.sql, "(\"na\"\"me\" = $1 OR \"id\" IN ($2, $3))");
        assert_eq!(b.params.len(), 3);
        let mut w = SqlWriter::new(Dialect::MySql);
        w.predicate(&Predicate::Compare {
            column: "amount".into(),
            op: CompareOp::Gt,
            value: SqlValue::Decimal {
                value: 100,
                precision: 12,
                scale: 2,
            },
        });
        assert_eq!(w.finish().sql, "`amount` > CAST(? AS DECIMAL(12,2))");
    }

    #[test]
    fn floats_loosen_strict_comparisons_and_text_admits_only_equality() {
        let col = |ty: DataType, comparisons| ColumnInfo {
            name: "c".into(),
            source_type: String::new(),
            arrow_type: Some(ty),
            read_as_text: false,
            nullable: true,
            comparisons,
        };
        let f = col(DataType::Float64, Comparisons::Ordered);
        assert_eq!(
            f.pushed_op(CompareOp::Lt, &SqlValue::Float(1.0)),
            Some(CompareOp::LtEq)
        );
        assert_eq!(f.pushed_op(CompareOp::NotEq, &SqlValue::Float(1.0)), None);
        assert_eq!(f.pushed_op(CompareOp::Eq, &SqlValue::Float(f64::NAN)), None);
        assert_eq!(f.pushed_op(CompareOp::Eq, &SqlValue::Int(1)), None);
        let t = col(DataType::Utf8, Comparisons::Matching);
        assert_eq!(
            t.pushed_op(CompareOp::Eq, &SqlValue::Text("a".into())),
            Some(CompareOp::Eq)
        );
        assert_eq!(
            t.pushed_op(CompareOp::Lt, &SqlValue::Text("a".into())),
            None
        );
        assert_eq!(
            t.pushed_op(CompareOp::Eq, &SqlValue::Text("a\0".into())),
            None
        );
        assert!(t.admits_like("a\\%b%"));
        assert!(!t.admits_like("a\\"));
        assert!(!t.admits_like("a\\b"));
        assert!(!col(DataType::Utf8, Comparisons::Equality).admits_like("a%"));
        let none = col(DataType::Utf8, Comparisons::None);
        assert_eq!(
            none.pushed_op(CompareOp::Eq, &SqlValue::Text("a".into())),
            None
        );
    }
}
