//! Values in a spec: literals, typed parameters and relative date bounds, all turned into
//! `ScalarValue`s of the expression tree (never text).

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Timelike};
use datafusion::arrow::datatypes::{DataType, TimeUnit};
use datafusion::common::ScalarValue;
use serde_json::Value;

use super::{Bound, invalid};
use crate::QueryError;

pub const KINDS: &[&str] = &["text", "number", "integer", "date", "timestamp", "boolean"];

pub fn check_kind(kind: &str, path: &str) -> Result<(), QueryError> {
    if KINDS.contains(&kind) {
        Ok(())
    } else {
        Err(invalid(
            path,
            format!(
                "unknown parameter type `{kind}`; use text, number, integer, date, timestamp or boolean"
            ),
        ))
    }
}

/// A parameter's value as its declared type.
pub fn typed(kind: &str, v: &Value, path: &str) -> Result<ScalarValue, QueryError> {
    let wrong = || invalid(path, format!("`{v}` is not a {kind}"));
    Ok(match (kind, v) {
        (_, Value::Null) => return Err(invalid(path, "a parameter value is not null".into())),
        ("text", Value::String(s)) => ScalarValue::Utf8(Some(s.clone())),
        ("text", Value::Number(n)) => ScalarValue::Utf8(Some(n.to_string())),
        ("number", Value::Number(n)) => ScalarValue::Float64(Some(n.as_f64().ok_or_else(wrong)?)),
        ("number", Value::String(s)) => {
            ScalarValue::Float64(Some(s.trim().parse().map_err(|_| wrong())?))
        }
        ("integer", Value::Number(n)) => ScalarValue::Int64(Some(n.as_i64().ok_or_else(wrong)?)),
        ("integer", Value::String(s)) => {
            ScalarValue::Int64(Some(s.trim().parse().map_err(|_| wrong())?))
        }
        ("boolean", Value::Bool(b)) => ScalarValue::Boolean(Some(*b)),
        ("boolean", Value::String(s)) => match s.as_str() {
            "true" => ScalarValue::Boolean(Some(true)),
            "false" => ScalarValue::Boolean(Some(false)),
            _ => return Err(wrong()),
        },
        ("date", Value::String(s)) => {
            let d = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| wrong())?;
            ScalarValue::Date32(Some(days(d)))
        }
        ("timestamp", Value::String(s)) => {
            let s = s.trim();
            let t = DateTime::parse_from_rfc3339(s)
                .map(|t| t.naive_utc())
                .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S"))
                .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S"))
                .map_err(|_| wrong())?;
            ScalarValue::TimestampMicrosecond(Some(t.and_utc().timestamp_micros()), None)
        }
        ("text" | "number" | "integer" | "boolean" | "date" | "timestamp", _) => {
            return Err(wrong());
        }
        (other, _) => {
            return Err(invalid(
                path,
                format!(
                    "unknown parameter type `{other}`; use text, number, integer, date, timestamp or boolean"
                ),
            ));
        }
    })
}

/// A literal of a condition, read as the column's type where the JSON alone cannot say
/// (a date column compared with `"2024-01-31"`).
pub fn literal(v: &Value, column: &DataType, path: &str) -> Result<ScalarValue, QueryError> {
    let s = match v {
        Value::String(s) => s,
        Value::Bool(b) => return Ok(ScalarValue::Boolean(Some(*b))),
        Value::Number(n) => {
            return Ok(match (n.as_i64(), n.as_f64()) {
                (Some(i), _) => ScalarValue::Int64(Some(i)),
                (None, Some(f)) => ScalarValue::Float64(Some(f)),
                _ => return Err(invalid(path, format!("the number {n} is out of range"))),
            });
        }
        _ => {
            return Err(invalid(
                path,
                "a value is a string, a number, a boolean or {\"param\": name}".into(),
            ));
        }
    };
    match column {
        DataType::Date32 | DataType::Date64 => typed("date", v, path),
        DataType::Timestamp(..) => typed("timestamp", v, path),
        _ => Ok(ScalarValue::Utf8(Some(s.clone()))),
    }
}

fn days(d: NaiveDate) -> i32 {
    (d - NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()).num_days() as i32
}

