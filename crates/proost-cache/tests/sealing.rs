//! Sealing and keying: what goes in comes out, and only under the right key and key material.

mod common;

use std::sync::Arc;

use arrow::array::{
    ArrayRef, BinaryArray, BooleanArray, Date32Array, Decimal128Array, DictionaryArray,
    Float64Array, Int32Array, Int64Array, LargeStringArray, StringArray, TimestampMicrosecondArray,
};
use arrow::datatypes::{DataType, Field, Int32Type, Schema, TimeUnit};
use arrow::record_batch::RecordBatch;
use common::{key, table};
use proost_cache::{CacheConfig, CacheKey, CachedResult, Lookup, ResultCache};
use proost_keys::DataKey;

fn varied() -> CachedResult {
    let tz: Arc<str> = "Europe/Amsterdam".into();
    let schema = Arc::new(Schema::new(vec![
        Field::new("id", DataType::Int64, false),
        Field::new("qty", DataType::Int32, true),
        Field::new("amount", DataType::Decimal128(38, 10), true),
        Field::new("name", DataType::Utf8, true),
        Field::new("note", DataType::LargeUtf8, true),
        Field::new(
            "at",
            DataType::Timestamp(TimeUnit::Microsecond, Some(tz.clone())),
            true,
        ),
        Field::new("day", DataType::Date32, true),
        Field::new("blob", DataType::Binary, true),
        Field::new("ok", DataType::Boolean, true),
        Field::new("ratio", DataType::Float64, true),
        Field::new(
            "country",
            DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
            true,
        ),
    ]));
    let cols = |offset: i64| -> Vec<ArrayRef> {
        vec![
            Arc::new(Int64Array::from(vec![offset, offset + 1, offset + 2])),
            Arc::new(Int32Array::from(vec![Some(-7), None, Some(i32::MAX)])),
            Arc::new(
                Decimal128Array::from(vec![Some(12_345_678_901_234_567_890_i128), None, Some(-1)])
                    .with_precision_and_scale(38, 10)
                    .expect("decimal"),
            ),
            Arc::new(StringArray::from(vec![
                Some("Zoë Ångström"),
                None,
                Some("東京 🚀 ﬁ\u{0}nul"),
            ])),
            Arc::new(LargeStringArray::from(vec![None, Some("ℵ₀"), Some("")])),
            Arc::new(
                TimestampMicrosecondArray::from(vec![Some(1_700_000_000_000_000), None, Some(0)])
                    .with_timezone(tz.clone()),
            ),
            Arc::new(Date32Array::from(vec![Some(19_000), Some(-1), None])),
            Arc::new(BinaryArray::from(vec![
                Some(&[0u8, 255, 1][..]),
                None,
                Some(&b""[..]),
            ])),
            Arc::new(BooleanArray::from(vec![Some(true), None, Some(false)])),
            Arc::new(Float64Array::from(vec![
                Some(-0.0),
                Some(f64::INFINITY),
                None,
            ])),
            Arc::new(
                vec![Some("NL"), None, Some("NL")]
                    .into_iter()
                    .collect::<DictionaryArray<Int32Type>>(),
            ),
        ]
    };
    let batches = vec![
        RecordBatch::try_new(schema.clone(), cols(0)).expect("batch"),
        RecordBatch::try_new(schema.clone(), cols(100)).expect("batch"),
    ];
    CachedResult {
        schema,
        batches,
        truncated: true,
        extra: "{\"sources\":[\"live\"],\"note\":\"ünïcode\"}"
            .as_bytes()
            .to_vec(),
    }
}

#[test]
fn a_result_of_every_common_type_comes_back_unchanged() {
    let cache = ResultCache::new(CacheConfig::default());
    let dek = DataKey::generate();
    let result = varied();
    cache.put(key("varied"), &dek, &[], &result).expect("put");
    match cache.get(&key("varied"), &dek) {
        Lookup::Fresh(got, _) => assert_eq!(got, result),
        other => panic!("expected a fresh hit, got {other:?}"),
    }
}

#[test]
fn an_empty_result_keeps_its_schema() {
    let cache = ResultCache::new(CacheConfig::default());
    let dek = DataKey::generate();
    let mut result = varied();
    result.batches.clear();
    result.truncated = false;
    result.extra.clear();
    cache.put(key("empty"), &dek, &[], &result).expect("put");
    match cache.get(&key("empty"), &dek) {
        Lookup::Fresh(got, _) => assert_eq!(got, result),
        other => panic!("expected a fresh hit, got {other:?}"),
    }
}

