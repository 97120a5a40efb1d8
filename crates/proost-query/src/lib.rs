#![forbid(unsafe_code)]
//! Query: SQL across sources through DataFusion, over a catalog built for each request.
//!
//! A query names tables as `connection.schema.table`. The engine asks a
//! [`CatalogResolver`] for each connection the statement mentions — the resolver decides
//! what the caller may see, so a table the caller cannot see is simply absent — and plans
//! over [`SourceTable`]s that push projection, filters and limits down to the live source.
//!
//! The engine path is read-only twice over: the statement must pass `proost-readonly`'s
//! allow-list for the engine dialect, and DataFusion itself is told to refuse DDL, DML and
//! statements (`SET`, `COPY`, `CREATE EXTERNAL TABLE`). No object store or URL table is
//! registered, so no file can be named as a table.

mod table;

use std::collections::BTreeSet;
use std::ops::ControlFlow;
use std::sync::Arc;

use datafusion::common::DataFusionError;
use datafusion::execution::runtime_env::RuntimeEnvBuilder;
use datafusion::prelude::{SessionConfig, SessionContext};
use futures::StreamExt;
use proost_connect::{ConnectError, ConnectionKind, Limits, QueryOutput, SchemaInfo, Source};
use proost_readonly::Dialect;
use sqlparser::ast::Visit;

pub use table::SourceTable;

/// What went wrong on the engine path. `code()` is the stable API code.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error(transparent)]
    Refused(#[from] proost_readonly::Refusal),
    #[error(transparent)]
    Source(#[from] ConnectError),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Plan(String),
    #[error("the query needs more than the {0} MiB memory limit; add filters or aggregate")]
    MemoryLimit(usize),
    #[error("{0}")]
    Execution(String),
}

impl QueryError {
    pub fn code(&self) -> &'static str {
        match self {
            QueryError::Refused(r) => r.code,
            QueryError::Source(e) => e.code(),
            QueryError::NotFound(_) => "table_not_found",
            QueryError::Plan(_) => "sql_error",
            QueryError::MemoryLimit(_) => "memory_limit_exceeded",
            QueryError::Execution(_) => "query_error",
        }
    }
}

/// One connection as the caller may see it.
pub struct ResolvedConnection {
    pub kind: ConnectionKind,
    pub source: Arc<dyn Source>,
    /// Only the schemas, tables and columns the caller may see.
    /// Shared with the server's introspection cache, not copied per query.
    pub schemas: Arc<Vec<SchemaInfo>>,
}

/// Resolves connection names to what the caller may see. Implemented by the server, where
/// grants live; returning `None` makes the connection absent, never "forbidden".
#[async_trait::async_trait]
pub trait CatalogResolver: Send + Sync {
    async fn resolve(&self, connection: &str) -> Result<Option<ResolvedConnection>, QueryError>;
}

#[derive(Debug, Clone)]
pub struct EngineConfig {
    pub memory_limit_mb: usize,
    pub batch_size: usize,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            memory_limit_mb: 1024,
            batch_size: 8192,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Engine {
    config: EngineConfig,
}

impl Engine {
    pub fn new(config: EngineConfig) -> Self {
        Engine { config }
    }

