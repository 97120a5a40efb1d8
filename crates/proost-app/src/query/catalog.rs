//! The governed catalog of one caller: connection names resolved to what they may see.

use std::collections::HashMap;
use std::sync::Arc;

use proost_connect::SchemaInfo;
use proost_query::{CatalogResolver, QueryError, ResolvedConnection};
use proost_store::Store;

use crate::Error;
use crate::sources::Connections;

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
        let carry = |e: Error| {
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
            // A foreign key stays only when the caller may see it and read every column
            // on both sides: joins go along it in the caller's governed tables.
            let readable = |schema: &str, table: &str, column: &str| {
                policies
                    .get(&(schema.to_string(), table.to_string()))
                    .is_none_or(|p| p.columns.iter().any(|(c, _)| c == column))
            };
            for s in visible.iter_mut() {
                for t in s.tables.iter_mut() {
                    t.foreign_keys.retain(|k| {
                        crate::sources::visible::sees_key(
                            &self.access,
                            &record.id,
                            &s.name,
                            &t.name,
                            k,
                        ) && k.columns.iter().all(|c| readable(&s.name, &t.name, c))
                            && k.ref_columns
                                .iter()
                                .all(|c| readable(&k.ref_schema, &k.ref_table, c))
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
            foreign_keys: snapshot.foreign_keys.clone(),
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
