#![forbid(unsafe_code)]
//! The statement allow-list of Proost: the first layer of read-only-in-depth.
//!
//! [`check`] parses SQL with the grammar of the database that will run it and accepts it only
//! if it is exactly one read-only query: a `SELECT` (with `WITH`, `UNION`, `VALUES`, …), an
//! `EXPLAIN` of such a query without `ANALYZE`, or a `SHOW`/`DESCRIBE`. The whole syntax tree
//! is walked, so a write hidden in a CTE, a subquery, a lateral join, a window frame or a
//! function argument is found as surely as one at the top. Side-effecting functions
//! (`nextval`, `set_config`, `pg_terminate_backend`, `LOAD_FILE`, `readfile`, `read_csv`, …)
//! are refused by name wherever they appear.
//!
//! Every refusal is a [`Refusal`] with a stable `code` and a message a person can act on.
//!
//! What this crate is **not**: the only defence. A parser can disagree with the server it
//! guards (a new keyword, an extension function, a server setting that changes how strings
//! are read), so Proost also runs every source query inside a read-only transaction
//! (PostgreSQL `BEGIN READ ONLY`, MySQL `START TRANSACTION READ ONLY`, SQLite opened
//! read-only with `query_only`) and checks that the source account holds no write
//! privilege. This crate makes refusals early and clear; the other two layers make them
//! certain.
//!
//! ```
//! use proost_readonly::{check, Dialect};
//!
//! assert!(check("SELECT id, email FROM public.customers", Dialect::Postgres).is_ok());
//!
//! let refusal = check("WITH gone AS (DELETE FROM public.orders RETURNING *) SELECT * FROM gone",
//!     Dialect::Postgres).unwrap_err();
//! assert_eq!(refusal.code, "writable_cte");
//! ```

mod corpus;
mod deny;
mod walk;

use sqlparser::ast::{SetExpr, Statement};
use sqlparser::dialect::{
    Dialect as SqlDialect, GenericDialect, MySqlDialect, PostgreSqlDialect, SQLiteDialect,
};
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Token, Tokenizer};

pub use corpus::{allowed_corpus, attack_corpus};

/// The SQL grammar a statement is checked with: the database that will run it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// PostgreSQL source.
    Postgres,
    /// MySQL or MariaDB source.
    MySql,
    /// SQLite source.
    Sqlite,
    /// Proost's own query engine (DataFusion SQL over the governed catalog). Parsed with
    /// sqlparser's generic dialect, as DataFusion does by default.
    Engine,
}

impl Dialect {
    fn label(self) -> &'static str {
        match self {
            Dialect::Postgres => "PostgreSQL",
            Dialect::MySql => "MySQL",
            Dialect::Sqlite => "SQLite",
            Dialect::Engine => "Proost engine",
        }
    }
}

/// Why a statement was refused. `code` is stable (clients and tests match on it); `message`
/// is for people.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Refusal {
    /// Stable, machine-readable reason, e.g. `statement_not_allowed`.
    pub code: &'static str,
    /// Plain-words explanation a user can act on.
    pub message: String,
}

impl Refusal {
    pub(crate) fn new(code: &'static str, message: impl Into<String>) -> Self {
        Refusal {
            code,
            message: message.into(),
        }
    }
}

/// Nesting deeper than this is refused as a parse error. sqlparser's default is 50; the
/// check must not overflow the stack of a small async worker thread, and no real report
/// nests this deep.
const RECURSION_LIMIT: usize = 40;

