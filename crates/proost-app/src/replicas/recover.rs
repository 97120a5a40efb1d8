//! After a crash: what serves is loaded from the app database, and files a crash left
//! behind are removed.

use std::collections::HashSet;

use proost_replica::{ReplicaFile, ReplicaId};
use proost_store::{ReplicaRecord, ReplicaVersionRecord};

use super::{Replicas, id_of};
use crate::sources::Connections;
use crate::{Error, Result};

impl Replicas {
    /// Loads what serves from the app database and removes files a crash left behind:
    /// staging files, files of versions never published, and directories of replicas or
    /// connections that no longer exist.
    pub async fn recover(&self, connections: &Connections) -> Result<Vec<String>> {
        let records = self.store.replicas(None).await?;
        let known_connections: HashSet<String> = self
            .store
            .connections()
            .await?
            .into_iter()
            .map(|c| c.id)
            .collect();
        let mut removed = Vec::new();
        for conn in self.files.connections_on_disk() {
            if !known_connections.contains(&conn) {
                removed.extend(self.files.remove_connection(&conn)?);
                continue;
            }
            let replica_ids: HashSet<&str> = records
                .iter()
                .filter(|r| r.connection_id == conn)
                .map(|r| r.id.as_str())
                .collect();
            for replica in self.files.replicas_on_disk(&conn) {
                if !replica_ids.contains(replica.as_str()) {
                    removed.extend(self.files.remove_replica(&ReplicaId {
                        connection: conn.clone(),
                        replica,
                    })?);
                }
            }
        }
        for r in &records {
            let versions = self.store.replica_versions(&r.id).await?;
            removed.extend(self.collect_garbage(r, &versions)?);
            self.load_serving(r, connections).await?;
        }
        Ok(removed
            .into_iter()
            .map(|p| p.display().to_string())
            .collect())
    }

    pub(super) fn collect_garbage(
        &self,
        r: &ReplicaRecord,
        versions: &[ReplicaVersionRecord],
    ) -> Result<Vec<std::path::PathBuf>> {
        let mut keep = HashSet::new();
        for v in versions {
            let files: Vec<ReplicaFile> =
                serde_json::from_str(&v.files).map_err(Error::internal)?;
            keep.extend(files.into_iter().map(|f| f.name));
        }
        Ok(self.files.collect_garbage(&id_of(r), &keep)?)
    }
}
