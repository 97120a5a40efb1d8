//! A source table as DataFusion sees it: projection, filters and limit are pushed down to
//! the source as one read-only SELECT in its own dialect.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::catalog::{CatalogProvider, MemoryCatalogProvider, Session};
use datafusion::catalog::{SchemaProvider, TableProvider};
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::{Column, DataFusionError};
use datafusion::datasource::TableType;
use datafusion::datasource::memory::MemorySourceConfig;
use datafusion::execution::SessionState;
use datafusion::execution::context::SessionContext;
use datafusion::logical_expr::{Expr, TableProviderFilterPushDown};
use datafusion::physical_plan::ExecutionPlan;
use datafusion::sql::unparser::Unparser;
use datafusion::sql::unparser::dialect::{
    Dialect as UnparserDialect, MySqlDialect, PostgreSqlDialect, SqliteDialect,
};
use proost_connect::{ColumnInfo, ConnectionKind, Limits, ScanSpec, Source, TableInfo};

use crate::govern::TablePolicy;

use crate::{ResolvedConnection, Served};

/// Builds the DataFusion catalog for one connection: each table is its replica when the
/// resolver offered a fresh one, else the live source. Which one a query touched is noted
/// in `served`.
pub(crate) fn catalog(
    views: std::sync::Weak<SessionState>,
    name: &str,
    conn: &ResolvedConnection,
    limits: &Limits,
    replica_root: &std::path::Path,
    served: Arc<Mutex<Vec<Served>>>,
) -> datafusion::common::Result<Arc<dyn CatalogProvider>> {
    let catalog = MemoryCatalogProvider::new();
    for schema in conn.schemas.iter() {
        let mut tables = HashMap::new();
        for table in &schema.tables {
            let label = format!("{name}.{}.{}", schema.name, table.name);
            let key = (schema.name.clone(), table.name.clone());
            let entry = match conn.replicas.get(&key) {
                Some(snapshot) => (
                    crate::replica::table(replica_root, snapshot)?,
                    Served {
                        table: label,
                        served_from: "replica",
                        version: Some(snapshot.version),
                        connection_id: conn.id.clone(),
                        replica_id: Some(snapshot.id.replica.clone()),
                    },
                ),
                None => (
                    Arc::new(SourceTable::new(
                        conn.source.clone(),
                        conn.kind,
                        &schema.name,
                        table,
                        limits.clone(),
                    )) as Arc<dyn TableProvider>,
                    Served {
                        table: label,
                        served_from: "live",
                        version: None,
                        connection_id: conn.id.clone(),
                        replica_id: None,
                    },
                ),
            };
            let policy = conn.policies.get(&key).cloned();
            tables.insert(table.name.clone(), (entry.0, entry.1, policy));
        }
        let provider = NotingSchema {
            tables,
            served: served.clone(),
            views: views.clone(),
            mask_key: conn.mask_key,
        };
        let _ = catalog.register_schema(&schema.name, Arc::new(provider));
    }
    Ok(Arc::new(catalog))
}

/// The tables of one schema; notes every table the planner looks up.
/// A table, where it is read from, and the caller's policy on it.
type Entry = (Arc<dyn TableProvider>, Served, Option<TablePolicy>);

/// Policies are applied here, on lookup, so a query pays only for the tables it names.
struct NotingSchema {
    tables: HashMap<String, Entry>,
    served: Arc<Mutex<Vec<Served>>>,
    /// Weak: the context owns this schema, so a strong reference would never be freed.
    views: std::sync::Weak<SessionState>,
    mask_key: [u8; 32],
}

impl std::fmt::Debug for NotingSchema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NotingSchema({} tables)", self.tables.len())
    }
}

#[async_trait::async_trait]
impl SchemaProvider for NotingSchema {
    fn table_names(&self) -> Vec<String> {
        self.tables.keys().cloned().collect()
    }

    async fn table(
        &self,
        name: &str,
    ) -> datafusion::common::Result<Option<Arc<dyn TableProvider>>> {
        let Some((table, served, policy)) = self.tables.get(name) else {
            return Ok(None);
        };
        if let Ok(mut noted) = self.served.lock() {
            noted.push(served.clone());
        }
        match policy {
            None => Ok(Some(table.clone())),
            Some(policy) => {
                let state = self.views.upgrade().ok_or_else(|| {
                    DataFusionError::Internal(
                        "a governed table was looked up after planning".into(),
                    )
                })?;
                Ok(Some(crate::govern::governed(
                    &SessionContext::new_with_state((*state).clone()),
                    &served.table,
                    table.clone(),
                    policy,
                    &self.mask_key,
                )?))
            }
        }
    }

    fn table_exist(&self, name: &str) -> bool {
        self.tables.contains_key(name)
    }
}

/// The Arrow schema a table has in the engine, live or replicated: every column nullable,
/// typed as the source is read.
pub fn table_schema(table: &TableInfo) -> SchemaRef {
    Arc::new(Schema::new(
        table
            .columns
            .iter()
            .map(|c| Field::new(&c.name, column_type(c), true))
            .collect::<Vec<_>>(),
    ))
}