    /// Runs one engine-path statement for the caller behind `resolver`.
    pub async fn run(
        &self,
        sql: &str,
        resolver: &dyn CatalogResolver,
        limits: &Limits,
    ) -> Result<QueryOutput, QueryError> {
        let statement = proost_readonly::check(sql, Dialect::Engine)?;
        let ctx = self.context()?;
        // Rows a source hands over count against the same budget as DataFusion's operators.
        let scan_limits = Limits {
            max_bytes: self.config.memory_limit_mb.saturating_mul(1024 * 1024),
            ..limits.clone()
        };
        for name in referenced_catalogs(&statement) {
            let Some(conn) = resolver.resolve(&name).await? else {
                return Err(QueryError::NotFound(format!(
                    "no connection named `{name}`; tables are named connection.schema.table"
                )));
            };
            ctx.register_catalog(&name, table::catalog(&conn, &scan_limits));
        }
        let options = datafusion::execution::context::SQLOptions::new()
            .with_allow_ddl(false)
            .with_allow_dml(false)
            .with_allow_statements(false);
        let run = async {
            let df = ctx
                .sql_with_options(sql, options)
                .await
                .map_err(|e| self.error(e))?;
            // One row more than the limit tells us whether the result was cut.
            let df = df
                .limit(0, Some(limits.max_rows.saturating_add(1)))
                .map_err(|e| self.error(e))?;
            let schema = Arc::new(df.schema().as_arrow().clone());
            let mut stream = df.execute_stream().await.map_err(|e| self.error(e))?;
            let mut batches = Vec::new();
            let mut rows = 0usize;
            let mut truncated = false;
            while let Some(batch) = stream.next().await {
                if limits.cancel.is_cancelled() {
                    return Err(QueryError::Source(ConnectError::Cancelled));
                }
                let batch = batch.map_err(|e| self.error(e))?;
                let room = limits.max_rows - rows;
                if batch.num_rows() > room {
                    truncated = true;
                    batches.push(batch.slice(0, room));
                    break;
                }
                rows += batch.num_rows();
                batches.push(batch);
            }
            Ok(QueryOutput {
                schema,
                batches,
                truncated,
            })
        };
        match tokio::time::timeout(limits.timeout, run).await {
            Ok(r) => r,
            Err(_) => {
                limits.cancel.cancel();
                Err(QueryError::Source(ConnectError::Timeout(limits.timeout)))
            }
        }
    }

    fn context(&self) -> Result<SessionContext, QueryError> {
        let runtime = RuntimeEnvBuilder::new()
            .with_memory_limit(self.config.memory_limit_mb * 1024 * 1024, 1.0)
            .build_arc()
            .map_err(|e| QueryError::Execution(e.to_string()))?;
        let config = SessionConfig::new()
            .with_information_schema(false)
            .with_create_default_catalog_and_schema(false)
            .with_batch_size(self.config.batch_size)
            .with_target_partitions(2);
        Ok(SessionContext::new_with_config_rt(config, runtime))
    }

    fn error(&self, e: DataFusionError) -> QueryError {
        let root = e.find_root();
        match root {
            DataFusionError::External(inner) => {
                if let Some(c) = inner.downcast_ref::<ConnectError>() {
                    return QueryError::Source(c.clone());
                }
                QueryError::Execution(inner.to_string())
            }
            DataFusionError::ResourcesExhausted(_) => {
                QueryError::MemoryLimit(self.config.memory_limit_mb)
            }
            DataFusionError::SQL(p, _) => QueryError::Refused(proost_readonly::Refusal {
                code: "sql_parse_error",
                message: format!("the SQL does not parse: {p}"),
            }),
            DataFusionError::Plan(m) if m.contains("not found") || m.contains("No table named") => {
                QueryError::NotFound(m.clone())
            }
            DataFusionError::Plan(m) => QueryError::Plan(m.clone()),
            other => {
                let m = other.to_string();
                if m.contains("not found") && m.contains("table") {
                    QueryError::NotFound(m)
                } else {
                    QueryError::Execution(m)
                }
            }
        }
    }
}

/// The connection names (first part of three-part names) a statement mentions, normalized
/// the way DataFusion normalizes identifiers: unquoted ones lower-cased.
fn referenced_catalogs(statement: &sqlparser::ast::Statement) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let _ = statement.visit(&mut RelationNames(&mut out));
    out
}

struct RelationNames<'a>(&'a mut BTreeSet<String>);

impl sqlparser::ast::Visitor for RelationNames<'_> {
    type Break = ();
    fn pre_visit_relation(&mut self, relation: &sqlparser::ast::ObjectName) -> ControlFlow<()> {
        if let (3, Some(ident)) = (relation.0.len(), relation.0[0].as_ident()) {
            let name = if ident.quote_style.is_some() {
                ident.value.clone()
            } else {
                ident.value.to_lowercase()
            };
            self.0.insert(name);
        }
        ControlFlow::Continue(())
    }
}
