//! The attack and allowed corpora, compiled into the crate so that every crate that runs SQL
//! (connectors against real servers, the engine, the HTTP API) can replay them.
//!
//! File format: statements separated by a line that is exactly `-- next`. A statement may
//! span lines and contain `;`.

use crate::Dialect;

const ATTACK_POSTGRES: &str = include_str!("../corpus/postgres.sql");
const ATTACK_MYSQL: &str = include_str!("../corpus/mysql.sql");
const ATTACK_SQLITE: &str = include_str!("../corpus/sqlite.sql");
const ATTACK_ENGINE: &str = include_str!("../corpus/engine.sql");
const ALLOWED_POSTGRES: &str = include_str!("../corpus/allowed_postgres.sql");
const ALLOWED_MYSQL: &str = include_str!("../corpus/allowed_mysql.sql");
const ALLOWED_SQLITE: &str = include_str!("../corpus/allowed_sqlite.sql");
const ALLOWED_ENGINE: &str = include_str!("../corpus/allowed_engine.sql");

/// The attack corpus for a dialect: statements that must be refused, by this crate and (for
/// the source dialects) by the read-only transaction and account checks behind it. They
/// refer to the tables `customers`, `orders` and `products` (`public.` for PostgreSQL).
pub fn attack_corpus(dialect: Dialect) -> Vec<&'static str> {
    entries(match dialect {
        Dialect::Postgres => ATTACK_POSTGRES,
        Dialect::MySql => ATTACK_MYSQL,
        Dialect::Sqlite => ATTACK_SQLITE,
        Dialect::Engine => ATTACK_ENGINE,
    })
}

/// Statements that must be accepted, and that run on a real server of the dialect against
/// `customers(id, name, email)`, `orders(id, customer_id, product_id, amount, ordered_at)`
/// and `products(id, name)`.
pub fn allowed_corpus(dialect: Dialect) -> Vec<&'static str> {
    entries(match dialect {
        Dialect::Postgres => ALLOWED_POSTGRES,
        Dialect::MySql => ALLOWED_MYSQL,
        Dialect::Sqlite => ALLOWED_SQLITE,
        Dialect::Engine => ALLOWED_ENGINE,
    })
}

fn entries(file: &'static str) -> Vec<&'static str> {
    let mut entries = Vec::new();
    let mut start = 0;
    let mut offset = 0;
    for line in file.split_inclusive('\n') {
        let end = offset + line.len();
        if line.trim_end_matches(['\n', '\r']) == "-- next" {
            push_entry(&mut entries, &file[start..offset]);
            start = end;
        }
        offset = end;
    }
    push_entry(&mut entries, &file[start..]);
    entries
}

fn push_entry(entries: &mut Vec<&'static str>, text: &'static str) {
    // Only the newline that precedes a separator is formatting; other whitespace, including
    // the unusual kinds some attacks use, is part of the statement.
    let text = text
        .strip_suffix('\n')
        .map(|t| t.strip_suffix('\r').unwrap_or(t))
        .unwrap_or(text);
    if !text.trim().is_empty() {
        entries.push(text);
    }
}

#[cfg(test)]
mod tests {
    use super::entries;

    #[test]
    fn entries_are_split_on_separator_lines_only() {
        let file: &'static str =
            "SELECT 1;\n-- next\nSELECT '-- next'\n-- next\n\n-- next\nSELECT\n 2\n";
        assert_eq!(
            entries(file),
            vec!["SELECT 1;", "SELECT '-- next'", "SELECT\n 2"]
        );
    }
}
