//! Queries under way that their caller named (`query_id`), so they can be cancelled by
//! name from another request: the browser's Cancel button, a script.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::Notify;

use crate::{Actor, Error, Kind, Result};

#[derive(Default)]
pub struct Running {
    queries: Mutex<HashMap<String, Entry>>,
}

struct Entry {
    user: String,
    stop: Arc<Notify>,
}

/// Held while a named query runs; dropping it forgets the name.
pub struct Registration<'a> {
    running: &'a Running,
    id: String,
    pub stop: Arc<Notify>,
}

impl Drop for Registration<'_> {
    fn drop(&mut self) {
        if let Ok(mut q) = self.running.queries.lock() {
            q.remove(&self.id);
        }
    }
}

/// A query id: what a client may choose (a UUID, a counter), nothing that needs escaping.
fn valid_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl Running {
    pub fn register(&self, actor: &Actor, id: &str) -> Result<Registration<'_>> {
        if !valid_id(id) {
            return Err(Error::bad_request(
                "query_id_invalid",
                "a query id is 1 to 64 letters, digits, `-` or `_`",
            ));
        }
        let mut q = self.queries.lock().map_err(Error::internal)?;
        if q.contains_key(id) {
            return Err(Error::new(
                Kind::Conflict,
                "query_id_in_use",
                "a query with this id is already running; choose a new id for each run",
            ));
        }
        let stop = Arc::new(Notify::new());
        q.insert(
            id.to_string(),
            Entry {
                user: actor.user.id.clone(),
                stop: stop.clone(),
            },
        );
        Ok(Registration {
            running: self,
            id: id.to_string(),
            stop,
        })
    }

    /// Stops the caller's own query `id`. Someone else's query is "not found", as is one
    /// that already ended: the answer never tells what others run.
    pub fn cancel(&self, actor: &Actor, id: &str) -> Result<()> {
        let q = self.queries.lock().map_err(Error::internal)?;
        match q.get(id) {
            Some(e) if e.user == actor.user.id => {
                // notify_one keeps a permit if the query has not reached its await yet.
                e.stop.notify_one();
                Ok(())
            }
            _ => Err(Error::new(
                Kind::NotFound,
                "query_not_running",
                "no query of yours with this id is running (it may have finished)",
            )),
        }
    }
}
