//! What one caller sees of a connection's catalog: the single decision every metadata
//! surface (schema API, classifications, connection and SQL pages) takes, from the same
//! [`Access`] the governed catalog of queries is built from. A schema appears only when it
//! holds a table the caller sees, a table only when a grant reaches it, a column only when a
//! grant reaches it (masked columns say how they are masked).

use proost_connect::{ColumnInfo, SchemaInfo, TableInfo};
use proost_query::MaskKind;

use crate::access::Access;

pub struct VisibleSchema<'a> {
    pub name: &'a str,
    pub tables: Vec<VisibleTable<'a>>,
}

pub struct VisibleTable<'a> {
    pub info: &'a TableInfo,
    /// The caller may read rows (not only know the table exists).
    pub readable: bool,
    pub columns: Vec<VisibleColumn<'a>>,
}

pub struct VisibleColumn<'a> {
    pub info: &'a ColumnInfo,
    /// How the column is masked for the caller; `None`: shown as it is.
    pub mask: Option<MaskKind>,
}

/// The schemas, tables and columns of connection `conn` the caller may see.
pub fn catalog<'a>(
    access: &Access,
    conn: &str,
    schemas: &'a [SchemaInfo],
) -> Vec<VisibleSchema<'a>> {
    schemas
        .iter()
        .filter_map(|s| {
            let tables: Vec<VisibleTable<'a>> = s
                .tables
                .iter()
                .filter(|t| access.sees_table(conn, &s.name, &t.name))
                .map(|t| VisibleTable {
                    info: t,
                    readable: access.admin
                        || access
                            .table_policy(conn, &s.name, t)
                            .is_none_or(|p| p.readable),
                    columns: t
                        .columns
                        .iter()
                        .filter_map(|c| {
                            let mask = access.column_view(conn, &s.name, &t.name, &c.name)?;
                            Some(VisibleColumn { info: c, mask })
                        })
                        .collect(),
                })
                .collect();
            (!tables.is_empty()).then_some(VisibleSchema {
                name: &s.name,
                tables,
            })
        })
        .collect()
}

/// The caller may see this column exists (its classification, its name).
pub fn sees_column(access: &Access, conn: &str, schema: &str, table: &str, column: &str) -> bool {
    access.sees_table(conn, schema, table)
        && access.column_view(conn, schema, table, column).is_some()
}
