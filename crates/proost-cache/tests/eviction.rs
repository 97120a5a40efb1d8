//! Bounds and invalidation: the cache stays under its byte budget, evicting the least
//! recently used first, and drops tagged entries on demand.

mod common;

use common::{key, table};
use proost_cache::{CacheConfig, Lookup, ResultCache};
use proost_keys::DataKey;

/// The sealed size of one `table(20, seed)` entry (the same for every one-digit seed).
fn entry_size(dek: &DataKey) -> usize {
    let probe = ResultCache::new(CacheConfig::default());
    probe
        .put(key("probe"), dek, &[], &table(20, 1))
        .expect("put");
    probe.stats().bytes
}

fn tags(t: &[&str]) -> Vec<String> {
    t.iter().map(|s| s.to_string()).collect()
}

#[test]
fn the_least_recently_used_entries_are_evicted_first_to_stay_under_max_bytes() {
    let dek = DataKey::generate();
    let size = entry_size(&dek);
    let cache = ResultCache::new(CacheConfig {
        max_bytes: 4 * size,
        ..CacheConfig::default()
    });
    for (i, name) in ["a", "b", "c", "d"].iter().enumerate() {
        cache
            .put(key(name), &dek, &tags(&[name]), &table(20, i as i64 + 1))
            .expect("put");
    }
    assert_eq!(cache.stats().bytes, 4 * size);
    // Reading "a" makes "b" the least recently used.
    assert!(matches!(cache.get(&key("a"), &dek), Lookup::Fresh(..)));

    cache.put(key("e"), &dek, &[], &table(20, 5)).expect("put");
    assert_eq!(cache.get(&key("b"), &dek), Lookup::Miss);
    cache.put(key("f"), &dek, &[], &table(20, 6)).expect("put");
    assert_eq!(cache.get(&key("c"), &dek), Lookup::Miss);
    for name in ["a", "d", "e", "f"] {
        assert!(
            matches!(cache.get(&key(name), &dek), Lookup::Fresh(..)),
            "{name} should have survived"
        );
    }
    let stats = cache.stats();
    assert_eq!(
        (stats.entries, stats.bytes, stats.evictions),
        (4, 4 * size, 2)
    );
    assert_eq!(
        cache.invalidate("b"),
        0,
        "an evicted entry leaves no tag behind"
    );
}

#[test]
fn a_result_over_a_quarter_of_the_budget_is_not_cached() {
    let dek = DataKey::generate();
    let size = entry_size(&dek);
    let cache = ResultCache::new(CacheConfig {
        max_bytes: 4 * size - 4,
        ..CacheConfig::default()
    });
    cache
        .put(key("big"), &dek, &[], &table(20, 1))
        .expect("not an error");
    assert_eq!(cache.get(&key("big"), &dek), Lookup::Miss);
    assert_eq!(cache.stats().bytes, 0);
}

#[test]
fn invalidating_a_tag_drops_every_entry_carrying_it() {
    let cache = ResultCache::new(CacheConfig::default());
    let dek = DataKey::generate();
    cache
        .put(
            key("q1"),
            &dek,
            &tags(&["conn:1", "replica:7"]),
            &table(3, 1),
        )
        .expect("put");
    cache
        .put(key("q2"), &dek, &tags(&["conn:1"]), &table(3, 2))
        .expect("put");
    cache
        .put(key("q3"), &dek, &tags(&["conn:2"]), &table(3, 3))
        .expect("put");

    assert_eq!(cache.invalidate("replica:7"), 1);
    assert_eq!(cache.get(&key("q1"), &dek), Lookup::Miss);
    assert_eq!(cache.invalidate("conn:1"), 1, "q1 is already gone");
    assert_eq!(cache.get(&key("q2"), &dek), Lookup::Miss);
    assert_eq!(cache.invalidate("conn:1"), 0);
    assert_eq!(cache.invalidate("nothing"), 0);
    assert!(matches!(cache.get(&key("q3"), &dek), Lookup::Fresh(..)));

    let stats = cache.stats();
    assert_eq!((stats.entries, stats.invalidations), (1, 2));
}

#[test]
fn replacing_an_entry_moves_its_tags() {
    let cache = ResultCache::new(CacheConfig::default());
    let dek = DataKey::generate();
    cache
        .put(key("q"), &dek, &tags(&["replica:1"]), &table(3, 1))
        .expect("put");
    cache
        .put(key("q"), &dek, &tags(&["replica:2"]), &table(3, 2))
        .expect("put");
    assert_eq!(cache.invalidate("replica:1"), 0);
    assert_eq!(cache.invalidate("replica:2"), 1);
    assert_eq!(cache.stats().bytes, 0);
}

#[test]
fn clear_drops_everything() {
    let cache = ResultCache::new(CacheConfig::default());
    let dek = DataKey::generate();
    for i in 0..3 {
        cache
            .put(
                key(&format!("q{i}")),
                &dek,
                &tags(&["conn:1"]),
                &table(3, i),
            )
            .expect("put");
    }
    cache.clear();
    let stats = cache.stats();
    assert_eq!((stats.entries, stats.bytes), (0, 0));
    assert_eq!(cache.invalidate("conn:1"), 0);
    assert_eq!(cache.get(&key("q0"), &dek), Lookup::Miss);
}
