//! The statement allow-list refuses every attack in the corpora, accepts every allowed
//! statement, names the reason with a stable code, and never panics.

use proost_readonly::{Dialect, allowed_corpus, attack_corpus, check};

const DIALECTS: [Dialect; 4] = [
    Dialect::Postgres,
    Dialect::MySql,
    Dialect::Sqlite,
    Dialect::Engine,
];

fn assert_all_refused(dialect: Dialect, minimum: usize) {
    let corpus = attack_corpus(dialect);
    assert!(
        corpus.len() >= minimum,
        "the {dialect:?} attack corpus has {} entries, fewer than {minimum}",
        corpus.len()
    );
    let slipped: Vec<&str> = corpus
        .iter()
        .copied()
        .filter(|sql| check(sql, dialect).is_ok())
        .collect();
    assert!(
        slipped.is_empty(),
        "{} of {} {dialect:?} attacks were accepted:\n{}",
        slipped.len(),
        corpus.len(),
        slipped.join("\n-- next\n")
    );
}

fn assert_all_accepted(dialect: Dialect) {
    let corpus = allowed_corpus(dialect);
    assert!(
        corpus.len() >= 15,
        "the {dialect:?} allowed corpus has only {} entries",
        corpus.len()
    );
    let refused: Vec<String> = corpus
        .iter()
        .filter_map(|sql| {
            check(sql, dialect)
                .err()
                .map(|r| format!("{sql}\n  => {}: {}", r.code, r.message))
        })
        .collect();
    assert!(
        refused.is_empty(),
        "{} of {} allowed {dialect:?} statements were refused:\n{}",
        refused.len(),
        corpus.len(),
        refused.join("\n")
    );
}

#[test]
fn every_attack_in_the_postgres_corpus_is_refused() {
    assert_all_refused(Dialect::Postgres, 65);
}

#[test]
fn every_attack_in_the_mysql_corpus_is_refused() {
    assert_all_refused(Dialect::MySql, 65);
}

#[test]
fn every_attack_in_the_sqlite_corpus_is_refused() {
    assert_all_refused(Dialect::Sqlite, 65);
}

#[test]
fn every_attack_in_the_engine_corpus_is_refused() {
    assert_all_refused(Dialect::Engine, 30);
}

#[test]
fn every_statement_in_the_postgres_allowed_corpus_is_accepted() {
    assert_all_accepted(Dialect::Postgres);
}

#[test]
fn every_statement_in_the_mysql_allowed_corpus_is_accepted() {
    assert_all_accepted(Dialect::MySql);
}

#[test]
fn every_statement_in_the_sqlite_allowed_corpus_is_accepted() {
    assert_all_accepted(Dialect::Sqlite);
}

#[test]
fn every_statement_in_the_engine_allowed_corpus_is_accepted() {
    assert_all_accepted(Dialect::Engine);
}

fn code(sql: &str, dialect: Dialect) -> &'static str {
    match check(sql, dialect) {
        Ok(statement) => panic!("accepted {sql:?} as {statement}"),
        Err(refusal) => {
            assert!(
                !refusal.message.is_empty(),
                "refusal of {sql:?} has no message"
            );
            refusal.code
        }
    }
}

