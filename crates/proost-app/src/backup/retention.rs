//! Which backups to keep: the newest of each of the last N days and of the last M weeks
//! (UTC), the L newest whatever their day, and always the newest of all.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Utc};

use crate::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Keep {
    pub daily: u32,
    pub weekly: u32,
    /// The newest `last` backups are kept whatever their day.
    pub last: u32,
}

impl Default for Keep {
    fn default() -> Self {
        Keep {
            daily: 7,
            weekly: 4,
            last: 0,
        }
    }
}

impl std::str::FromStr for Keep {
    type Err = Error;

    /// `7d,4w,3l` (or `daily=7,weekly=4,last=3`); a part left out keeps none of that kind.
    fn from_str(text: &str) -> Result<Keep> {
        let bad = || {
            Error::bad_request(
                "backup_keep_invalid",
                format!(
                    "--backup-keep {text:?}: write it like 7d,4w (7 daily and 4 weekly backups), with 3l for the 3 newest whatever their day"
                ),
            )
        };
        let mut keep = Keep {
            daily: 0,
            weekly: 0,
            last: 0,
        };
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (n, unit) = if let Some(n) = part.strip_prefix("daily=") {
                (n, 'd')
            } else if let Some(n) = part.strip_prefix("weekly=") {
                (n, 'w')
            } else if let Some(n) = part.strip_prefix("last=") {
                (n, 'l')
            } else {
                let unit = part.chars().last().ok_or_else(bad)?;
                (&part[..part.len() - unit.len_utf8()], unit)
            };
            let n: u32 = n.parse().map_err(|_| bad())?;
            match unit {
                'd' => keep.daily = n,
                'w' => keep.weekly = n,
                'l' => keep.last = n,
                _ => return Err(bad()),
            }
        }
        if keep.daily == 0 && keep.weekly == 0 && keep.last == 0 {
            return Err(bad());
        }
        Ok(keep)
    }
}

/// Indexes (into `taken`, any order) of the backups to keep.
pub(super) fn keep(taken: &[DateTime<Utc>], keep: Keep) -> BTreeSet<usize> {
    let mut order: Vec<usize> = (0..taken.len()).collect();
    order.sort_by(|a, b| taken[*b].cmp(&taken[*a]));
    let mut kept = BTreeSet::new();
    kept.extend(order.iter().take(keep.last.max(1) as usize));
    let mut days = BTreeSet::new();
    let mut weeks = BTreeSet::new();
    for i in order {
        let t = taken[i];
        if days.len() < keep.daily as usize && days.insert(t.date_naive()) {
            kept.insert(i);
        }
        let week = (t.iso_week().year(), t.iso_week().week());
        if weeks.len() < keep.weekly as usize && weeks.insert(week) {
            kept.insert(i);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_newest_per_day_and_per_week() {
        let start = DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .expect("a date");
        // Two backups a day for 60 days.
        let taken: Vec<_> = (0..120)
            .map(|i| start + chrono::Duration::hours(12 * i))
            .collect();
        let kept = keep(&taken, "7d,4w".parse().expect("valid"));
        // 7 days, plus the weeks before them that the days do not cover.
        let newest_day = taken[119].date_naive();
        for i in &kept {
            assert!(taken[*i].hour_is_late(), "the newest of its day is kept");
        }
        assert!(kept.contains(&119));
        assert!(kept.len() >= 7 && kept.len() <= 11, "{}", kept.len());
        assert!(
            kept.iter()
                .filter(|i| (newest_day - taken[**i].date_naive()).num_days() < 7)
                .count()
                == 7
        );
    }

    trait Late {
        fn hour_is_late(&self) -> bool;
    }
    impl Late for DateTime<Utc> {
        fn hour_is_late(&self) -> bool {
            chrono::Timelike::hour(self) == 12
        }
    }

    #[test]
    fn keep_parses_both_spellings_and_refuses_nonsense() {
        let k: Keep = "daily=3,weekly=2".parse().expect("valid");
        assert_eq!(
            k,
            Keep {
                daily: 3,
                weekly: 2,
                last: 0
            }
        );
        let k: Keep = "14d".parse().expect("valid");
        assert_eq!(
            k,
            Keep {
                daily: 14,
                weekly: 0,
                last: 0
            }
        );
        let k: Keep = "1d,5l".parse().expect("valid");
        assert_eq!((k.daily, k.last), (1, 5));
        let k: Keep = "last=2".parse().expect("valid");
        assert_eq!((k.daily, k.weekly, k.last), (0, 0, 2));
        for bad in ["", "7x", "d", "-1d", "0d,0w,0l"] {
            assert_eq!(
                bad.parse::<Keep>().expect_err(bad).code,
                "backup_keep_invalid"
            );
        }
    }
}
