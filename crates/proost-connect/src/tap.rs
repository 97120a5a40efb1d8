//! A record of the statements sent to sources, for tests that must show what reached a
//! database: the exact SQL text and the values bound beside it. Off unless a test turns
//! it on; then every source of the process appends to it.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::SqlValue;

static ON: AtomicBool = AtomicBool::new(false);
static SENT: Mutex<Vec<Sent>> = Mutex::new(Vec::new());

/// One statement as a source received it.
#[derive(Debug, Clone, PartialEq)]
pub struct Sent {
    pub sql: String,
    pub params: Vec<SqlValue>,
}

/// Starts recording every statement sources run (data statements, not session setup),
/// until the returned guard is dropped.
pub fn start() -> Recording {
    if let Ok(mut sent) = SENT.lock() {
        sent.clear();
    }
    ON.store(true, Ordering::SeqCst);
    Recording(())
}

pub struct Recording(());

impl Recording {
    /// The statements recorded so far; the record starts again empty.
    pub fn take(&self) -> Vec<Sent> {
        SENT.lock()
            .map(|mut s| std::mem::take(&mut *s))
            .unwrap_or_default()
    }
}

impl Drop for Recording {
    fn drop(&mut self) {
        ON.store(false, Ordering::SeqCst);
    }
}

pub(crate) fn record(sql: &str, params: &[SqlValue]) {
    if !ON.load(Ordering::Relaxed) {
        return;
    }
    if let Ok(mut sent) = SENT.lock() {
        sent.push(Sent {
            sql: sql.to_string(),
            params: params.to_vec(),
        });
    }
}