#[test]
fn an_unknown_key_is_a_miss_and_a_stored_one_a_hit() {
    let cache = ResultCache::new(CacheConfig::default());
    let dek = DataKey::generate();
    assert_eq!(cache.get(&key("q"), &dek), Lookup::Miss);
    cache.put(key("q"), &dek, &[], &table(3, 1)).expect("put");
    assert!(matches!(cache.get(&key("q"), &dek), Lookup::Fresh(..)));
    let stats = cache.stats();
    assert_eq!((stats.hits, stats.misses, stats.entries), (1, 1, 1));
}

#[test]
fn another_permission_fingerprint_or_data_version_or_option_is_another_key() {
    let v1 = vec![("shop.orders".to_string(), "v1".to_string())];
    let v2 = vec![("shop.orders".to_string(), "v2".to_string())];
    let base = CacheKey::new("select * from orders", "role:admin", &v1, "limit=100");
    let variants = [
        CacheKey::new("select * from orders", "role:viewer", &v1, "limit=100"),
        CacheKey::new("select * from orders", "role:admin", &v2, "limit=100"),
        CacheKey::new("select * from orders", "role:admin", &[], "limit=100"),
        CacheKey::new("select * from orders", "role:admin", &v1, "limit=10"),
        CacheKey::new("select id from orders", "role:admin", &v1, "limit=100"),
    ];
    for v in &variants {
        assert_ne!(&base, v);
    }

    let cache = ResultCache::new(CacheConfig::default());
    let dek = DataKey::generate();
    cache.put(base, &dek, &[], &table(3, 1)).expect("put");
    for v in &variants {
        assert_eq!(cache.get(v, &dek), Lookup::Miss);
    }
    assert!(matches!(cache.get(&base, &dek), Lookup::Fresh(..)));
}

#[test]
fn key_fields_do_not_collide_by_concatenation() {
    assert_ne!(
        CacheKey::new("ab", "c", &[], ""),
        CacheKey::new("a", "bc", &[], "")
    );
    assert_ne!(
        CacheKey::new("a", "", &[], "b"),
        CacheKey::new("a", "b", &[], "")
    );
    let pair = |t: &str, v: &str| (t.to_string(), v.to_string());
    assert_ne!(
        CacheKey::new("q", "p", &[pair("ab", "c")], ""),
        CacheKey::new("q", "p", &[pair("a", "bc")], "")
    );
    assert_ne!(
        CacheKey::new("q", "p", &[pair("t", "1"), pair("u", "2")], ""),
        CacheKey::new("q", "p", &[pair("t", "1u2")], "")
    );
}

#[test]
fn the_order_data_versions_are_listed_in_does_not_change_the_key() {
    let pair = |t: &str, v: &str| (t.to_string(), v.to_string());
    let a = CacheKey::new("q", "p", &[pair("t", "1"), pair("u", "2")], "");
    let b = CacheKey::new("q", "p", &[pair("u", "2"), pair("t", "1")], "");
    assert_eq!(a, b);
    assert_eq!(a.to_hex().len(), 64);
    assert_eq!(a.to_hex(), b.to_hex());
}

#[test]
fn other_key_material_is_a_miss_and_drops_the_entry() {
    let cache = ResultCache::new(CacheConfig::default());
    let dek = DataKey::generate();
    let other = DataKey::generate();
    cache
        .put(key("q"), &dek, &["conn:1".to_string()], &table(3, 1))
        .expect("put");
    assert_eq!(cache.get(&key("q"), &other), Lookup::Miss);
    // Dropped: even the right key material no longer finds it.
    assert_eq!(cache.get(&key("q"), &dek), Lookup::Miss);
    let stats = cache.stats();
    assert_eq!((stats.entries, stats.bytes, stats.unreadable), (0, 0, 1));
    assert_eq!(
        cache.invalidate("conn:1"),
        0,
        "the tag index was cleaned too"
    );
}

#[test]
fn a_shredded_data_key_leaves_its_cached_results_unreadable() {
    let cache = ResultCache::new(CacheConfig::default());
    let dek = DataKey::generate();
    cache.put(key("q"), &dek, &[], &table(3, 1)).expect("put");
    drop(dek);
    // The connection's key is recreated after deletion: it is new material.
    let replacement = DataKey::generate();
    assert_eq!(cache.get(&key("q"), &replacement), Lookup::Miss);
    assert_eq!(cache.stats().entries, 0);
}
