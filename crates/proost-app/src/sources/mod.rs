//! Sources as Proost keeps them: each connection's parameters sealed at rest under its own
//! data key, opened only to talk to the source, with introspection cached for a short
//! while; and what one caller may see of them (`visible`). What callers do with
//! connections is in `crate::connections`.

pub mod visible;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use proost_connect::{ConnectionKind, ConnectionParams, SchemaInfo, Source, SourcePolicy};
use proost_keys::{DataKey, MasterKey};
use proost_store::{ConnectionRecord, Store};
use tokio::sync::Mutex;

use crate::{Error, Result};

const SCHEMA_TTL: Duration = Duration::from_secs(60);

/// Introspection of one connection and when it was taken.
type CachedSchemas = (Instant, Arc<Vec<SchemaInfo>>);

pub struct Connections {
    store: Store,
    /// Swapped when a shred rotates the master key under the running server.
    master: std::sync::RwLock<MasterKey>,
    pub policy: SourcePolicy,
    schemas: Mutex<HashMap<String, CachedSchemas>>,
    /// Unwrapped data keys, so hot paths (cache hits, replica reads) don't unwrap per request.
    deks: std::sync::Mutex<HashMap<String, DataKey>>,
    keyring: Arc<proost_query::ReplicaKeyring>,
}

fn owner(id: &str) -> String {
    format!("connection:{id}")
}

fn params_purpose(id: &str) -> String {
    format!("connection:{id}:params")
}

/// Connection names are SQL identifiers in `connection.schema.table`; keeping them plain
/// lower-case means they never need quoting.
pub fn validate_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 63
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(Error::bad_request(
            "connection_name_invalid",
            "a connection name starts with a lower-case letter and holds only a-z, 0-9 and _ (at most 63), e.g. shop_pg",
        ))
    }
}

/// Where a source lives: free text an auditor can read (`eu-central-1`, `Frankfurt DC 2`),
/// one line, at most 64 characters.
pub fn validate_region(region: &str) -> Result<()> {
    let ok = !region.trim().is_empty()
        && region.chars().count() <= 64
        && !region.chars().any(char::is_control);
    if ok {
        Ok(())
    } else {
        Err(Error::bad_request(
            "region_invalid",
            "a region is one line of at most 64 characters, e.g. eu-central-1",
        ))
    }
}

impl Connections {
    pub fn new(
        store: Store,
        master: MasterKey,
        policy: SourcePolicy,
        keyring: Arc<proost_query::ReplicaKeyring>,
    ) -> Self {
        Connections {
            store,
            master: std::sync::RwLock::new(master),
            policy,
            schemas: Mutex::new(HashMap::new()),
            deks: std::sync::Mutex::new(HashMap::new()),
            keyring,
        }
    }

    /// The current master key, for wrapping people's own data keys.
    pub(crate) fn master_key(&self) -> Result<MasterKey> {
        self.master()
    }

    fn master(&self) -> Result<MasterKey> {
        self.master
            .read()
            .map(|m| m.clone())
            .map_err(|_| Error::internal("master key lock poisoned"))
    }

    /// The master key in use (for a rotation to start from).
    pub fn current_master(&self) -> Result<MasterKey> {
        self.master()
    }

    /// Installs a new master key after a rotation committed.
    pub fn set_master(&self, key: MasterKey) {
        if let Ok(mut m) = self.master.write() {
            *m = key;
        }
    }

    /// The connection's data key, unwrapped once and kept in memory.
    pub fn data_key_of(&self, record: &ConnectionRecord) -> Result<DataKey> {
        if let Some(k) = self
            .deks
            .lock()
            .ok()
            .and_then(|d| d.get(&record.id).cloned())
        {
            return Ok(k);
        }
        let dek = self
            .master()?
            .unwrap_key(&record.wrapped_dek, &owner(&record.id))?;
        if let Ok(mut d) = self.deks.lock() {
            d.insert(record.id.clone(), dek.clone());
        }
        Ok(dek)
    }