/// Accepts exactly one read-only query statement; returns it parsed.
///
/// Accepted: a query (`SELECT`, `VALUES`, `TABLE t`, `WITH … SELECT`, set operations), an
/// `EXPLAIN`/`DESCRIBE` of a query without `ANALYZE`, `DESCRIBE table`, and the `SHOW`
/// statements that only read (`SHOW TABLES`, `SHOW COLUMNS`, `SHOW search_path`, …; not
/// `SHOW PROCESSLIST`). Callers that want rows from tables only should additionally match on
/// [`Statement::Query`].
///
/// Never panics, whatever the input.
pub fn check(sql: &str, dialect: Dialect) -> Result<Statement, Refusal> {
    refuse_comments_the_server_executes(sql)?;
    let statement = check_parsed(sql, dialect)?;
    match dialect {
        Dialect::MySql => check_mysql_without_backslash_escapes(sql)?,
        Dialect::Postgres => check_postgres_string_literals(sql)?,
        Dialect::Sqlite | Dialect::Engine => {}
    }
    Ok(statement)
}

/// MySQL runs the body of `/*! … */` and `/*M! … */` (MariaDB) comments, while a parser that
/// does not know this sees only a comment: `SELECT 1 /*! ; DROP TABLE t */`. Optimizer-hint
/// comments `/*+ … */` are read by MySQL (`SET_VAR`, `MAX_EXECUTION_TIME`) and by
/// PostgreSQL's pg_hint_plan (`Set(…)`) and can lift the limits Proost sets on a query.
/// Checked on the raw text, before any parsing, for every dialect; the price is that these
/// character sequences are refused inside string literals too.
fn refuse_comments_the_server_executes(sql: &str) -> Result<(), Refusal> {
    let bytes = sql.as_bytes();
    let mut i = 0;
    while let Some(offset) = sql.get(i..).and_then(|rest| rest.find("/*")) {
        let after = i + offset + 2;
        match bytes.get(after) {
            Some(b'!') => return Err(executable_comment()),
            Some(b'm' | b'M') if bytes.get(after + 1) == Some(&b'!') => {
                return Err(executable_comment());
            }
            Some(b'+') => return Err(optimizer_hint()),
            _ => {}
        }
        i = after;
    }
    Ok(())
}

fn executable_comment() -> Refusal {
    Refusal::new(
        "executable_comment",
        "MySQL executable comments (/*! … */ or /*M! … */) are not allowed: MySQL runs the text \
         inside them. Remove the comment, or write its content as plain SQL",
    )
}

pub(crate) fn optimizer_hint() -> Refusal {
    Refusal::new(
        "executable_comment",
        "optimizer hint comments (/*+ … */) are not allowed: the database acts on them and \
         they can change settings such as timeouts. Remove the hint",
    )
}

fn sql_dialect(dialect: Dialect) -> Box<dyn SqlDialect> {
    match dialect {
        Dialect::Postgres => Box::new(PostgreSqlDialect {}),
        Dialect::MySql => Box::new(MySqlDialect {}),
        Dialect::Sqlite => Box::new(SQLiteDialect {}),
        Dialect::Engine => Box::new(GenericDialect {}),
    }
}

fn parse(sql: &str, dialect: Dialect) -> Result<Vec<Statement>, Refusal> {
    let grammar = sql_dialect(dialect);
    Parser::new(grammar.as_ref())
        .with_recursion_limit(RECURSION_LIMIT)
        .try_with_sql(sql)
        .and_then(|mut parser| parser.parse_statements())
        .map_err(|error| {
            let detail = match error {
                ParserError::RecursionLimitExceeded => {
                    format!("it nests deeper than {RECURSION_LIMIT} levels")
                }
                ParserError::TokenizerError(m) | ParserError::ParserError(m) => m,
            };
            Refusal::new(
                "sql_parse_error",
                format!("this is not valid {} SQL: {detail}", dialect.label()),
            )
        })
}

fn check_parsed(sql: &str, dialect: Dialect) -> Result<Statement, Refusal> {
    let mut statements = parse(sql, dialect)?;
    if statements.len() > 1 {
        return Err(Refusal::new(
            "multiple_statements",
            format!(
                "only a single statement is allowed here; found {} statements separated by ';'. \
                 Run them one at a time",
                statements.len()
            ),
        ));
    }
    let Some(statement) = statements.pop() else {
        return Err(Refusal::new(
            "empty_statement",
            "there is no SQL statement here: the text is empty or only comments",
        ));
    };
    check_top_level(&statement, dialect)?;
    walk::check_tree(&statement, dialect)?;
    Ok(statement)
}

