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

pub mod browse;
pub mod builder;
mod explain;
mod govern;
mod replica;
mod table;
pub mod template;
mod typed_mask;

use std::collections::{BTreeSet, HashMap};
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use datafusion::common::DataFusionError;
use datafusion::execution::disk_manager::{DiskManagerBuilder, DiskManagerMode};
use datafusion::execution::runtime_env::{RuntimeEnv, RuntimeEnvBuilder};
use datafusion::prelude::{DataFrame, SessionConfig, SessionContext};
use futures::StreamExt;
use proost_connect::{ConnectError, ConnectionKind, Limits, QueryOutput, SchemaInfo, Source};
use proost_readonly::Dialect;
use sqlparser::ast::Visit;

pub use govern::{ColumnRule, MASK_METADATA, MaskKind, PolicyValue, RowFilter, TablePolicy};
pub use replica::{ReplicaKeyring, ReplicaSnapshot};
pub use table::{SourceTable, table_schema};

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
    /// A failure whose details could name data the caller may not see.
    #[error("{message}")]
    Withheld { code: &'static str, message: String },
}

impl QueryError {
    /// The error as a caller who is not unrestricted on every connection the query read
    /// may see it: execution errors of the engine and the sources can quote any value they
    /// met, including values of rows a row policy hides, of masked columns, or, through a
    /// source's own messages, of tables the caller has no grant on. Those keep their code
    /// and a kind of failure from a fixed list; everything else is unchanged.
    pub fn withheld(self) -> QueryError {
        const WHY: &str = "the details are withheld because the query reads data governed for you (masks, row policies or column grants)";
        match self {
            QueryError::Source(ConnectError::Query(_)) => QueryError::Withheld {
                code: "source_query_error",
                message: format!(
                    "the source could not run the query; {WHY}. Check the query, or ask someone with full access to the connection"
                ),
            },
            QueryError::Execution(m) => QueryError::Withheld {
                code: "query_error",
                message: format!("the query failed: {}; {WHY}", failure_kind(&m)),
            },
            other => other,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            QueryError::Withheld { code, .. } => code,
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
    pub id: String,
    pub kind: ConnectionKind,
    pub source: Arc<dyn Source>,
    /// Only the schemas and tables the caller may see (every column: a table's policy
    /// says which of them the caller reads).
    /// Shared with the server's introspection cache, not copied per query.
    pub schemas: Arc<Vec<SchemaInfo>>,
    /// Tables answered from a replica instead of the source: (schema, table) → the version
    /// to read. The resolver only lists replicas fresh enough to serve.
    pub replicas: HashMap<(String, String), ReplicaSnapshot>,
    /// The caller's policy per (schema, table); a table without one is read unrestricted.
    pub policies: HashMap<(String, String), TablePolicy>,
    /// Keys the `hash` mask of this connection's columns.
    pub mask_key: [u8; 32],
}

/// What kind of failure an engine error message describes, in words of a fixed list (no
/// part of the message is repeated).
fn failure_kind(message: &str) -> &'static str {
    let m = message.to_ascii_lowercase();
    if m.contains("cast") {
        "a value could not be converted to the type asked for"
    } else if m.contains("divide by zero") || m.contains("division by zero") {
        "division by zero"
    } else if m.contains("overflow") {
        "a number was too large for its type"
    } else if m.contains("regex") || m.contains("regular expression") {
        "a regular expression could not be applied"
    } else {
        "an error occurred while computing the result"
    }
}

/// Where a table in a query was read from.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Served {
    /// `connection.schema.table`.
    pub table: String,
    /// `replica` or `live`.
    pub served_from: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<u64>,
    #[serde(skip)]
    pub connection_id: String,
    #[serde(skip)]
    pub replica_id: Option<String>,
    /// A row policy filters this table for the caller.
    #[serde(skip)]
    pub row_policy: bool,
}

/// A planned statement: what it reads and a normalized form of its plan, known before
/// anything runs (the result cache keys on both).
pub struct Planned {
    frame: DataFrame,
    /// An `EXPLAIN`: its answer, made while planning (nothing runs).
    explained: Option<QueryOutput>,
    pub sources: Vec<Served>,
    /// The resolved logical plan, one node per line: equal for statements that mean the
    /// same over the same catalog, whatever their spelling.
    pub plan_text: String,
}

impl Planned {
    /// An `EXPLAIN`, answered without running anything (and not worth caching).
    pub fn is_explain(&self) -> bool {
        self.explained.is_some()
    }
}

/// One request being planned: its context, the state governed tables are built with, and
/// where the tables it reads are noted.
struct Planning {
    ctx: SessionContext,
    views: Arc<datafusion::execution::SessionState>,
    served: Arc<Mutex<Vec<Served>>>,
    scan_limits: Limits,
    /// The catalog of each connection registered, as the caller may see it (the builder
    /// reads foreign keys from it).
    schemas: Mutex<HashMap<String, Arc<Vec<SchemaInfo>>>>,
}

