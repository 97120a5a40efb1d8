//! Masks of columns that are not text keep the column's type, so a masked column still
//! compares, sorts and joins as its schema says (`date_of_birth < DATE '1970-01-01'`
//! must not fail on a year written as text). Dates and timestamps generalise to the first
//! instant of their year, numbers to their decade; integers hash to integers and binary
//! values to bytes (equal values stay equal); what has no such form becomes NULL.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BinaryArray, FixedSizeBinaryArray, LargeBinaryArray, PrimitiveArray,
    new_null_array,
};
use datafusion::arrow::compute::{cast, unary};
use datafusion::arrow::datatypes::{
    DataType, Date32Type, Date64Type, Float64Type, Int64Type, TimeUnit, TimestampMicrosecondType,
    TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType,
};
use datafusion::common::Result;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The generalisation of a column that is not text: the first instant of the year of
/// dates and timestamps, the decade of numbers, NULL for the rest.
pub(crate) fn generalized(array: &ArrayRef) -> Result<ArrayRef> {
    Ok(generalize(array)?.unwrap_or_else(|| nulls(array)))
}

/// A keyed hash of a column that is not text, in its own type: integers to integers,
/// binary values to bytes; NULL for the rest.
pub(crate) fn hashed(key: &[u8; 32], array: &ArrayRef) -> Result<ArrayRef> {
    Ok(hash(key, array)?.unwrap_or_else(|| nulls(array)))
}

/// NULL of the column's own type (a redacted number, date or flag).
pub(crate) fn nulls(array: &ArrayRef) -> ArrayRef {
    new_null_array(array.data_type(), array.len())
}

const EPOCH_FROM_CE: i32 = 719_163;

fn year_start_days(days: i32) -> i32 {
    NaiveDate::from_num_days_from_ce_opt(days.saturating_add(EPOCH_FROM_CE))
        .and_then(|d| NaiveDate::from_ymd_opt(d.year(), 1, 1))
        .map_or(days, |d| d.num_days_from_ce() - EPOCH_FROM_CE)
}

/// The first instant (UTC) of the year of `v`, counted in `per_day` units a day.
fn year_start_units(v: i64, per_day: i64) -> i64 {
    let days = v.div_euclid(per_day);
    let Ok(days) = i32::try_from(days) else {
        return v;
    };
    i64::from(year_start_days(days)) * per_day
}

fn generalize(array: &ArrayRef) -> Result<Option<ArrayRef>> {
    const DAY_S: i64 = 86_400;
    let t = array.data_type();
    Ok(Some(match t {
        DataType::Date32 => Arc::new(
            array
                .as_primitive::<Date32Type>()
                .unary::<_, Date32Type>(year_start_days),
        ),
        DataType::Date64 => Arc::new(
            array
                .as_primitive::<Date64Type>()
                .unary::<_, Date64Type>(|v| year_start_units(v, DAY_S * 1000)),
        ),
        DataType::Timestamp(unit, tz) => {
            let per_day = match unit {
                TimeUnit::Second => DAY_S,
                TimeUnit::Millisecond => DAY_S * 1_000,
                TimeUnit::Microsecond => DAY_S * 1_000_000,
                TimeUnit::Nanosecond => DAY_S * 1_000_000_000,
            };
            let f = |v: i64| year_start_units(v, per_day);
            let out: ArrayRef = match unit {
                TimeUnit::Second => Arc::new(
                    array
                        .as_primitive::<TimestampSecondType>()
                        .unary::<_, TimestampSecondType>(f),
                ),
                TimeUnit::Millisecond => Arc::new(
                    array
                        .as_primitive::<TimestampMillisecondType>()
                        .unary::<_, TimestampMillisecondType>(f),
                ),
                TimeUnit::Microsecond => Arc::new(
                    array
                        .as_primitive::<TimestampMicrosecondType>()
                        .unary::<_, TimestampMicrosecondType>(f),
                ),
                TimeUnit::Nanosecond => Arc::new(
                    array
                        .as_primitive::<TimestampNanosecondType>()
                        .unary::<_, TimestampNanosecondType>(f),
                ),
            };
            // The time zone is kept as metadata of the type; the year starts at UTC midnight.
            cast(&out, &DataType::Timestamp(*unit, tz.clone()))?
        }
        t if t.is_numeric() => {
            let f = cast(array, &DataType::Float64)?;
            let decade: PrimitiveArray<Float64Type> = unary(f.as_primitive::<Float64Type>(), |v| {
                (v / 10.0).floor() * 10.0
            });
            cast(&(Arc::new(decade) as ArrayRef), t)?
        }
        _ => return Ok(None),
    }))
}

fn digest(key: &[u8; 32], bytes: &[u8]) -> Option<[u8; 32]> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).ok()?;
    mac.update(bytes);
    Some(mac.finalize().into_bytes().into())
}

