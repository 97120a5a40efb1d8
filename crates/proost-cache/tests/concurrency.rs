//! Concurrency: many threads reading and writing do not deadlock, and the counters add up.

mod common;

use std::sync::{Arc, Barrier};
use std::thread;
use std::time::Instant;

use common::{key, table};
use proost_cache::{CacheConfig, Lookup, ResultCache};
use proost_keys::DataKey;

#[test]
fn the_cache_can_be_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<ResultCache>();
}

#[test]
fn many_threads_reading_and_writing_do_not_deadlock_and_stats_add_up() {
    const THREADS: usize = 16;
    const ROUNDS: usize = 200;
    let dek = DataKey::generate();
    let size = {
        let probe = ResultCache::new(CacheConfig::default());
        probe.put(key("k0"), &dek, &[], &table(10, 1)).expect("put");
        probe.stats().bytes
    };
    // Room for about 12 of the 24 keys, so evictions happen under contention.
    let cache = Arc::new(ResultCache::new(CacheConfig {
        max_bytes: 12 * size,
        ..CacheConfig::default()
    }));
    let stranger = DataKey::generate();
    let start = Arc::new(Barrier::new(THREADS));
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let (cache, start, dek, stranger) =
                (cache.clone(), start.clone(), dek.clone(), stranger.clone());
            thread::spawn(move || {
                start.wait();
                let mut gets = 0u64;
                for r in 0..ROUNDS {
                    let k = key(&format!("k{}", (t * 7 + r) % 24));
                    match r % 10 {
                        0 => {
                            let tag = vec![format!("conn:{}", r % 3)];
                            cache.put(k, &dek, &tag, &table(10, 1)).expect("put");
                        }
                        1 if t == 0 => {
                            cache.invalidate(&format!("conn:{}", r % 3));
                        }
                        2 if t == 1 => {
                            // Wrong key material: a miss that drops the entry.
                            let _ = cache.get(&k, &stranger);
                            gets += 1;
                        }
                        _ => {
                            if let Lookup::Fresh(got, _) = cache.get(&k, &dek) {
                                assert_eq!(got.batches[0].num_rows(), 10);
                            }
                            gets += 1;
                        }
                    }
                }
                gets
            })
        })
        .collect();
    let gets: u64 = handles.into_iter().map(|h| h.join().expect("thread")).sum();

    let stats = cache.stats();
    assert_eq!(stats.hits + stats.stale_hits + stats.misses, gets);
    assert!(stats.bytes <= 12 * size);
    assert_eq!(stats.bytes, stats.entries * size, "byte accounting drifted");
    assert!(stats.hits > 0);
}

/// Prints `get` latency for a dashboard-sized result (100 rows × 10 columns). Only prints:
/// timing depends on the machine and the build profile. Unoptimized Arrow is two orders of
/// magnitude slower, so debug builds run a short version; for numbers run
/// `cargo test --release -p proost-cache --test concurrency -- --nocapture latency`.
#[test]
fn get_latency_of_a_dashboard_sized_result_is_printed() {
    let (iterations, per_thread) = if cfg!(debug_assertions) {
        (200, 10)
    } else {
        (10_000, 500)
    };
    let cache = ResultCache::new(CacheConfig::default());
    let dek = DataKey::generate();
    let result = table(100, 1);
    cache.put(key("dash"), &dek, &[], &result).expect("put");
    let mut times = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let t = Instant::now();
        let hit = cache.get(&key("dash"), &dek);
        times.push(t.elapsed());
        assert!(matches!(hit, Lookup::Fresh(..)));
    }
    times.sort();
    let p = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    println!(
        "get() of 100x10 ({} sealed bytes), {iterations} iterations, 1 thread: p50 {:?} p90 {:?} p99 {:?} max {:?}",
        cache.stats().bytes,
        p(0.50),
        p(0.90),
        p(0.99),
        times[times.len() - 1]
    );

    // The same under 32 threads sharing the cache (more threads than cores, like a
    // dashboard load fanning out).
    let cache = Arc::new(cache);
    let handles: Vec<_> = (0..32)
        .map(|_| {
            let (cache, dek) = (cache.clone(), dek.clone());
            thread::spawn(move || {
                let mut times = Vec::with_capacity(per_thread);
                for _ in 0..per_thread {
                    let t = Instant::now();
                    let _ = cache.get(&key("dash"), &dek);
                    times.push(t.elapsed());
                }
                times
            })
        })
        .collect();
    let mut times: Vec<_> = handles
        .into_iter()
        .flat_map(|h| h.join().expect("thread"))
        .collect();
    times.sort();
    let p = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    println!(
        "get() of 100x10, 32 threads x {per_thread}: p50 {:?} p90 {:?} p99 {:?} max {:?}",
        p(0.50),
        p(0.90),
        p(0.99),
        times[times.len() - 1]
    );
}