pub struct SourceTable {
    source: Arc<dyn Source>,
    kind: ConnectionKind,
    schema_name: String,
    table: TableInfo,
    arrow_schema: SchemaRef,
    limits: Limits,
}

impl std::fmt::Debug for SourceTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "SourceTable({} {}.{})",
            self.kind.as_str(),
            self.schema_name,
            self.table.name
        )
    }
}

impl SourceTable {
    pub fn new(
        source: Arc<dyn Source>,
        kind: ConnectionKind,
        schema_name: &str,
        table: &TableInfo,
        limits: Limits,
    ) -> Self {
        SourceTable {
            source,
            kind,
            schema_name: schema_name.to_string(),
            table: table.clone(),
            arrow_schema: table_schema(table),
            limits,
        }
    }

    fn dialect(&self) -> Box<dyn UnparserDialect + Send + Sync> {
        match self.kind {
            ConnectionKind::Postgres => Box::new(PostgreSqlDialect {}),
            ConnectionKind::Mysql => Box::new(MySqlDialect {}),
            ConnectionKind::Sqlite => Box::new(SqliteDialect {}),
        }
    }

    /// Renders a filter in the source's dialect, or `None` when it cannot be pushed down.
    /// Columns are unqualified first: the source knows them by bare name.
    fn render(&self, filter: &Expr) -> Option<String> {
        let unqualified = filter
            .clone()
            .transform_up(|e| {
                Ok(match e {
                    Expr::Column(c) => {
                        Transformed::yes(Expr::Column(Column::new_unqualified(c.name)))
                    }
                    other => Transformed::no(other),
                })
            })
            .ok()?
            .data;
        // Only plain column comparisons and boolean logic are pushed; anything with a
        // function stays in the engine, where its semantics are DataFusion's.
        let mut pushable = true;
        let _ = unqualified.apply(|e| {
            if matches!(
                e,
                Expr::ScalarFunction(_)
                    | Expr::AggregateFunction(_)
                    | Expr::WindowFunction(_)
                    | Expr::ScalarSubquery(_)
                    | Expr::InSubquery(_)
                    | Expr::Exists(_)
                    | Expr::Placeholder(_)
                    | Expr::Cast(_)
                    | Expr::TryCast(_)
            ) {
                pushable = false;
            }
            Ok(datafusion::common::tree_node::TreeNodeRecursion::Continue)
        });
        if !pushable {
            return None;
        }
        let dialect = self.dialect();
        Unparser::new(dialect.as_ref())
            .expr_to_sql(&unqualified)
            .ok()
            .map(|ast| ast.to_string())
    }
}

fn column_type(c: &ColumnInfo) -> DataType {
    c.arrow_type.clone().unwrap_or(DataType::Utf8)
}

#[async_trait::async_trait]
impl TableProvider for SourceTable {
    fn schema(&self) -> SchemaRef {
        self.arrow_schema.clone()
    }

    fn table_type(&self) -> TableType {
        TableType::Base
    }

    fn supports_filters_pushdown(
        &self,
        filters: &[&Expr],
    ) -> datafusion::common::Result<Vec<TableProviderFilterPushDown>> {
        // Inexact: the source narrows the rows, and DataFusion still applies the filter, so
        // a source whose comparison semantics differ (collations, SQLite's loose typing)
        // can never add wrong rows.
        Ok(filters
            .iter()
            .map(|f| match self.render(f) {
                Some(_) => TableProviderFilterPushDown::Inexact,
                None => TableProviderFilterPushDown::Unsupported,
            })
            .collect())
    }

    async fn scan(
        &self,
        _state: &dyn Session,
        projection: Option<&Vec<usize>>,
        filters: &[Expr],
        limit: Option<usize>,
    ) -> datafusion::common::Result<Arc<dyn ExecutionPlan>> {
        let indices: Vec<usize> = match projection {
            Some(p) => p.clone(),
            None => (0..self.table.columns.len()).collect(),
        };
        let columns: Vec<&ColumnInfo> = indices
            .iter()
            .filter_map(|i| self.table.columns.get(*i))
            .collect();
        let projected = Arc::new(self.arrow_schema.project(&indices)?);
        let rendered: Vec<String> = filters.iter().filter_map(|f| self.render(f)).collect();
        // A limit is only safe to push when every filter went down with it.
        let limit = if rendered.len() == filters.len() {
            limit
        } else {
            None
        };
        let spec = ScanSpec {
            schema: Some(&self.schema_name),
            table: &self.table.name,
            columns,
            filters: rendered,
            limit,
        };
        let sql = self.source.scan_sql(&spec);
        let limits = Limits {
            max_rows: usize::MAX - 1,
            ..self.limits.clone()
        };
        let out = self
            .source
            .query(&sql, Some(projected.clone()), &limits)
            .await
            .map_err(|e| DataFusionError::External(Box::new(e)))?;
        let exec = MemorySourceConfig::try_new_exec(&[out.batches], projected, None)?;
        Ok(exec)
    }
}