impl Planning {
    fn done(self, frame: DataFrame, explained: Option<QueryOutput>) -> Planned {
        let plan_text = frame.logical_plan().display_indent_schema().to_string();
        let mut sources = self.served.lock().map(|s| s.clone()).unwrap_or_default();
        sources.sort_by(|a, b| a.table.cmp(&b.table));
        sources.dedup_by(|a, b| a.table == b.table);
        Planned {
            frame,
            explained,
            sources,
            plan_text,
        }
    }
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

/// The query engine. One runtime is shared by all queries: one memory budget for the
/// instance, one Parquet metadata cache, and the replica keyring as its only encryption
/// factory. Spilling to disk is off, so no operator ever writes plaintext rows to a
/// temporary file; a query that needs more memory fails with `memory_limit_exceeded`.
#[derive(Clone)]
pub struct Engine {
    config: EngineConfig,
    runtime: Arc<RuntimeEnv>,
    keyring: Arc<ReplicaKeyring>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Engine({:?})", self.config)
    }
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new(
            EngineConfig::default(),
            std::env::temp_dir().join("proost-no-replicas"),
        )
        .expect("the default engine builds")
    }
}

impl Engine {
    /// `replica_root` is where replica files live; the engine decrypts files only there.
    pub fn new(config: EngineConfig, replica_root: PathBuf) -> Result<Self, QueryError> {
        let keyring = Arc::new(ReplicaKeyring::new(replica_root));
        let runtime = RuntimeEnvBuilder::new()
            .with_memory_limit(config.memory_limit_mb * 1024 * 1024, 1.0)
            .with_disk_manager_builder(
                DiskManagerBuilder::default().with_mode(DiskManagerMode::Disabled),
            )
            .build_arc()
            .map_err(|e| QueryError::Execution(e.to_string()))?;
        runtime.register_parquet_encryption_factory(replica::FACTORY_ID, keyring.clone());
        Ok(Engine {
            config,
            runtime,
            keyring,
        })
    }

    /// The data keys replica reads decrypt with.
    pub fn keyring(&self) -> &Arc<ReplicaKeyring> {
        &self.keyring
    }

    /// Runs one engine-path statement for the caller behind `resolver`.
    pub async fn run(
        &self,
        sql: &str,
        resolver: &dyn CatalogResolver,
        limits: &Limits,
    ) -> Result<QueryOutput, QueryError> {
        let planned = self.plan(sql, resolver, limits).await?;
        self.execute(planned, limits).await
    }

    /// Checks and plans one engine-path statement over the catalog the caller may see.
    pub async fn plan(
        &self,
        sql: &str,
        resolver: &dyn CatalogResolver,
        limits: &Limits,
    ) -> Result<Planned, QueryError> {
        self.plan_bound(sql, Vec::new(), resolver, limits).await
    }

    /// [`Engine::plan`] with values bound to the statement's placeholders (`$1`, …): the
    /// parameters of a SQL question, never interpolated into its text.
    pub async fn plan_bound(
        &self,
        sql: &str,
        values: Vec<datafusion::common::ScalarValue>,
        resolver: &dyn CatalogResolver,
        limits: &Limits,
    ) -> Result<Planned, QueryError> {
        let statement = proost_readonly::check(sql, Dialect::Engine)?;
        let planning = self.planning(limits)?;
        for name in referenced_catalogs(&statement) {
            self.add_catalog(&planning, &name, resolver).await?;
        }
        let ctx = &planning.ctx;
        let options = datafusion::execution::context::SQLOptions::new()
            .with_allow_ddl(false)
            .with_allow_dml(false)
            .with_allow_statements(false);
        let frame = ctx
            .sql_with_options(sql, options)
            .await
            .map_err(|e| self.error(e))?;
        let frame = if values.is_empty() {
            frame
        } else {
            frame.with_param_values(values).map_err(|e| self.error(e))?
        };
        let explained = if matches!(
            frame.logical_plan(),
            datafusion::logical_expr::LogicalPlan::Explain(_)
        ) {
            Some(
                explain::explain(&ctx.state(), frame.logical_plan())
                    .await
                    .map_err(|e| self.error(e))?,
            )
        } else {
            None
        };
        Ok(planning.done(frame, explained))
    }

    /// A context for planning one request over governed catalogs.
    fn planning(&self, limits: &Limits) -> Result<Planning, QueryError> {
        let ctx = self.context()?;
        // Governed tables are built on lookup with this state; it lives only while planning.
        let views = Arc::new(ctx.state());
        Ok(Planning {
            ctx,
            views,
            served: Arc::new(Mutex::new(Vec::new())),
            // Rows a source hands over count against the same budget as DataFusion's
            // operators.
            scan_limits: Limits {
                max_bytes: self.config.memory_limit_mb.saturating_mul(1024 * 1024),
                ..limits.clone()
            },
            schemas: Mutex::new(HashMap::new()),
        })
    }

    /// Registers connection `name` as the caller may see it; absent when they may not.
    async fn add_catalog(
        &self,
        p: &Planning,
        name: &str,
        resolver: &dyn CatalogResolver,
    ) -> Result<(), QueryError> {
        let Some(conn) = resolver.resolve(name).await? else {
            return Err(QueryError::NotFound(format!(
                "no connection named `{name}`; tables are named connection.schema.table"
            )));
        };
        let catalog = table::catalog(
            Arc::downgrade(&p.views),
            name,
            &conn,
            &p.scan_limits,
            self.keyring.root(),
            p.served.clone(),
        )
        .map_err(|e| self.error(e))?;
        p.ctx.register_catalog(name, catalog);
        if let Ok(mut schemas) = p.schemas.lock() {
            schemas.insert(name.to_string(), conn.schemas.clone());
        }
        Ok(())
    }

    /// Runs a planned statement under `limits`.
    pub async fn execute(
        &self,
        planned: Planned,
        limits: &Limits,
    ) -> Result<QueryOutput, QueryError> {
        if let Some(out) = planned.explained {
            return Ok(out);
        }
        let df = planned.frame;
        let run = async {
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
        let runtime = self.runtime.clone();
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
