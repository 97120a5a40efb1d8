//! Fixtures shared by the behaviour tests.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use arrow::array::{ArrayRef, Float64Array, Int64Array, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;
use proost_cache::{CacheConfig, CacheKey, CachedResult, Clock, ResultCache};

/// A clock tests move by hand, so freshness is tested without sleeping.
pub struct ManualClock {
    start: Instant,
    offset: Mutex<Duration>,
}

impl ManualClock {
    pub fn new() -> Arc<Self> {
        Arc::new(ManualClock {
            start: Instant::now(),
            offset: Mutex::new(Duration::ZERO),
        })
    }

    pub fn advance(&self, by: Duration) {
        *self.offset.lock().expect("clock") += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Instant {
        self.start + *self.offset.lock().expect("clock")
    }
}

pub fn cache_with_clock(config: CacheConfig) -> (ResultCache, Arc<ManualClock>) {
    let clock = ManualClock::new();
    let cache = ResultCache::with_clock(config, clock.clone());
    (cache, clock)
}

pub fn key(plan: &str) -> CacheKey {
    CacheKey::new(plan, "role:analyst", &[], "limit=1000")
}

/// A dashboard-sized result: `rows` rows of 10 columns (ints, floats, short strings).
pub fn table(rows: usize, seed: i64) -> CachedResult {
    let mut fields = Vec::new();
    let mut cols: Vec<ArrayRef> = Vec::new();
    for c in 0..10 {
        match c % 3 {
            0 => {
                fields.push(Field::new(format!("i{c}"), DataType::Int64, true));
                cols.push(Arc::new(Int64Array::from_iter_values(
                    (0..rows as i64).map(|r| r * 31 + seed + c as i64),
                )));
            }
            1 => {
                fields.push(Field::new(format!("f{c}"), DataType::Float64, true));
                cols.push(Arc::new(Float64Array::from_iter_values(
                    (0..rows).map(|r| r as f64 * 1.5 + seed as f64),
                )));
            }
            _ => {
                fields.push(Field::new(format!("s{c}"), DataType::Utf8, true));
                cols.push(Arc::new(StringArray::from_iter_values(
                    (0..rows).map(|r| format!("customer-{seed}-{r}")),
                )));
            }
        }
    }
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(schema.clone(), cols).expect("batch");
    CachedResult {
        schema,
        batches: vec![batch],
        truncated: false,
        extra: br#"{"served_by":["replica"]}"#.to_vec(),
    }
}
