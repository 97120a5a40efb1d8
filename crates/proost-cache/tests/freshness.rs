//! Freshness: fresh for `ttl`, stale (with a single refresher) for `stale_for`, then gone.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::Duration;

use common::{cache_with_clock, key, table};
use proost_cache::{CacheConfig, Lookup};
use proost_keys::DataKey;

fn config() -> CacheConfig {
    CacheConfig {
        ttl: Duration::from_secs(60),
        stale_for: Duration::from_secs(10),
        ..CacheConfig::default()
    }
}

#[test]
fn an_entry_is_fresh_then_stale_then_gone() {
    let (cache, clock) = cache_with_clock(config());
    let dek = DataKey::generate();
    cache.put(key("q"), &dek, &[], &table(5, 1)).expect("put");

    clock.advance(Duration::from_secs(59));
    match cache.get(&key("q"), &dek) {
        Lookup::Fresh(_, age) => assert_eq!(age, Duration::from_secs(59)),
        other => panic!("expected fresh, got {other:?}"),
    }
    clock.advance(Duration::from_secs(1));
    match cache.get(&key("q"), &dek) {
        Lookup::Stale(got, age) => {
            assert_eq!(age, Duration::from_secs(60));
            assert_eq!(got, table(5, 1));
        }
        other => panic!("expected stale, got {other:?}"),
    }
    clock.advance(Duration::from_secs(10));
    assert_eq!(cache.get(&key("q"), &dek), Lookup::Miss);

    let stats = cache.stats();
    assert_eq!(
        stats.entries, 0,
        "an expired entry is removed, not just hidden"
    );
    assert_eq!(stats.bytes, 0);
    assert_eq!(
        (stats.hits, stats.stale_hits, stats.misses, stats.expired),
        (1, 1, 1, 1)
    );
}

#[test]
fn a_new_put_makes_a_stale_entry_fresh_again() {
    let (cache, clock) = cache_with_clock(config());
    let dek = DataKey::generate();
    cache.put(key("q"), &dek, &[], &table(5, 1)).expect("put");
    clock.advance(Duration::from_secs(65));
    assert!(matches!(cache.get(&key("q"), &dek), Lookup::Stale(..)));
    cache.put(key("q"), &dek, &[], &table(5, 2)).expect("put");
    match cache.get(&key("q"), &dek) {
        Lookup::Fresh(got, age) => {
            assert_eq!(got, table(5, 2));
            assert_eq!(age, Duration::ZERO);
        }
        other => panic!("expected fresh, got {other:?}"),
    }
    assert_eq!(cache.stats().entries, 1);
}

#[test]
fn exactly_one_caller_refreshes_a_stale_entry() {
    let (cache, clock) = cache_with_clock(config());
    let cache = Arc::new(cache);
    let dek = DataKey::generate();
    cache.put(key("q"), &dek, &[], &table(5, 1)).expect("put");
    clock.advance(Duration::from_secs(61));

    let winners = Arc::new(AtomicUsize::new(0));
    let start = Arc::new(Barrier::new(16));
    let handles: Vec<_> = (0..16)
        .map(|_| {
            let (cache, winners, start, dek) =
                (cache.clone(), winners.clone(), start.clone(), dek.clone());
            thread::spawn(move || {
                start.wait();
                assert!(matches!(cache.get(&key("q"), &dek), Lookup::Stale(..)));
                if cache.begin_refresh(&key("q")) {
                    winners.fetch_add(1, Ordering::SeqCst);
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("thread");
    }
    assert_eq!(winners.load(Ordering::SeqCst), 1);
    assert!(!cache.begin_refresh(&key("q")), "still claimed");
}

#[test]
fn a_failed_refresh_lets_the_next_stale_reader_try_again() {
    let (cache, clock) = cache_with_clock(config());
    let dek = DataKey::generate();
    cache.put(key("q"), &dek, &[], &table(5, 1)).expect("put");
    clock.advance(Duration::from_secs(61));
    assert!(cache.begin_refresh(&key("q")));
    assert!(!cache.begin_refresh(&key("q")));
    cache.refresh_failed(&key("q"));
    assert!(cache.begin_refresh(&key("q")));
}

#[test]
fn a_put_releases_the_refresh_claim() {
    let (cache, clock) = cache_with_clock(config());
    let dek = DataKey::generate();
    cache.put(key("q"), &dek, &[], &table(5, 1)).expect("put");
    clock.advance(Duration::from_secs(61));
    assert!(cache.begin_refresh(&key("q")));
    cache.put(key("q"), &dek, &[], &table(5, 2)).expect("put");
    assert!(
        !cache.begin_refresh(&key("q")),
        "fresh again: nothing to refresh"
    );
    clock.advance(Duration::from_secs(61));
    assert!(
        cache.begin_refresh(&key("q")),
        "stale again: a new claim is possible"
    );
}

#[test]
fn fresh_and_missing_entries_are_not_refreshed_in_the_background() {
    let (cache, clock) = cache_with_clock(config());
    let dek = DataKey::generate();
    assert!(!cache.begin_refresh(&key("q")));
    cache.put(key("q"), &dek, &[], &table(5, 1)).expect("put");
    assert!(!cache.begin_refresh(&key("q")));
    clock.advance(Duration::from_secs(70));
    assert!(
        !cache.begin_refresh(&key("q")),
        "past the stale window it is gone"
    );
}

#[test]
fn expired_entries_are_swept_out_by_later_puts() {
    let (cache, clock) = cache_with_clock(config());
    let dek = DataKey::generate();
    for i in 0..5 {
        cache
            .put(key(&format!("old{i}")), &dek, &[], &table(5, i))
            .expect("put");
    }
    clock.advance(Duration::from_secs(71));
    cache.put(key("new"), &dek, &[], &table(5, 9)).expect("put");
    let stats = cache.stats();
    assert_eq!((stats.entries, stats.expired), (1, 5));
}
