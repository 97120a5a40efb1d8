//! A source table as DataFusion sees it: projection, filters and limit are pushed down to
//! the source as one read-only SELECT in its own dialect.

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::catalog::{CatalogProvider, MemoryCatalogProvider, MemorySchemaProvider, Session};
use datafusion::catalog::{SchemaProvider, TableProvider};
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::{Column, DataFusionError};
use datafusion::datasource::TableType;
use datafusion::datasource::memory::MemorySourceConfig;
use datafusion::logical_expr::{Expr, TableProviderFilterPushDown};
use datafusion::physical_plan::ExecutionPlan;
use datafusion::sql::unparser::Unparser;
use datafusion::sql::unparser::dialect::{
    Dialect as UnparserDialect, MySqlDialect, PostgreSqlDialect, SqliteDialect,
};
use proost_connect::{ColumnInfo, ConnectionKind, Limits, ScanSpec, Source, TableInfo};

use crate::ResolvedConnection;

/// Builds the DataFusion catalog for one connection.
pub(crate) fn catalog(conn: &ResolvedConnection, limits: &Limits) -> Arc<dyn CatalogProvider> {
    let catalog = MemoryCatalogProvider::new();
    for schema in conn.schemas.iter() {
        let provider = MemorySchemaProvider::new();
        for table in &schema.tables {
            let t = SourceTable::new(
                conn.source.clone(),
                conn.kind,
                &schema.name,
                table,
                limits.clone(),
            );
            // Names are unique within a schema; a duplicate would only come from a broken
            // introspection and is skipped.
            let _ = provider.register_table(table.name.clone(), Arc::new(t));
        }
        let _ = catalog.register_schema(&schema.name, Arc::new(provider));
    }
    Arc::new(catalog)
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
        let fields: Vec<Field> = table
            .columns
            .iter()
            .map(|c| Field::new(&c.name, column_type(c), true))
            .collect();
        SourceTable {
            source,
            kind,
            schema_name: schema_name.to_string(),
            table: table.clone(),
            arrow_schema: Arc::new(Schema::new(fields)),
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
