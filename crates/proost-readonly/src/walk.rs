//! The walk over the whole syntax tree: whatever the top-level statement is, nothing inside
//! it may write, lock, read files or call a deny-listed function.

use std::ops::ControlFlow;

use sqlparser::ast::{
    BinaryOperator, Expr, Ident, ObjectName, ObjectNamePart, Query, Select, Statement, TableFactor,
    Visit, Visitor,
};

use crate::deny::{self, Denied};
use crate::{Dialect, Refusal, statement_kind};

pub(crate) fn check_tree(statement: &Statement, dialect: Dialect) -> Result<(), Refusal> {
    let mut walk = Walk {
        dialect,
        statements_seen: 0,
    };
    match statement.visit(&mut walk) {
        ControlFlow::Break(refusal) => Err(refusal),
        ControlFlow::Continue(()) => Ok(()),
    }
}

struct Walk {
    dialect: Dialect,
    statements_seen: usize,
}

impl Visitor for Walk {
    type Break = Refusal;

    fn pre_visit_statement(&mut self, statement: &Statement) -> ControlFlow<Refusal> {
        self.statements_seen += 1;
        // The first statement is the top level, judged by the allow-list already.
        if self.statements_seen == 1 {
            return ControlFlow::Continue(());
        }
        match statement {
            Statement::Query(_) => ControlFlow::Continue(()),
            // `WITH gone AS (DELETE … RETURNING *) SELECT …`: PostgreSQL runs the DELETE even
            // though the statement is a SELECT.
            Statement::Insert(_)
            | Statement::Update(_)
            | Statement::Delete(_)
            | Statement::Merge(_) => ControlFlow::Break(Refusal::new(
                "writable_cte",
                format!(
                    "a query may not contain a data-modifying statement; found {} inside the \
                     query. Only SELECT is allowed in a WITH clause or subquery",
                    statement_kind(statement)
                ),
            )),
            other => ControlFlow::Break(Refusal::new(
                "statement_not_allowed",
                format!(
                    "a query may not contain another kind of statement; found {} inside it",
                    statement_kind(other)
                ),
            )),
        }
    }