fn hash(key: &[u8; 32], array: &ArrayRef) -> Result<Option<ArrayRef>> {
    let t = array.data_type();
    Ok(Some(match t {
        t if t.is_integer() => {
            // A keyed hash that fits every integer type: 0..=99 for a byte, wider for wider.
            let bound: i64 = match t {
                DataType::Int8 | DataType::UInt8 => 100,
                DataType::Int16 | DataType::UInt16 => 30_000,
                DataType::Int32 | DataType::UInt32 => 2_000_000_000,
                _ => i64::MAX,
            };
            let wide = cast(array, &DataType::Int64)?;
            let hashed: PrimitiveArray<Int64Type> = unary(wide.as_primitive::<Int64Type>(), |v| {
                digest(key, &v.to_le_bytes()).map_or(0, |d| {
                    let mut eight = [0u8; 8];
                    eight.copy_from_slice(&d[..8]);
                    (i64::from_le_bytes(eight) & i64::MAX) % bound
                })
            });
            cast(&(Arc::new(hashed) as ArrayRef), t)?
        }
        DataType::Binary => {
            let a: &BinaryArray = array.as_binary();
            Arc::new(
                a.iter()
                    .map(|v| v.and_then(|v| digest(key, v)).map(|d| d[..16].to_vec()))
                    .collect::<BinaryArray>(),
            )
        }
        DataType::LargeBinary => {
            let a: &LargeBinaryArray = array.as_binary();
            Arc::new(
                a.iter()
                    .map(|v| v.and_then(|v| digest(key, v)).map(|d| d[..16].to_vec()))
                    .collect::<LargeBinaryArray>(),
            )
        }
        DataType::FixedSizeBinary(n) => {
            let width = usize::try_from(*n).unwrap_or(0);
            if width == 0 || width > 32 {
                return Ok(None);
            }
            let a: &FixedSizeBinaryArray = array.as_fixed_size_binary();
            let values = a
                .iter()
                .map(|v| v.and_then(|v| digest(key, v)).map(|d| d[..width].to_vec()));
            Arc::new(FixedSizeBinaryArray::try_from_sparse_iter_with_size(
                values, *n,
            )?)
        }
        _ => return Ok(None),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::{Date32Array, Int32Array, TimestampMicrosecondArray};

    #[test]
    fn dates_and_numbers_keep_their_type() {
        let days = |y, m, d| {
            NaiveDate::from_ymd_opt(y, m, d)
                .map(|d| d.num_days_from_ce() - EPOCH_FROM_CE)
                .expect("date")
        };
        let a: ArrayRef = Arc::new(Date32Array::from(vec![
            Some(days(1975, 6, 30)),
            None,
            Some(days(1969, 12, 31)),
        ]));
        let out = generalized(&a).expect("mask");
        assert_eq!(out.data_type(), &DataType::Date32);
        let out = out.as_primitive::<Date32Type>();
        assert_eq!(out.value(0), days(1975, 1, 1));
        assert!(out.is_null(1));
        assert_eq!(out.value(2), days(1969, 1, 1));

        let micros = |y, m, d| days(y, m, d) as i64 * 86_400_000_000 + 3_600_000_000;
        let t: ArrayRef = Arc::new(
            TimestampMicrosecondArray::from(vec![micros(1987, 5, 4)]).with_timezone("UTC"),
        );
        let out = generalized(&t).expect("mask");
        assert_eq!(out.data_type(), t.data_type());
        assert_eq!(
            out.as_primitive::<TimestampMicrosecondType>().value(0),
            micros(1987, 1, 1) - 3_600_000_000
        );

        let n: ArrayRef = Arc::new(Int32Array::from(vec![Some(37), Some(-3), None]));
        let out = generalized(&n).expect("mask");
        assert_eq!(out.data_type(), &DataType::Int32);
        let out = out.as_primitive::<datafusion::arrow::datatypes::Int32Type>();
        assert_eq!(
            (out.value(0), out.value(1), out.is_null(2)),
            (30, -10, true)
        );
    }

    #[test]
    fn hashed_integers_stay_integers_and_equal_stays_equal() {
        let n: ArrayRef = Arc::new(Int32Array::from(vec![Some(42), Some(42), Some(7), None]));
        let out = hashed(&[1; 32], &n).expect("mask");
        assert_eq!(out.data_type(), &DataType::Int32);
        let out = out.as_primitive::<datafusion::arrow::datatypes::Int32Type>();
        assert_eq!(out.value(0), out.value(1));
        assert_ne!(out.value(0), out.value(2));
        assert_ne!(out.value(0), 42);
        assert!(out.is_null(3));
        let other = hashed(&[2; 32], &n).expect("mask");
        assert_ne!(
            other
                .as_primitive::<datafusion::arrow::datatypes::Int32Type>()
                .value(0),
            out.value(0)
        );
    }

    #[test]
    fn what_has_no_generalisation_is_null_of_its_type() {
        let b: ArrayRef = Arc::new(datafusion::arrow::array::BooleanArray::from(vec![true]));
        let out = generalized(&b).expect("mask");
        assert_eq!(out.data_type(), &DataType::Boolean);
        assert!(out.is_null(0));
    }
}
