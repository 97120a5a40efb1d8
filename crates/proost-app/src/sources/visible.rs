//! What one caller sees of a connection's catalog: the single decision every metadata
//! surface (schema API, classifications, connection and SQL pages) takes, from the same
//! [`Access`] the governed catalog of queries is built from. A schema appears only when it
//! holds a table the caller sees, a table only when a grant reaches it, a column only when a
//! grant reaches it (masked columns say how they are masked), a foreign key only when the
//! caller sees both tables and every column on both sides.

use proost_connect::{ColumnInfo, ForeignKey, SchemaInfo, TableInfo};
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
    /// The table's foreign keys the caller may see ([`sees_key`]).
    pub foreign_keys: Vec<&'a ForeignKey>,
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
                    foreign_keys: t
                        .foreign_keys
                        .iter()
                        .filter(|k| sees_key(access, conn, &s.name, &t.name, k))
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

/// The caller may see this foreign key of `schema.table`: both tables and every column on
/// both sides (a key would otherwise name a column or table they may not know exists).
pub fn sees_key(access: &Access, conn: &str, schema: &str, table: &str, key: &ForeignKey) -> bool {
    access.admin
        || (key
            .columns
            .iter()
            .all(|c| sees_column(access, conn, schema, table, c))
            && key
                .ref_columns
                .iter()
                .all(|c| sees_column(access, conn, &key.ref_schema, &key.ref_table, c)))
}

/// A table as the caller may see its metadata: columns and foreign keys filtered.
pub fn table_info(t: &VisibleTable<'_>) -> TableInfo {
    TableInfo {
        name: t.info.name.clone(),
        kind: t.info.kind.clone(),
        columns: t.columns.iter().map(|c| c.info.clone()).collect(),
        foreign_keys: t.foreign_keys.iter().map(|k| (*k).clone()).collect(),
    }
}