    fn pre_visit_query(&mut self, query: &Query) -> ControlFlow<Refusal> {
        if let Some(lock) = query.locks.first() {
            return ControlFlow::Break(Refusal::new(
                "locking_clause",
                format!(
                    "{lock} is not allowed: it takes row locks, which block writers on the \
                     source. Remove the locking clause"
                ),
            ));
        }
        if query.settings.is_some() {
            return ControlFlow::Break(Refusal::new(
                if self.dialect == Dialect::Engine {
                    "engine_option"
                } else {
                    "statement_not_allowed"
                },
                "a SETTINGS clause is not allowed: it changes engine options for the query",
            ));
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_select(&mut self, select: &Select) -> ControlFlow<Refusal> {
        if let Some(into) = &select.into {
            return ControlFlow::Break(Refusal::new(
                "select_into",
                format!(
                    "SELECT … INTO {} is not allowed: it writes the result into a table or \
                     variable. Remove the INTO clause",
                    into.name
                ),
            ));
        }
        if !select.optimizer_hints.is_empty() {
            return ControlFlow::Break(crate::optimizer_hint());
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_expr(&mut self, expr: &Expr) -> ControlFlow<Refusal> {
        match expr {
            Expr::Function(function) => self.function(&function.name, Position::Expression),
            // MySQL `@total := @total + amount` changes session state that outlives the query
            // on a pooled connection.
            Expr::BinaryOp {
                op: BinaryOperator::Assignment,
                ..
            } => ControlFlow::Break(Refusal::new(
                "variable_assignment",
                "assigning variables (@name := …) is not allowed in a query; use a window \
                 function or a CTE instead",
            )),
            _ => ControlFlow::Continue(()),
        }
    }

    fn pre_visit_table_factor(&mut self, factor: &TableFactor) -> ControlFlow<Refusal> {
        match factor {
            TableFactor::Table {
                name,
                args: Some(_),
                ..
            }
            | TableFactor::Function { name, .. } => self.function(name, Position::From),
            TableFactor::TableFunction {
                expr: Expr::Function(function),
                ..
            } => self.function(&function.name, Position::From),
            _ => ControlFlow::Continue(()),
        }
    }

    fn pre_visit_relation(&mut self, relation: &ObjectName) -> ControlFlow<Refusal> {
        match self.dialect {
            Dialect::Engine => match check_engine_relation(relation) {
                Ok(()) => ControlFlow::Continue(()),
                Err(refusal) => ControlFlow::Break(refusal),
            },
            // SQLite table-valued functions can be read as plain tables, their arguments
            // given as WHERE constraints: `SELECT * FROM fsdir WHERE name = '/etc'`.
            Dialect::Sqlite => self.function(relation, Position::From),
            Dialect::Postgres | Dialect::MySql => ControlFlow::Continue(()),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Position {
    Expression,
    From,
}

impl Walk {
    fn function(&self, name: &ObjectName, position: Position) -> ControlFlow<Refusal> {
        let parts = name_parts(name);
        let shown = name.to_string();
        match deny::function(self.dialect, &parts) {
            Some(Denied::Function(reason)) => {
                return ControlFlow::Break(Refusal::new(
                    "function_not_allowed",
                    format!("the function {shown} is not allowed here: it {reason}"),
                ));
            }
            Some(Denied::FileAccess) => {
                return ControlFlow::Break(file_access(&shown));
            }
            None => {}
        }
        if self.dialect == Dialect::Engine
            && position == Position::From
            && !deny::engine_table_function_allowed(&parts)
        {
            return ControlFlow::Break(Refusal::new(
                "table_function_not_allowed",
                format!(
                    "the table function {shown} is not allowed here; query the tables of the \
                     catalog (generate_series, range and unnest are available)"
                ),
            ));
        }
        ControlFlow::Continue(())
    }
}

/// Lower-cased name parts, stripped of surrounding whitespace of any kind, so that neither
/// `PG_SLEEP` nor a quoted `"pg_sleep "` slips past the deny-list.
fn name_parts(name: &ObjectName) -> Vec<String> {
    name.0
        .iter()
        .map(|part| match part {
            ObjectNamePart::Identifier(ident) => normalise(&ident.value),
            ObjectNamePart::Function(function) => normalise(&function.to_string()),
        })
        .collect()
}

fn normalise(text: &str) -> String {
    text.trim_matches(|c: char| c.is_whitespace() || c.is_control())
        .to_lowercase()
}

fn file_access(shown: &str) -> Refusal {
    Refusal::new(
        "file_access",
        format!(
            "reading files or URLs from a query is not allowed here (found {shown}); query the \
             tables of the catalog instead"
        ),
    )
}

/// With DataFusion's dynamic file catalog a table name can be a path or a URL:
/// `SELECT * FROM '/etc/passwd'`, `FROM "s3://bucket/x.parquet"`. Governed tables have plain
/// names, so any name that looks like a location is refused.
pub(crate) fn check_engine_relation(relation: &ObjectName) -> Result<(), Refusal> {
    for part in &relation.0 {
        let looks_like_a_location = match part {
            ObjectNamePart::Identifier(ident) => ident_looks_like_a_location(ident),
            ObjectNamePart::Function(_) => true,
        };
        if looks_like_a_location {
            return Err(file_access(&relation.to_string()));
        }
    }
    Ok(())
}

fn ident_looks_like_a_location(ident: &Ident) -> bool {
    if ident.quote_style == Some('\'') {
        return true;
    }
    ident
        .value
        .chars()
        .any(|c| matches!(c, '/' | '\\' | ':' | '.' | '~' | '*' | '?' | '%'))
}