/// The start of the period containing `t` (weeks start on Monday).
fn period_start(t: NaiveDateTime, unit: &str) -> Option<NaiveDateTime> {
    let d = t.date();
    Some(match unit {
        "minute" => t.with_second(0)?.with_nanosecond(0)?,
        "hour" => t.with_minute(0)?.with_second(0)?.with_nanosecond(0)?,
        "day" => d.and_hms_opt(0, 0, 0)?,
        "week" => {
            (d - Duration::days(d.weekday().num_days_from_monday() as i64)).and_hms_opt(0, 0, 0)?
        }
        "month" => d.with_day(1)?.and_hms_opt(0, 0, 0)?,
        "quarter" => {
            NaiveDate::from_ymd_opt(d.year(), (d.month0() / 3) * 3 + 1, 1)?.and_hms_opt(0, 0, 0)?
        }
        "year" => NaiveDate::from_ymd_opt(d.year(), 1, 1)?.and_hms_opt(0, 0, 0)?,
        _ => return None,
    })
}

fn shift(t: NaiveDateTime, unit: &str, n: i64) -> Option<NaiveDateTime> {
    let months = |m: i64| {
        let m = i32::try_from(m).ok()?;
        if m >= 0 {
            t.checked_add_months(chrono::Months::new(m as u32))
        } else {
            t.checked_sub_months(chrono::Months::new(m.unsigned_abs()))
        }
    };
    match unit {
        "minute" => t.checked_add_signed(Duration::try_minutes(n)?),
        "hour" => t.checked_add_signed(Duration::try_hours(n)?),
        "day" => t.checked_add_signed(Duration::try_days(n)?),
        "week" => t.checked_add_signed(Duration::try_weeks(n)?),
        "month" => months(n),
        "quarter" => months(n.checked_mul(3)?),
        "year" => months(n.checked_mul(12)?),
        _ => None,
    }
}

/// `[lower, upper)` of a relative period, as literals of the column's type: `amount` < 0 is
/// the last `-amount` whole periods before the current one, 0 the current period, > 0 the
/// next `amount` after it. Computed here, in the question's time zone, so the bounds are
/// plain literals a source can use (they push down).
pub fn relative_bounds(
    amount: i64,
    unit: &str,
    tz: &chrono_tz::Tz,
    column: &DataType,
    path: &str,
) -> Result<Bound, QueryError> {
    let bad = || {
        invalid(
            path,
            format!(
                "`{unit}` with amount {amount} is not a period; use minute, hour, day, week, month, quarter or year and an amount between -10000 and 10000"
            ),
        )
    };
    if amount.abs() > 10_000 {
        return Err(bad());
    }
    let now = chrono::Utc::now().with_timezone(tz).naive_local();
    let start = period_start(now, unit).ok_or_else(bad)?;
    let (lo, hi) = match amount {
        n if n < 0 => (shift(start, unit, n).ok_or_else(bad)?, start),
        0 => (start, shift(start, unit, 1).ok_or_else(bad)?),
        n => (
            shift(start, unit, 1).ok_or_else(bad)?,
            shift(start, unit, n + 1).ok_or_else(bad)?,
        ),
    };
    let as_type = |local: NaiveDateTime| -> Result<ScalarValue, QueryError> {
        Ok(match column {
            DataType::Date32 | DataType::Date64 => ScalarValue::Date32(Some(days(local.date()))),
            DataType::Timestamp(unit, Some(col_tz)) => {
                // An instant column: the local bound as an instant, in the column's zone.
                let instant = tz
                    .from_local_datetime(&local)
                    .earliest()
                    .ok_or_else(bad)?
                    .naive_utc()
                    .and_utc();
                timestamp(unit, instant.timestamp_micros(), Some(col_tz.clone()))
            }
            DataType::Timestamp(unit, None) => {
                timestamp(unit, local.and_utc().timestamp_micros(), None)
            }
            other => {
                return Err(invalid(
                    path,
                    format!("`relative` applies to dates and times, not to {other:?}"),
                ));
            }
        })
    };
    Ok(Bound {
        lower: as_type(lo)?,
        upper: as_type(hi)?,
    })
}

fn timestamp(unit: &TimeUnit, micros: i64, tz: Option<std::sync::Arc<str>>) -> ScalarValue {
    match unit {
        TimeUnit::Second => ScalarValue::TimestampSecond(Some(micros / 1_000_000), tz),
        TimeUnit::Millisecond => ScalarValue::TimestampMillisecond(Some(micros / 1_000), tz),
        TimeUnit::Microsecond => ScalarValue::TimestampMicrosecond(Some(micros), tz),
        TimeUnit::Nanosecond => {
            ScalarValue::TimestampNanosecond(Some(micros.saturating_mul(1_000)), tz)
        }
    }
}