/// The allow-list proper: what a whole statement may be.
fn check_top_level(statement: &Statement, dialect: Dialect) -> Result<(), Refusal> {
    match statement {
        Statement::Query(query) => match dml_kind(&query.body) {
            Some(kind) => Err(not_allowed(&kind)),
            None => Ok(()),
        },
        Statement::Explain {
            analyze,
            statement: explained,
            options,
            ..
        } => {
            let analyze_option = options.iter().flatten().any(|option| {
                let name = option.name.value.to_ascii_uppercase();
                name == "ANALYZE" || name == "ANALYSE"
            });
            if *analyze || analyze_option {
                return Err(Refusal::new(
                    "statement_not_allowed",
                    "EXPLAIN ANALYZE is not allowed: it runs the statement it explains. Use \
                     EXPLAIN without ANALYZE",
                ));
            }
            match explained.as_ref() {
                Statement::Query(query) => match dml_kind(&query.body) {
                    Some(kind) => Err(explain_of(&kind)),
                    None => Ok(()),
                },
                other => Err(explain_of(&statement_kind(other))),
            }
        }
        Statement::ExplainTable { .. }
        | Statement::ShowFunctions { .. }
        | Statement::ShowVariable { .. }
        | Statement::ShowStatus { .. }
        | Statement::ShowVariables { .. }
        | Statement::ShowColumns { .. }
        | Statement::ShowCatalogs { .. }
        | Statement::ShowDatabases { .. }
        | Statement::ShowSchemas { .. }
        | Statement::ShowCharset(_)
        | Statement::ShowObjects(_)
        | Statement::ShowTables { .. }
        | Statement::ShowViews { .. }
        | Statement::ShowCollation { .. } => Ok(()),
        Statement::ShowCreate { obj_name, .. } => {
            if dialect == Dialect::Engine {
                walk::check_engine_relation(obj_name)?;
            }
            Ok(())
        }
        Statement::Set(_) | Statement::Reset(_) if dialect == Dialect::Engine => Err(Refusal::new(
            "engine_option",
            format!(
                "engine options cannot be changed from a query; found {}. Ask an \
                     administrator to change the engine configuration instead",
                statement_kind(statement)
            ),
        )),
        other => Err(not_allowed(&statement_kind(other))),
    }
}

fn not_allowed(kind: &str) -> Refusal {
    Refusal::new(
        "statement_not_allowed",
        format!("only a single SELECT (or EXPLAIN, SHOW, DESCRIBE) is allowed here; found {kind}"),
    )
}

fn explain_of(kind: &str) -> Refusal {
    Refusal::new(
        "statement_not_allowed",
        format!("EXPLAIN is allowed here only for a SELECT; found EXPLAIN {kind}"),
    )
}

/// `Some("DELETE")` when a query body is a data-modifying statement (`WITH … DELETE …`).
pub(crate) fn dml_kind(body: &SetExpr) -> Option<String> {
    match body {
        SetExpr::Insert(s) | SetExpr::Update(s) | SetExpr::Delete(s) | SetExpr::Merge(s) => {
            Some(statement_kind(s))
        }
        _ => None,
    }
}

/// The leading keywords of a statement, for messages: `INSERT`, `CREATE TABLE`, `SET`.
pub(crate) fn statement_kind(statement: &Statement) -> String {
    const MODIFIERS: &[&str] = &[
        "OR",
        "REPLACE",
        "TEMPORARY",
        "TEMP",
        "UNIQUE",
        "EXTERNAL",
        "MATERIALIZED",
        "UNLOGGED",
        "GLOBAL",
        "LOCAL",
        "SECURE",
        "VIRTUAL",
        "IF",
        "NOT",
        "EXISTS",
    ];
    let text = statement.to_string();
    let mut words = text.split_whitespace();
    let Some(first) = words.next() else {
        return "an empty statement".to_owned();
    };
    let first = first.trim_end_matches(';').to_ascii_uppercase();
    let mut kind = first.clone();
    if matches!(first.as_str(), "CREATE" | "ALTER" | "DROP") {
        for word in words {
            let word = word.to_ascii_uppercase();
            kind.push(' ');
            kind.push_str(&word);
            if !MODIFIERS.contains(&word.as_str()) {
                break;
            }
        }
    }
    kind
}