    /// The data key of a connection by id, if it (still) exists.
    pub async fn data_key_by_id(&self, id: &str) -> Result<Option<DataKey>> {
        if let Some(k) = self.deks.lock().ok().and_then(|d| d.get(id).cloned()) {
            return Ok(Some(k));
        }
        match self.store.connection(id).await? {
            Some(record) => Ok(Some(self.data_key_of(&record)?)),
            None => Ok(None),
        }
    }

    /// Lets the engine decrypt this connection's replica files.
    pub async fn register_replica_key(&self, id: &str) -> Result<()> {
        if let Some(dek) = self.data_key_by_id(id).await? {
            self.keyring.insert(id, dek);
        }
        Ok(())
    }

    /// Validates, checks the source is reachable, seals and stores a new connection.
    pub async fn create(
        &self,
        name: &str,
        kind: &str,
        url: &str,
        created_by: Option<&str>,
        demo: bool,
        region: Option<&str>,
    ) -> Result<ConnectionRecord> {
        validate_name(name)?;
        if let Some(region) = region {
            validate_region(region)?;
        }
        let kind = ConnectionKind::parse(kind)?;
        let params = ConnectionParams::parse(kind, url, &self.policy)?;
        if self.store.connection_by_name(name).await?.is_some() {
            return Err(Error::from_code(
                "conflict",
                format!("a connection named `{name}` already exists"),
            ));
        }
        let source = proost_connect::open(&params);
        let warnings = source.write_warnings().await?;
        let id = uuid::Uuid::new_v4().to_string();
        let dek = DataKey::generate();
        let plain = serde_json::to_vec(&params).map_err(Error::internal)?;
        let record = ConnectionRecord {
            id: id.clone(),
            name: name.to_string(),
            kind: kind.as_str().to_string(),
            sealed_params: dek.seal(&plain, &params_purpose(&id))?,
            wrapped_dek: self.master()?.wrap(&dek, &owner(&id))?,
            key_id: dek.id(),
            warnings,
            demo,
            created_at: proost_store::timestamp_now(),
            created_by: created_by.map(str::to_string),
            region: region.map(|r| r.trim().to_string()),
        };
        self.store.insert_connection(&record).await?;
        Ok(record)
    }

    pub fn params(&self, record: &ConnectionRecord) -> Result<ConnectionParams> {
        let dek = self.data_key_of(record)?;
        let plain = dek.open(&record.sealed_params, &params_purpose(&record.id))?;
        serde_json::from_slice(&plain).map_err(Error::internal)
    }

    pub fn source(&self, record: &ConnectionRecord) -> Result<Arc<dyn Source>> {
        Ok(proost_connect::open(&self.params(record)?))
    }

    pub async fn schemas(&self, record: &ConnectionRecord) -> Result<Arc<Vec<SchemaInfo>>> {
        if let Some((_, s)) = self
            .schemas
            .lock()
            .await
            .get(&record.id)
            .filter(|(at, _)| at.elapsed() < SCHEMA_TTL)
        {
            return Ok(s.clone());
        }
        let fresh = Arc::new(self.source(record)?.introspect().await?);
        self.schemas
            .lock()
            .await
            .insert(record.id.clone(), (Instant::now(), fresh.clone()));
        Ok(fresh)
    }

    /// Forgets a connection's cached introspection, so the next look is fresh.
    pub async fn forget_schema(&self, id: &str) {
        self.schemas.lock().await.remove(id);
    }

    /// Drops everything held in memory for a connection: its introspection, its data key
    /// (here and in the engine's keyring).
    pub async fn forget(&self, id: &str) {
        self.schemas.lock().await.remove(id);
        if let Ok(mut d) = self.deks.lock() {
            d.remove(id);
        }
        self.keyring.remove(id);
    }
}