#[test]
fn each_kind_of_refusal_has_its_stable_code() {
    let cases: &[(&str, Dialect, &str)] = &[
        ("SELEC 1", Dialect::Postgres, "sql_parse_error"),
        (
            "SELECT 1; SELECT 2",
            Dialect::Postgres,
            "multiple_statements",
        ),
        (
            "SELECT 1; DROP TABLE t",
            Dialect::Sqlite,
            "multiple_statements",
        ),
        ("", Dialect::Postgres, "empty_statement"),
        (
            "  -- only a comment\n /* and another */ ",
            Dialect::MySql,
            "empty_statement",
        ),
        (";", Dialect::Sqlite, "empty_statement"),
        (
            "INSERT INTO t VALUES (1)",
            Dialect::Postgres,
            "statement_not_allowed",
        ),
        (
            "SET TRANSACTION READ WRITE",
            Dialect::Postgres,
            "statement_not_allowed",
        ),
        (
            "PRAGMA writable_schema = 1",
            Dialect::Sqlite,
            "statement_not_allowed",
        ),
        (
            "ATTACH DATABASE '/etc/passwd' AS x",
            Dialect::Sqlite,
            "statement_not_allowed",
        ),
        (
            "EXPLAIN ANALYZE SELECT 1",
            Dialect::Postgres,
            "statement_not_allowed",
        ),
        (
            "EXPLAIN (ANALYZE) SELECT 1",
            Dialect::Postgres,
            "statement_not_allowed",
        ),
        ("SELECT * INTO t2 FROM t", Dialect::Postgres, "select_into"),
        ("SELECT 1 INTO @x", Dialect::MySql, "select_into"),
        (
            "SELECT * FROM t INTO OUTFILE '/tmp/t'",
            Dialect::MySql,
            "select_into",
        ),
        (
            "SELECT a INTO DUMPFILE '/tmp/t' FROM t",
            Dialect::MySql,
            "select_into",
        ),
        (
            "WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d",
            Dialect::Postgres,
            "writable_cte",
        ),
        (
            "SELECT a FROM t FOR UPDATE",
            Dialect::Postgres,
            "locking_clause",
        ),
        (
            "SELECT a FROM t FOR SHARE",
            Dialect::MySql,
            "locking_clause",
        ),
        (
            "SELECT nextval('s')",
            Dialect::Postgres,
            "function_not_allowed",
        ),
        (
            "SELECT pg_catalog.set_config('a', 'b', false)",
            Dialect::Postgres,
            "function_not_allowed",
        ),
        (
            "SELECT LOAD_FILE('/etc/passwd')",
            Dialect::MySql,
            "function_not_allowed",
        ),
        (
            "SELECT readfile('/etc/passwd')",
            Dialect::Sqlite,
            "function_not_allowed",
        ),
        (
            "/*!50000 DROP TABLE t*/",
            Dialect::MySql,
            "executable_comment",
        ),
        (
            "SELECT 1 /*M! ; DROP TABLE t */",
            Dialect::MySql,
            "executable_comment",
        ),
        (
            "SELECT /*+ SET_VAR(max_execution_time=0) */ 1",
            Dialect::MySql,
            "executable_comment",
        ),
        (
            "SELECT * FROM '/etc/passwd'",
            Dialect::Engine,
            "file_access",
        ),
        (
            "SELECT * FROM read_csv('/etc/passwd')",
            Dialect::Engine,
            "file_access",
        ),
        (
            "SELECT * FROM my_table_function(1)",
            Dialect::Engine,
            "table_function_not_allowed",
        ),
        (
            "SET datafusion.execution.batch_size = 1",
            Dialect::Engine,
            "engine_option",
        ),
        ("SELECT @x := 1", Dialect::MySql, "variable_assignment"),
        (
            "SELECT 'a\\', pg_sleep(1) --'",
            Dialect::Postgres,
            "function_not_allowed",
        ),
        ("SELECT 'a\\' || 'b'", Dialect::Postgres, "sql_parse_error"),
    ];
    let wrong: Vec<String> = cases
        .iter()
        .filter_map(|(sql, dialect, expected)| {
            let got = code(sql, *dialect);
            (got != *expected)
                .then(|| format!("{dialect:?} {sql:?}: expected {expected}, got {got}"))
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "wrong refusal codes:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn a_refused_function_is_named_in_the_message() {
    let refusal = check(
        "SELECT id FROM public.customers ORDER BY PG_SLEEP(10)",
        Dialect::Postgres,
    )
    .unwrap_err();
    assert_eq!(refusal.code, "function_not_allowed");
    assert!(refusal.message.contains("PG_SLEEP"), "{}", refusal.message);
}

#[test]
fn a_refused_statement_is_named_in_the_message() {
    let refusal = check("insert into orders values (1)", Dialect::MySql).unwrap_err();
    assert_eq!(refusal.code, "statement_not_allowed");
    assert!(refusal.message.contains("INSERT"), "{}", refusal.message);
    assert!(refusal.to_string().contains("INSERT"));
}

#[test]
fn a_parse_error_carries_the_parsers_explanation() {
    let refusal = check("SELECT * FROM orders WHERE", Dialect::Postgres).unwrap_err();
    assert_eq!(refusal.code, "sql_parse_error");
    assert!(refusal.message.contains("Expected"), "{}", refusal.message);
}

#[test]
fn a_single_trailing_semicolon_is_accepted() {
    for dialect in DIALECTS {
        assert!(check("SELECT 1;", dialect).is_ok(), "{dialect:?}");
        assert!(check("SELECT 1 ;\n", dialect).is_ok(), "{dialect:?}");
    }
}

#[test]
fn the_accepted_statement_is_returned_parsed() {
    let statement = check("select id from public.orders", Dialect::Postgres).unwrap();
    assert!(matches!(statement, sqlparser::ast::Statement::Query(_)));
    assert_eq!(statement.to_string(), "SELECT id FROM public.orders");
}

#[test]
fn explain_and_show_of_reads_are_accepted() {
    assert!(check("EXPLAIN SELECT * FROM public.orders", Dialect::Postgres).is_ok());
    assert!(check("EXPLAIN SELECT * FROM orders", Dialect::MySql).is_ok());
    assert!(check("EXPLAIN QUERY PLAN SELECT * FROM orders", Dialect::Sqlite).is_ok());
    assert!(check("SHOW TABLES", Dialect::Engine).is_ok());
    assert!(check("SHOW search_path", Dialect::Postgres).is_ok());
    assert!(check("DESCRIBE customers", Dialect::MySql).is_ok());
}

#[test]
fn mysql_strings_are_checked_as_if_backslashes_were_literal_too() {
    // Accepted by a parser that reads \' as an escaped quote, but under NO_BACKSLASH_ESCAPES
    // the string ends at the backslash and the rest is SQL.
    let refusal = check("SELECT '\\'; DROP TABLE customers; -- '", Dialect::MySql).unwrap_err();
    assert_eq!(refusal.code, "multiple_statements");
    assert!(refusal.message.contains("NO_BACKSLASH_ESCAPES"));
    let refusal = check("SELECT 'x\\', SLEEP(100) -- '", Dialect::MySql).unwrap_err();
    assert_eq!(refusal.code, "function_not_allowed");
    // A backslash that escapes nothing dangerous stays fine.
    assert!(check("SELECT 'a\\_b' LIKE 'a\\_%'", Dialect::MySql).is_ok());
}

/// Both readings may be valid single SELECTs and still mean different things: one of them
/// reads a table the other does not mention. Such a statement is refused in both dialects.
#[test]
fn a_statement_that_reads_two_ways_is_refused() {
    for (sql, dialect) in [
        // MySQL by default: one string; with NO_BACKSLASH_ESCAPES: a string, then a
        // subquery on `vault`.
        (
            "SELECT id FROM people WHERE name = 'x\\' OR (SELECT secret FROM vault) = 1 -- '",
            Dialect::MySql,
        ),
        // PostgreSQL with standard_conforming_strings on: the string ends at the backslash
        // and a subquery follows; off: one string.
        (
            "SELECT id FROM people WHERE name = 'x\\' OR (SELECT secret FROM vault) = 1 -- '",
            Dialect::Postgres,
        ),
    ] {
        let refusal = check(sql, dialect).unwrap_err();
        assert_eq!(refusal.code, "ambiguous_string", "{dialect:?}: {refusal}");
    }
    // Readings that differ only in a string's value stay accepted.
    assert!(check("SELECT 'C:\\\\temp'", Dialect::MySql).is_ok());
    assert!(check("SELECT 'C:\\temp'", Dialect::Postgres).is_ok());
}
#[test]
fn garbage_input_is_refused_without_panicking() {
    let deep_parens = format!("SELECT {}1{}", "(".repeat(5000), ")".repeat(5000));
    let deep_subqueries = format!(
        "SELECT * FROM {}t{}",
        "(SELECT * FROM ".repeat(2000),
        ") x".repeat(2000)
    );
    let long_list = format!("SELECT {}", vec!["1"; 20_000].join(", "));
    let garbage: Vec<String> = vec![
        String::new(),
        " ".into(),
        ";".into(),
        ";;;;".into(),
        "--".into(),
        "/*".into(),
        "/* unterminated".into(),
        "*/".into(),
        "'".into(),
        "\"".into(),
        "`".into(),
        "$$".into(),
        "$a$ unterminated".into(),
        "E'\\".into(),
        "\\".into(),
        "\u{0}".into(),
        "\u{feff}SELECT 1".into(),
        "SELECT '\u{0}'".into(),
        "SELECT 1 /".into(),
        "SELECT ((((((".into(),
        "))))".into(),
        "SELECT * FROM".into(),
        "WITH".into(),
        "WITH x AS (".into(),
        "EXPLAIN".into(),
        "EXPLAIN (".into(),
        "SHOW".into(),
        "/*!".into(),
        "/*M!".into(),
        "/*+".into(),
        "#".into(),
        "@@".into(),
        "::".into(),
        "SELECT 1e999999999999".into(),
        "SELECT 99999999999999999999999999999999999999999999".into(),
        "ＳＥＬＥＣＴ １".into(),
        "SELECT 'é' AS \"ñ\"".into(),
        "SELECT '\u{10ffff}'".into(),
        "\u{202e}SELECT 1".into(),
        deep_parens,
        deep_subqueries,
        long_list,
        "x".repeat(100_000),
        "'".repeat(10_001),
        "(".repeat(100_000),
    ];
    for dialect in DIALECTS {
        for sql in &garbage {
            // Any outcome but a panic is fine; most of these are refused.
            let outcome = std::panic::catch_unwind(|| check(sql, dialect));
            let shown: String = sql.chars().take(60).collect();
            assert!(outcome.is_ok(), "{dialect:?} panicked on {shown:?}");
        }
    }
}

#[test]
fn deep_nesting_is_checked_on_a_small_thread_stack() {
    // Tokio worker threads have 2 MiB stacks; the check must fit in one at the deepest
    // nesting the parser lets through.
    let handle = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(|| {
            for depth in [10, 20, 30, 39, 40, 41, 60, 1000] {
                let parens = format!("SELECT {}1{}", "(".repeat(depth), ")".repeat(depth));
                let subqueries = format!(
                    "SELECT * FROM {}public.orders{}",
                    "(SELECT * FROM ".repeat(depth),
                    ") x".repeat(depth)
                );
                let functions = format!("SELECT {}1{}", "abs(".repeat(depth), ")".repeat(depth));
                let hidden = format!(
                    "SELECT {}pg_sleep(1){}",
                    "coalesce(".repeat(depth),
                    ")".repeat(depth)
                );
                for dialect in DIALECTS {
                    let _ = check(&parens, dialect);
                    let _ = check(&subqueries, dialect);
                    let _ = check(&functions, dialect);
                }
                assert!(check(&hidden, Dialect::Postgres).is_err());
            }
        })
        .unwrap();
    handle.join().unwrap();
}

#[test]
fn pathological_nesting_is_refused_or_accepted_quickly() {
    // sqlparser backtracks, and these shapes made it take time exponential in their depth.
    let shapes: &[(&str, &str)] = &[
        ("abs(", ")"),
        ("coalesce(1, ", ")"),
        ("POSITION(", " IN 'b')"),
        ("CAST(", " AS int)"),
        ("ARRAY[", "]"),
        ("CASE (", ") WHEN 1 THEN 1 END"),
        ("NOT (", ")"),
        ("INTERVAL (", ")"),
        ("CONVERT(", ", int)"),
        ("substring(", " FROM 1)"),
        ("ROW(", ")"),
        ("x.y(", ")"),
    ];
    let started = std::time::Instant::now();
    for (open, close) in shapes {
        for depth in [12, 24, 37, 38, 40, 200] {
            let sql = format!("SELECT {}1{}", open.repeat(depth), close.repeat(depth));
            for dialect in DIALECTS {
                let one = std::time::Instant::now();
                let _ = check(&sql, dialect);
                let took = one.elapsed();
                assert!(
                    took < std::time::Duration::from_secs(5),
                    "{dialect:?} took {took:?} on {open:?} nested {depth} deep"
                );
            }
        }
    }
    eprintln!("pathological shapes checked in {:?}", started.elapsed());
}

#[test]
fn large_ordinary_queries_are_accepted() {
    let wide = format!(
        "SELECT {} FROM orders",
        vec!["round(sum(coalesce(amount, 0)) / nullif(count(*), 0), 2)"; 500].join(", ")
    );
    let long_in = format!(
        "SELECT id FROM orders WHERE customer_id IN ({})",
        (0..5000)
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let nested = format!(
        "SELECT {}amount{} FROM orders",
        "abs(".repeat(30),
        ")".repeat(30)
    );
    for dialect in DIALECTS {
        for sql in [&wide, &long_in, &nested] {
            if let Err(refusal) = check(sql, dialect) {
                panic!(
                    "{dialect:?} refused a large ordinary query: {}",
                    refusal.message
                );
            }
        }
    }
}
