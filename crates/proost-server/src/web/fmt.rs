//! How times, sizes and durations read on pages.

/// `2026-11-29T16:09:57.028Z` → `2026-11-29 16:09`
pub fn short_time(t: &str) -> String {
    if t.len() >= 16 {
        t[..16].replace('T', " ")
    } else {
        t.to_string()
    }
}

/// `2026-11-29T16:09:57.028Z` → `2026-11-29 16:09:57`
pub fn seconds(t: &str) -> String {
    t.get(..19).unwrap_or(t).replace('T', " ")
}

/// `2026-11-29T16:09:57.028Z` → `2026-11-29 16:09:57 UTC`; `never` without a time.
pub fn utc(t: Option<&str>) -> String {
    match t {
        Some(t) if t.len() >= 19 => format!("{} UTC", seconds(t)),
        _ => "never".to_string(),
    }
}

/// Bytes as KiB or MiB.
pub fn size(bytes: Option<i64>) -> String {
    match bytes {
        Some(b) if b >= 1_048_576 => format!("{:.1} MiB", b as f64 / 1_048_576.0),
        Some(b) => format!("{:.0} KiB", (b as f64 / 1024.0).ceil()),
        None => "—".into(),
    }
}

/// Milliseconds with one decimal.
pub fn ms(v: Option<f64>) -> String {
    v.map(|m| format!("{m:.1}")).unwrap_or_else(|| "—".into())
}

/// A limit, or "no limit".
pub fn limit(v: Option<i64>) -> String {
    v.map(|n| n.to_string())
        .unwrap_or_else(|| "no limit".into())
}
