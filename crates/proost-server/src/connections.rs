//! Connections as the server keeps them: sealed at rest under their own data key, opened
//! only to talk to the source, with introspection cached for a short while.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use proost_connect::{ConnectionKind, ConnectionParams, SchemaInfo, Source, SourcePolicy};
use proost_keys::{DataKey, MasterKey};
use proost_query::{CatalogResolver, QueryError, ResolvedConnection};
use proost_store::{ConnectionRecord, Store};
use tokio::sync::Mutex;

use crate::error::{ApiError, ApiResult};

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
pub fn validate_name(name: &str) -> ApiResult<()> {
    let ok = !name.is_empty()
        && name.len() <= 63
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(ApiError::bad_request(
            "connection_name_invalid",
            "a connection name starts with a lower-case letter and holds only a-z, 0-9 and _ (at most 63), e.g. shop_pg",
        ))
    }
}

/// Where a source lives: free text an auditor can read (`eu-central-1`, `Frankfurt DC 2`),
/// one line, at most 64 characters.
pub fn validate_region(region: &str) -> ApiResult<()> {
    let ok = !region.trim().is_empty()
        && region.chars().count() <= 64
        && !region.chars().any(char::is_control);
    if ok {
        Ok(())
    } else {
        Err(ApiError::bad_request(
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

    fn master(&self) -> ApiResult<MasterKey> {
        self.master
            .read()
            .map(|m| m.clone())
            .map_err(|_| ApiError::internal("master key lock poisoned"))
    }

    /// The master key in use (for a rotation to start from).
    pub fn current_master(&self) -> ApiResult<MasterKey> {
        self.master()
    }

    /// Installs a new master key after a rotation committed.
    pub fn set_master(&self, key: MasterKey) {
        if let Ok(mut m) = self.master.write() {
            *m = key;
        }
    }

    /// The connection's data key, unwrapped once and kept in memory.
    pub fn data_key_of(&self, record: &ConnectionRecord) -> ApiResult<DataKey> {
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
    pub async fn data_key_by_id(&self, id: &str) -> ApiResult<Option<DataKey>> {
        if let Some(k) = self.deks.lock().ok().and_then(|d| d.get(id).cloned()) {
            return Ok(Some(k));
        }
        match self.store.connection(id).await? {
            Some(record) => Ok(Some(self.data_key_of(&record)?)),
            None => Ok(None),
        }
    }

    /// Lets the engine decrypt this connection's replica files.
    pub async fn register_replica_key(&self, id: &str) -> ApiResult<()> {
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
    ) -> ApiResult<ConnectionRecord> {
        validate_name(name)?;
        if let Some(region) = region {
            validate_region(region)?;
        }
        let kind = ConnectionKind::parse(kind)?;
        let params = ConnectionParams::parse(kind, url, &self.policy)?;
        if self.store.connection_by_name(name).await?.is_some() {
            return Err(ApiError::from_code(
                "conflict",
                format!("a connection named `{name}` already exists"),
            ));
        }
        let source = proost_connect::open(&params);
        let warnings = source.write_warnings().await?;
        let id = uuid::Uuid::new_v4().to_string();
        let dek = DataKey::generate();
        let plain = serde_json::to_vec(&params).map_err(ApiError::internal)?;
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

    pub fn params(&self, record: &ConnectionRecord) -> ApiResult<ConnectionParams> {
        let dek = self.data_key_of(record)?;
        let plain = dek.open(&record.sealed_params, &params_purpose(&record.id))?;
        serde_json::from_slice(&plain).map_err(ApiError::internal)
    }

    pub fn source(&self, record: &ConnectionRecord) -> ApiResult<Arc<dyn Source>> {
        Ok(proost_connect::open(&self.params(record)?))
    }

    pub async fn schemas(&self, record: &ConnectionRecord) -> ApiResult<Arc<Vec<SchemaInfo>>> {
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

/// Resolves connection names for one caller into their governed catalog: connections and
/// tables they may not see are absent, the rest carry the caller's table policies.
pub struct CallerCatalog<'a> {
    pub connections: &'a Connections,
    pub store: &'a Store,
    pub replicas: &'a crate::replicas::Replicas,
    pub access: Arc<crate::access::Access>,
}

#[async_trait::async_trait]
impl CatalogResolver for CallerCatalog<'_> {
    async fn resolve(&self, name: &str) -> Result<Option<ResolvedConnection>, QueryError> {
        // Keep the stable code and message; the API maps them back to a status.
        let carry = |e: ApiError| {
            QueryError::Source(proost_connect::ConnectError::Invalid {
                code: e.code,
                message: e.message,
            })
        };
        let record = self
            .store
            .connection_by_name(name)
            .await
            .map_err(|e| carry(e.into()))?;
        let Some(record) = record.filter(|r| self.access.sees_connection(&r.id)) else {
            return Ok(None);
        };
        let source = self.connections.source(&record).map_err(carry)?;
        let replicas = self.replicas.fresh_for(&record.id);
        let schemas = match self.connections.schemas(&record).await {
            Ok(s) => s,
            // The source is down: its replicas still answer.
            Err(e) if !replicas.is_empty() => {
                tracing::warn!(connection = %record.id, code = e.code, "source unavailable; serving replicas only");
                Arc::new(replica_schemas(&replicas))
            }
            Err(e) => return Err(carry(e)),
        };
        let mut policies = HashMap::new();
        let schemas = if self.access.admin {
            schemas
        } else {
            let mut visible = Vec::new();
            for s in schemas.iter() {
                let tables: Vec<proost_connect::TableInfo> = s
                    .tables
                    .iter()
                    .filter(|t| self.access.sees_table(&record.id, &s.name, &t.name))
                    .cloned()
                    .collect();
                for t in &tables {
                    if let Some(p) = self.access.table_policy(&record.id, &s.name, t) {
                        policies.insert((s.name.clone(), t.name.clone()), p);
                    }
                }
                if !tables.is_empty() {
                    visible.push(SchemaInfo {
                        name: s.name.clone(),
                        tables,
                    });
                }
            }
            Arc::new(visible)
        };
        let mut mask_key = [0u8; 32];
        let derived = self
            .connections
            .data_key_of(&record)
            .map_err(carry)?
            .derive_bytes("mask:hash");
        for (k, d) in mask_key.iter_mut().zip(derived.iter()) {
            *k = *d;
        }
        Ok(Some(ResolvedConnection {
            id: record.id.clone(),
            kind: source.kind(),
            source,
            schemas,
            replicas,
            policies,
            mask_key,
        }))
    }
}

/// The catalog of a connection as its replicas know it, for when the source is down.
fn replica_schemas(
    replicas: &HashMap<(String, String), proost_query::ReplicaSnapshot>,
) -> Vec<SchemaInfo> {
    let mut schemas: Vec<SchemaInfo> = Vec::new();
    let mut keys: Vec<&(String, String)> = replicas.keys().collect();
    keys.sort();
    for key in keys {
        let Some(snapshot) = replicas.get(key) else {
            continue;
        };
        let table = proost_connect::TableInfo {
            name: key.1.clone(),
            kind: "table".into(),
            columns: snapshot
                .schema
                .fields()
                .iter()
                .map(|f| proost_connect::ColumnInfo {
                    name: f.name().clone(),
                    source_type: f.data_type().to_string(),
                    arrow_type: Some(f.data_type().clone()),
                    read_as_text: false,
                    comparisons: proost_connect::Comparisons::None,
                    nullable: true,
                })
                .collect(),
        };
        match schemas.iter_mut().find(|s| s.name == key.0) {
            Some(s) => s.tables.push(table),
            None => schemas.push(SchemaInfo {
                name: key.0.clone(),
                tables: vec![table],
            }),
        }
    }
    schemas
}
