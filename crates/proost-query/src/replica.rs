//! Replica tables: a published replica version as DataFusion sees it — encrypted Parquet
//! files read through DataFusion's listing table, with filter pushdown, statistics and
//! row-group pruning, decrypted by the one encryption factory Proost registers.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use datafusion::arrow::datatypes::SchemaRef;
use datafusion::catalog::TableProvider;
use datafusion::common::DataFusionError;
use datafusion::common::config::{EncryptionFactoryOptions, TableParquetOptions};
use datafusion::datasource::file_format::parquet::ParquetFormat;
use datafusion::datasource::listing::{
    ListingOptions, ListingTable, ListingTableConfig, ListingTableUrl,
};
use datafusion::execution::parquet_encryption::EncryptionFactory;
use datafusion::parquet::encryption::decrypt::FileDecryptionProperties;
use datafusion::parquet::encryption::encrypt::FileEncryptionProperties;
use proost_keys::DataKey;
use proost_replica::{ReplicaFile, ReplicaId};

pub(crate) const FACTORY_ID: &str = "proost-replica";

/// One published version of a replica, ready to be read.
#[derive(Debug, Clone)]
pub struct ReplicaSnapshot {
    pub id: ReplicaId,
    pub version: u64,
    pub files: Vec<ReplicaFile>,
    pub schema: SchemaRef,
    /// The source table's foreign keys when this version was synced, so a replica serving
    /// while its source is down still knows them.
    pub foreign_keys: Vec<proost_connect::ForeignKey>,
}

/// The data keys of connections with replicas, held unwrapped in memory while the server
/// runs. The encryption factory derives each file's key from its path; a path outside the
/// replica root, or of a connection whose key is gone (shredded), gets no key and the read
/// fails.
#[derive(Debug)]
pub struct ReplicaKeyring {
    root: PathBuf,
    keys: RwLock<HashMap<String, DataKey>>,
}

impl ReplicaKeyring {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        ReplicaKeyring {
            root: root.into(),
            keys: RwLock::new(HashMap::new()),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn insert(&self, connection: &str, key: DataKey) {
        if let Ok(mut keys) = self.keys.write() {
            keys.insert(connection.to_string(), key);
        }
    }

    pub fn remove(&self, connection: &str) {
        if let Ok(mut keys) = self.keys.write() {
            keys.remove(connection);
        }
    }

    fn decryption_for(&self, path: &str) -> Option<Arc<FileDecryptionProperties>> {
        // Object-store paths are absolute paths without the leading slash.
        let full = Path::new("/").join(path);
        let rel = full.strip_prefix(&self.root).ok()?;
        let mut parts = rel.iter().map(|p| p.to_string_lossy().into_owned());
        let (connection, replica, file) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let keys = self.keys.read().ok()?;
        let dek = keys.get(&connection)?;
        ReplicaId {
            connection,
            replica,
        }
        .decryption(dek, &file)
        .ok()
    }
}

#[async_trait::async_trait]
impl EncryptionFactory for ReplicaKeyring {
    async fn get_file_encryption_properties(
        &self,
        _config: &EncryptionFactoryOptions,
        _schema: &SchemaRef,
        _file_path: &object_store::path::Path,
    ) -> datafusion::common::Result<Option<Arc<FileEncryptionProperties>>> {
        // The engine never writes; replicas are written by proost-replica.
        Err(DataFusionError::NotImplemented(
            "the query engine does not write files".into(),
        ))
    }

    async fn get_file_decryption_properties(
        &self,
        _config: &EncryptionFactoryOptions,
        file_path: &object_store::path::Path,
    ) -> datafusion::common::Result<Option<Arc<FileDecryptionProperties>>> {
        match self.decryption_for(file_path.as_ref()) {
            Some(p) => Ok(Some(p)),
            None => Err(DataFusionError::Execution(
                "no key for this replica file: it was shredded or is not a replica".into(),
            )),
        }
    }
}

/// Builds the table for a replica version.
pub(crate) fn table(
    root: &Path,
    snapshot: &ReplicaSnapshot,
) -> datafusion::common::Result<Arc<dyn TableProvider>> {
    let mut options = TableParquetOptions::default();
    options.crypto.factory_id = Some(FACTORY_ID.to_string());
    let format = ParquetFormat::default().with_options(options);
    let listing =
        ListingOptions::new(Arc::new(format)).with_file_extension(proost_replica::FILE_SUFFIX);
    let dir = root
        .join(&snapshot.id.connection)
        .join(&snapshot.id.replica);
    let urls = snapshot
        .files
        .iter()
        .map(|f| {
            let url = url::Url::from_file_path(dir.join(&f.name)).map_err(|_| {
                DataFusionError::Internal("the replica directory is not absolute".into())
            })?;
            // No glob: the data dir's name is taken literally.
            ListingTableUrl::try_new(url, None)
        })
        .collect::<datafusion::common::Result<Vec<_>>>()?;
    let config = ListingTableConfig::new_with_multi_paths(urls)
        .with_listing_options(listing)
        .with_schema(snapshot.schema.clone());
    Ok(Arc::new(ListingTable::try_new(config)?))
}
