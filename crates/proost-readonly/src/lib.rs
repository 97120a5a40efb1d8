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
mod grammar;
mod walk;

use sqlparser::ast::{SetExpr, Statement};
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Token, Tokenizer};

use grammar::{Backslashes, Grammar};

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

/// Quotes an identifier for `dialect`, doubling the quote character inside, so any name
/// (quotes, spaces, semicolons, backslashes) stays one identifier. The only place Proost
/// formats a name into SQL.
pub fn quote_identifier(dialect: Dialect, name: &str) -> String {
    let quote = match dialect {
        Dialect::MySql => '`',
        Dialect::Postgres | Dialect::Sqlite | Dialect::Engine => '"',
    };
    let doubled = name.replace(quote, &format!("{quote}{quote}"));
    format!("{quote}{doubled}{quote}")
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

/// Nesting deeper than this is refused as a parse error (sqlparser's default is 50). It
/// bounds the depth of the syntax tree, which is walked recursively, and no real report nests
/// this deep.
const RECURSION_LIMIT: usize = 40;

/// Accepts exactly one read-only query statement; returns it parsed.
///
/// Accepted: a query (`SELECT`, `VALUES`, `WITH … SELECT`, set operations); `EXPLAIN` (or
/// `DESCRIBE`) of such a query without `ANALYZE`; `DESCRIBE table`; and the `SHOW` statements
/// that only read (`SHOW TABLES`, `SHOW COLUMNS`, `SHOW search_path`, …; not
/// `SHOW PROCESSLIST`). Callers that want rows from tables only should additionally match on
/// [`Statement::Query`].
///
/// Refused, whatever the dialect: a second statement, any statement that is not one of the
/// above, a data-modifying statement anywhere inside a query, `SELECT … INTO`, `FOR UPDATE` /
/// `FOR SHARE`, deny-listed functions anywhere, MySQL executable comments and optimizer hints
/// (`/*!`, `/*M!`, `/*+` anywhere in the text, even inside a string literal), and, for
/// MySQL and PostgreSQL, text whose meaning depends on how the server reads backslashes in
/// strings. For [`Dialect::Engine`] also: table names that are paths or URLs, functions that
/// read files, table functions other than `generate_series`, `range` and `unnest`, and `SET`.
///
/// Never panics, and takes time roughly linear in the length of the input, whatever it is.
pub fn check(sql: &str, dialect: Dialect) -> Result<Statement, Refusal> {
    refuse_comments_the_server_executes(sql)?;
    let statement = check_parsed(sql, dialect, Backslashes::AsDialectDefault)?;
    check_other_backslash_reading(sql, dialect, &statement)?;
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

/// Parsing work allowed per byte of input, on top of a fixed allowance; see `grammar`.
/// Ordinary SQL uses about one unit per six bytes.
const FUEL_PER_BYTE: usize = 2;
const FUEL_BASE: usize = 5_000;

fn parse(sql: &str, dialect: Dialect, backslashes: Backslashes) -> Result<Vec<Statement>, Refusal> {
    let fuel = FUEL_BASE.saturating_add(sql.len().saturating_mul(FUEL_PER_BYTE));
    let grammar = Grammar::new(dialect, backslashes, fuel);
    let parsed = Parser::new(&grammar)
        .with_recursion_limit(RECURSION_LIMIT)
        .try_with_sql(sql)
        .and_then(|mut parser| parser.parse_statements());
    parsed.map_err(|error| {
        let message = if grammar.ran_out_of_fuel() {
            "this SQL is nested too deeply to check; simplify it, for example by moving nested \
             expressions into a WITH clause"
                .to_owned()
        } else {
            let detail = match error {
                ParserError::RecursionLimitExceeded => {
                    format!("it nests deeper than {RECURSION_LIMIT} levels")
                }
                ParserError::TokenizerError(m) | ParserError::ParserError(m) => m,
            };
            format!("this is not valid {} SQL: {detail}", dialect.label())
        };
        if writes_into_a_file(&grammar, sql) {
            return select_into_file();
        }
        Refusal::new("sql_parse_error", message)
    })
}

/// sqlparser does not know MySQL's `SELECT … INTO OUTFILE/DUMPFILE 'path'` and fails on it;
/// such text gets the refusal that names the actual problem.
fn writes_into_a_file(grammar: &Grammar, sql: &str) -> bool {
    let Ok(tokens) = Tokenizer::new(grammar, sql).tokenize() else {
        return false;
    };
    let mut words = tokens.iter().filter_map(|token| match token {
        Token::Whitespace(_) => None,
        Token::Word(word) if word.quote_style.is_none() => Some(Some(word.value.as_str())),
        _ => Some(None),
    });
    let mut previous_was_into = false;
    words.any(|word| {
        let into_a_file = previous_was_into
            && word.is_some_and(|w| {
                w.eq_ignore_ascii_case("OUTFILE") || w.eq_ignore_ascii_case("DUMPFILE")
            });
        previous_was_into = word.is_some_and(|w| w.eq_ignore_ascii_case("INTO"));
        into_a_file
    })
}

fn select_into_file() -> Refusal {
    Refusal::new(
        "select_into",
        "SELECT … INTO OUTFILE/DUMPFILE is not allowed: it writes the result to a file on the \
         database server. Remove the INTO clause and export from Proost instead",
    )
}

fn check_parsed(
    sql: &str,
    dialect: Dialect,
    backslashes: Backslashes,
) -> Result<Statement, Refusal> {
    let mut statements = parse(sql, dialect, backslashes)?;
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
    if matches!(first.as_str(), "SET" | "START") {
        if let Some(word) = words.next() {
            let word = word.to_ascii_uppercase();
            if matches!(
                word.as_str(),
                "TRANSACTION" | "SESSION" | "GLOBAL" | "LOCAL" | "PERSIST"
            ) {
                kind.push(' ');
                kind.push_str(&word);
            }
        }
    } else if matches!(first.as_str(), "CREATE" | "ALTER" | "DROP") {
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

/// Where a string literal ends depends on a server setting when it contains a backslash:
/// MySQL reads `\'` as an escaped quote unless it runs with `NO_BACKSLASH_ESCAPES`, and
/// PostgreSQL reads backslashes literally unless `standard_conforming_strings` is off. Read
/// the other way, `SELECT '\'; DROP TABLE t; -- '` is two statements, and
/// `SELECT 'a\' OR (SELECT secret FROM t) = 1 -- '` reads another table. Proost sets the
/// setting on every session, so the server reads as [`check`] does; as a second lock, a
/// statement with a backslash is accepted only if, read the other way, it is accepted too
/// and has the same structure (only the values of its string literals may differ).
fn check_other_backslash_reading(
    sql: &str,
    dialect: Dialect,
    statement: &Statement,
) -> Result<(), Refusal> {
    let (other, setting) = match dialect {
        Dialect::MySql => (
            Backslashes::Literal,
            "as MySQL does with NO_BACKSLASH_ESCAPES",
        ),
        Dialect::Postgres => (
            Backslashes::Escape,
            "as PostgreSQL does with standard_conforming_strings off",
        ),
        // Neither SQLite nor the engine has such a setting.
        Dialect::Sqlite | Dialect::Engine => return Ok(()),
    };
    if !sql.contains('\\') {
        return Ok(());
    }
    let read_otherwise = match check_parsed(sql, dialect, other) {
        Ok(s) => s,
        Err(refusal) => {
            return Err(Refusal {
                code: refusal.code,
                message: format!(
                    "{} (when backslashes in strings are read the other way, {setting}); write a \
                     quote inside a string as '' rather than \\'",
                    refusal.message
                ),
            });
        }
    };
    if without_string_values(statement.clone()) != without_string_values(read_otherwise) {
        return Err(Refusal::new(
            "ambiguous_string",
            format!(
                "this statement means something else when backslashes in strings are read the \
                 other way ({setting}): a string ends in a different place. Write a quote \
                 inside a string as '' rather than \\'"
            ),
        ));
    }
    Ok(())
}

/// The statement with every string literal emptied: two readings that differ only in
/// the values of their strings have the same structure.
fn without_string_values(mut statement: Statement) -> Statement {
    use sqlparser::ast::{Value, ValueWithSpan, VisitMut, VisitorMut};
    use std::ops::ControlFlow;
    struct Blank;
    impl VisitorMut for Blank {
        type Break = ();
        fn pre_visit_value(&mut self, v: &mut ValueWithSpan) -> ControlFlow<()> {
            match &mut v.value {
                Value::SingleQuotedString(s)
                | Value::DoubleQuotedString(s)
                | Value::EscapedStringLiteral(s)
                | Value::UnicodeStringLiteral(s)
                | Value::NationalStringLiteral(s)
                | Value::HexStringLiteral(s)
                | Value::SingleQuotedByteStringLiteral(s)
                | Value::DoubleQuotedByteStringLiteral(s)
                | Value::TripleSingleQuotedString(s)
                | Value::TripleDoubleQuotedString(s)
                | Value::SingleQuotedRawStringLiteral(s)
                | Value::DoubleQuotedRawStringLiteral(s) => s.clear(),
                _ => {}
            }
            ControlFlow::Continue(())
        }
    }
    let _ = statement.visit(&mut Blank);
    statement
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statement_kind_names_the_leading_keywords() {
        let kind = |sql: &str| {
            let statements =
                parse(sql, Dialect::Postgres, Backslashes::AsDialectDefault).expect("test setup");
            statement_kind(&statements[0])
        };
        assert_eq!(kind("insert into t values (1)"), "INSERT");
        assert_eq!(kind("create table t (a int)"), "CREATE TABLE");
        assert_eq!(
            kind("create or replace view v as select 1"),
            "CREATE OR REPLACE VIEW"
        );
        assert_eq!(kind("drop table if exists t"), "DROP TABLE");
        assert_eq!(kind("set transaction read write"), "SET TRANSACTION");
        assert_eq!(kind("set search_path = x"), "SET");
    }

    /// The wrapped grammar must parse exactly like sqlparser's own dialect, or the check
    /// would judge a statement other than the one the server runs.
    #[test]
    fn the_wrapped_grammar_parses_the_corpora_like_the_bare_dialect() {
        for dialect in [
            Dialect::Postgres,
            Dialect::MySql,
            Dialect::Sqlite,
            Dialect::Engine,
        ] {
            let bare = Grammar::bare(dialect);
            for sql in attack_corpus(dialect)
                .into_iter()
                .chain(allowed_corpus(dialect))
            {
                let ours = parse(sql, dialect, Backslashes::AsDialectDefault);
                let theirs = Parser::parse_sql(bare.as_ref(), sql);
                match (ours, theirs) {
                    (Ok(ours), Ok(theirs)) => assert_eq!(ours, theirs, "{dialect:?}: {sql}"),
                    (Err(_), Err(_)) => {}
                    (ours, theirs) => panic!(
                        "{dialect:?} parses differ for {sql}:\nwrapped: {ours:?}\nbare: {theirs:?}"
                    ),
                }
            }
        }
    }
}