/// MySQL reads `\'` inside a string as an escaped quote, unless the server runs with
/// `NO_BACKSLASH_ESCAPES`; then the same text ends the string early and what follows is SQL:
/// `SELECT '\'; DROP TABLE t; -- '`. The statement is accepted only if it is also accepted
/// when backslashes are read literally (a backslash replaced by a space marks exactly that
/// reading: same string boundaries, no escape).
fn check_mysql_without_backslash_escapes(sql: &str) -> Result<(), Refusal> {
    if !sql.contains('\\') {
        return Ok(());
    }
    let literal = sql.replace('\\', " ");
    check_parsed(&literal, Dialect::MySql)
        .map(|_| ())
        .map_err(|refusal| Refusal {
            code: refusal.code,
            message: format!(
                "{} (when backslashes in strings are read literally, as MySQL does with \
                 NO_BACKSLASH_ESCAPES; write quotes inside strings as '' instead of \\')",
                refusal.message
            ),
        })
}

/// PostgreSQL reads backslashes in plain `'…'` strings literally (`standard_conforming_strings
/// = on`, the default), but as escapes when that setting is off; then `'a\'` no longer ends
/// where the parser thinks. A plain string whose end would move is refused; `E'…'` strings
/// mean the same under both settings and are the way to write such text.
fn check_postgres_string_literals(sql: &str) -> Result<(), Refusal> {
    if !sql.contains('\\') {
        return Ok(());
    }
    let grammar = PostgreSqlDialect {};
    let tokens = Tokenizer::new(&grammar, sql)
        .with_unescape(false)
        .tokenize()
        .map_err(|e| {
            Refusal::new(
                "sql_parse_error",
                format!("this is not valid PostgreSQL SQL: {e}"),
            )
        })?;
    for token in tokens {
        if let Token::SingleQuotedString(raw) | Token::NationalStringLiteral(raw) = token {
            if string_end_depends_on_backslashes(&raw) {
                return Err(Refusal::new(
                    "ambiguous_string_literal",
                    "a string literal contains a backslash before a quote or at its end, so \
                     where it ends depends on the server setting standard_conforming_strings; \
                     write it as an E'…' string (E'it\\'s') or double the quote ('it''s')",
                ));
            }
        }
    }
    Ok(())
}

/// `raw` is the text between the quotes of a plain string, with `''` kept doubled. Read with
/// backslash escapes, the string ends elsewhere iff some escaping backslash is followed by a
/// quote or by the closing quote.
fn string_end_depends_on_backslashes(raw: &str) -> bool {
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                None | Some('\'') => return true,
                Some(_) => {}
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_string_ending_in_a_backslash_is_ambiguous() {
        assert!(string_end_depends_on_backslashes("a\\"));
        assert!(string_end_depends_on_backslashes("a\\''b"));
        assert!(!string_end_depends_on_backslashes("a\\_b"));
        assert!(!string_end_depends_on_backslashes("a\\\\"));
        assert!(!string_end_depends_on_backslashes("it''s"));
    }

    #[test]
    fn statement_kind_names_the_leading_keywords() {
        let kind = |sql: &str| {
            let statements = parse(sql, Dialect::Postgres).unwrap();
            statement_kind(&statements[0])
        };
        assert_eq!(kind("insert into t values (1)"), "INSERT");
        assert_eq!(kind("create table t (a int)"), "CREATE TABLE");
        assert_eq!(
            kind("create or replace view v as select 1"),
            "CREATE OR REPLACE VIEW"
        );
        assert_eq!(kind("drop table if exists t"), "DROP TABLE");
    }
}
