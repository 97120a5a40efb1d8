//! The sqlparser grammar each [`crate::Dialect`] is parsed with, wrapped so that parsing stays
//! bounded and so that a string can be read the way a differently configured server reads it.
//!
//! sqlparser backtracks: when a reading of a construct fails it retries another, and some
//! retries nest, so certain inputs take time exponential in their nesting depth
//! (`SELECT POSITION(POSITION(… IN 'b') IN 'b')`, `CAST(CAST(…))` at the recursion limit,
//! nested function calls in PostgreSQL). A few kilobytes of such SQL would hang the check.
//! Every expression the parser starts goes through [`Dialect::parse_prefix`], so the wrapper
//! counts those calls against a budget proportional to the input; when it is spent, every
//! further attempt fails at once and the whole parse unwinds in linear time.
//!
//! Every other method delegates to the base dialect, including [`Dialect::dialect`], so the
//! parser's `dialect_of!` checks still see PostgreSQL, MySQL, SQLite or generic SQL. The list
//! mirrors the `Dialect` trait of sqlparser 0.62; the tests compare parses with the bare base
//! dialects to catch a drift.

use std::any::TypeId;
use std::cell::Cell;
use std::iter::Peekable;
use std::str::Chars;

use sqlparser::ast::{ColumnOption, Expr, GranteesType, Ident, ObjectNamePart, Statement};
use sqlparser::dialect::{
    Dialect, GenericDialect, MySqlDialect, PostgreSqlDialect, Precedence, SQLiteDialect,
};
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};

/// How the server reads a backslash inside a string literal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Backslashes {
    /// As the dialect's defaults say: escapes in MySQL, literal in PostgreSQL (with
    /// `standard_conforming_strings = on`), SQLite and generic SQL.
    AsDialectDefault,
    /// As an escape character (PostgreSQL with `standard_conforming_strings = off`).
    Escape,
    /// As an ordinary character (MySQL with `NO_BACKSLASH_ESCAPES`).
    Literal,
}

#[derive(Debug)]
pub(crate) struct Grammar {
    base: Box<dyn Dialect>,
    backslashes: Backslashes,
    fuel: Cell<usize>,
    out_of_fuel: Cell<bool>,
}

impl Grammar {
    pub(crate) fn new(dialect: crate::Dialect, backslashes: Backslashes, fuel: usize) -> Self {
        let base: Box<dyn Dialect> = match dialect {
            crate::Dialect::Postgres => Box::new(PostgreSqlDialect {}),
            crate::Dialect::MySql => Box::new(MySqlDialect {}),
            crate::Dialect::Sqlite => Box::new(SQLiteDialect {}),
            crate::Dialect::Engine => Box::new(GenericDialect {}),
        };
        Grammar {
            base,
            backslashes,
            fuel: Cell::new(fuel),
            out_of_fuel: Cell::new(false),
        }
    }

    /// True when the parse was cut short because the input was too costly to parse.
    pub(crate) fn ran_out_of_fuel(&self) -> bool {
        self.out_of_fuel.get()
    }

    #[cfg(test)]
    pub(crate) fn bare(dialect: crate::Dialect) -> Box<dyn Dialect> {
        Grammar::new(dialect, Backslashes::AsDialectDefault, 0).base
    }
}

impl Dialect for Grammar {
    fn dialect(&self) -> TypeId {
        self.base.dialect()
    }

    fn parse_prefix(&self, parser: &mut Parser) -> Option<Result<Expr, ParserError>> {
        match self.fuel.get().checked_sub(1) {
            Some(left) => {
                self.fuel.set(left);
                self.base.parse_prefix(parser)
            }
            None => {
                self.out_of_fuel.set(true);
                // Not swallowed by `maybe_parse`, so most retries stop at once.
                Some(Err(ParserError::RecursionLimitExceeded))
            }
        }
    }

    fn supports_string_literal_backslash_escape(&self) -> bool {
        match self.backslashes {
            Backslashes::AsDialectDefault => self.base.supports_string_literal_backslash_escape(),
            Backslashes::Escape => true,
            Backslashes::Literal => false,
        }
    }

    /// PostgreSQL's `json_object('label': value)` makes sqlparser first try every function
    /// argument as `expression : value` and then again as a plain expression: twice the work
    /// per level of nested calls. Named arguments stay readable with plain identifier names
    /// (`f(name => value)`); an expression as a label is given up.
    fn supports_named_fn_args_with_expr_name(&self) -> bool {
        false
    }

    // Everything below delegates to the base dialect unchanged.

    fn is_delimited_identifier_start(&self, a0: char) -> bool {
        self.base.is_delimited_identifier_start(a0)
    }

    fn is_nested_delimited_identifier_start(&self, a0: char) -> bool {
        self.base.is_nested_delimited_identifier_start(a0)
    }

    fn peek_nested_delimited_identifier_quotes(
        &self,
        a0: Peekable<Chars<'_>>,
    ) -> Option<(char, Option<char>)> {
        self.base.peek_nested_delimited_identifier_quotes(a0)
    }

    fn identifier_quote_style(&self, a0: &str) -> Option<char> {
        self.base.identifier_quote_style(a0)
    }

    fn is_identifier_start(&self, a0: char) -> bool {
        self.base.is_identifier_start(a0)
    }

    fn is_identifier_part(&self, a0: char) -> bool {
        self.base.is_identifier_part(a0)
    }

    fn is_custom_operator_part(&self, a0: char) -> bool {
        self.base.is_custom_operator_part(a0)
    }

    fn ignores_wildcard_escapes(&self) -> bool {
        self.base.ignores_wildcard_escapes()
    }

    fn supports_unicode_string_literal(&self) -> bool {
        self.base.supports_unicode_string_literal()
    }

    fn supports_filter_during_aggregation(&self) -> bool {
        self.base.supports_filter_during_aggregation()
    }

    fn supports_window_clause_named_window_reference(&self) -> bool {
        self.base.supports_window_clause_named_window_reference()
    }

    fn supports_within_after_array_aggregation(&self) -> bool {
        self.base.supports_within_after_array_aggregation()
    }

    fn supports_partition_by_after_order_by(&self) -> bool {
        self.base.supports_partition_by_after_order_by()
    }

    fn supports_array_join_syntax(&self) -> bool {
        self.base.supports_array_join_syntax()
    }

    fn supports_group_by_expr(&self) -> bool {
        self.base.supports_group_by_expr()
    }

    fn supports_group_by_with_modifier(&self) -> bool {
        self.base.supports_group_by_with_modifier()
    }

    fn supports_left_associative_joins_without_parens(&self) -> bool {
        self.base.supports_left_associative_joins_without_parens()
    }

    fn supports_outer_join_operator(&self) -> bool {
        self.base.supports_outer_join_operator()
    }

    fn supports_cross_join_constraint(&self) -> bool {
        self.base.supports_cross_join_constraint()
    }

    fn supports_connect_by(&self) -> bool {
        self.base.supports_connect_by()
    }

    fn supports_execute_immediate(&self) -> bool {
        self.base.supports_execute_immediate()
    }

    fn supports_match_recognize(&self) -> bool {
        self.base.supports_match_recognize()
    }

    fn supports_in_empty_list(&self) -> bool {
        self.base.supports_in_empty_list()
    }

    fn supports_start_transaction_modifier(&self) -> bool {
        self.base.supports_start_transaction_modifier()
    }

    fn supports_end_transaction_modifier(&self) -> bool {
        self.base.supports_end_transaction_modifier()
    }

    fn supports_named_fn_args_with_eq_operator(&self) -> bool {
        self.base.supports_named_fn_args_with_eq_operator()
    }

    fn supports_named_fn_args_with_colon_operator(&self) -> bool {
        self.base.supports_named_fn_args_with_colon_operator()
    }

    fn supports_named_fn_args_with_assignment_operator(&self) -> bool {
        self.base.supports_named_fn_args_with_assignment_operator()
    }

    fn supports_named_fn_args_with_rarrow_operator(&self) -> bool {
        self.base.supports_named_fn_args_with_rarrow_operator()
    }

    fn supports_numeric_prefix(&self) -> bool {
        self.base.supports_numeric_prefix()
    }

    fn supports_numeric_literal_underscores(&self) -> bool {
        self.base.supports_numeric_literal_underscores()
    }

    fn supports_window_function_null_treatment_arg(&self) -> bool {
        self.base.supports_window_function_null_treatment_arg()
    }

    fn supports_dictionary_syntax(&self) -> bool {
        self.base.supports_dictionary_syntax()
    }

    fn support_map_literal_syntax(&self) -> bool {
        self.base.support_map_literal_syntax()
    }

    fn supports_lambda_functions(&self) -> bool {
        self.base.supports_lambda_functions()
    }

    fn supports_parenthesized_set_variables(&self) -> bool {
        self.base.supports_parenthesized_set_variables()
    }

    fn supports_comma_separated_set_assignments(&self) -> bool {
        self.base.supports_comma_separated_set_assignments()
    }

    fn supports_update_order_by(&self) -> bool {
        self.base.supports_update_order_by()
    }

    fn supports_select_wildcard_except(&self) -> bool {
        self.base.supports_select_wildcard_except()
    }

    fn convert_type_before_value(&self) -> bool {
        self.base.convert_type_before_value()
    }

    fn supports_triple_quoted_string(&self) -> bool {
        self.base.supports_triple_quoted_string()
    }

    fn supports_trailing_commas(&self) -> bool {
        self.base.supports_trailing_commas()
    }

    fn supports_limit_comma(&self) -> bool {
        self.base.supports_limit_comma()
    }

    fn supports_string_literal_concatenation(&self) -> bool {
        self.base.supports_string_literal_concatenation()
    }

    fn supports_string_literal_concatenation_with_newline(&self) -> bool {
        self.base
            .supports_string_literal_concatenation_with_newline()
    }

    fn supports_projection_trailing_commas(&self) -> bool {
        self.base.supports_projection_trailing_commas()
    }

    fn supports_from_trailing_commas(&self) -> bool {
        self.base.supports_from_trailing_commas()
    }

    fn supports_column_definition_trailing_commas(&self) -> bool {
        self.base.supports_column_definition_trailing_commas()
    }

    fn supports_object_name_double_dot_notation(&self) -> bool {
        self.base.supports_object_name_double_dot_notation()
    }

    fn supports_struct_literal(&self) -> bool {
        self.base.supports_struct_literal()
    }

    fn supports_empty_projections(&self) -> bool {
        self.base.supports_empty_projections()
    }

    fn supports_select_expr_star(&self) -> bool {
        self.base.supports_select_expr_star()
    }

    fn supports_from_first_select(&self) -> bool {
        self.base.supports_from_first_select()
    }

    fn supports_from_first_insert(&self) -> bool {
        self.base.supports_from_first_insert()
    }

    fn supports_pipe_operator(&self) -> bool {
        self.base.supports_pipe_operator()
    }

    fn supports_user_host_grantee(&self) -> bool {
        self.base.supports_user_host_grantee()
    }

    fn supports_match_against(&self) -> bool {
        self.base.supports_match_against()
    }

    fn supports_select_wildcard_exclude(&self) -> bool {
        self.base.supports_select_wildcard_exclude()
    }

    fn supports_select_exclude(&self) -> bool {
        self.base.supports_select_exclude()
    }

    fn supports_create_table_multi_schema_info_sources(&self) -> bool {
        self.base.supports_create_table_multi_schema_info_sources()
    }

    fn supports_select_modifiers(&self) -> bool {
        self.base.supports_select_modifiers()
    }

    fn parse_infix(&self, a0: &mut Parser, a1: &Expr, a2: u8) -> Option<Result<Expr, ParserError>> {
        self.base.parse_infix(a0, a1, a2)
    }

    fn get_next_precedence(&self, a0: &Parser) -> Option<Result<u8, ParserError>> {
        self.base.get_next_precedence(a0)
    }

    fn get_next_precedence_default(&self, a0: &Parser) -> Result<u8, ParserError> {
        self.base.get_next_precedence_default(a0)
    }

    fn parse_statement(&self, a0: &mut Parser) -> Option<Result<Statement, ParserError>> {
        self.base.parse_statement(a0)
    }

    fn parse_column_option(
        &self,
        a0: &mut Parser,
    ) -> Result<Option<Result<Option<ColumnOption>, ParserError>>, ParserError> {
        self.base.parse_column_option(a0)
    }

    fn prec_value(&self, a0: Precedence) -> u8 {
        self.base.prec_value(a0)
    }

    fn prec_unknown(&self) -> u8 {
        self.base.prec_unknown()
    }

    fn describe_requires_table_keyword(&self) -> bool {
        self.base.describe_requires_table_keyword()
    }

    fn allow_extract_custom(&self) -> bool {
        self.base.allow_extract_custom()
    }

    fn allow_extract_single_quotes(&self) -> bool {
        self.base.allow_extract_single_quotes()
    }

    fn supports_extract_comma_syntax(&self) -> bool {
        self.base.supports_extract_comma_syntax()
    }

    fn supports_subquery_as_function_arg(&self) -> bool {
        self.base.supports_subquery_as_function_arg()
    }

    fn supports_create_view_comment_syntax(&self) -> bool {
        self.base.supports_create_view_comment_syntax()
    }

    fn supports_array_typedef_without_element_type(&self) -> bool {
        self.base.supports_array_typedef_without_element_type()
    }

    fn supports_parens_around_table_factor(&self) -> bool {
        self.base.supports_parens_around_table_factor()
    }

    fn supports_values_as_table_factor(&self) -> bool {
        self.base.supports_values_as_table_factor()
    }

    fn supports_dollar_placeholder(&self) -> bool {
        self.base.supports_dollar_placeholder()
    }

    fn supports_dollar_as_money_prefix(&self) -> bool {
        self.base.supports_dollar_as_money_prefix()
    }

    fn supports_create_index_with_clause(&self) -> bool {
        self.base.supports_create_index_with_clause()
    }

    fn require_interval_qualifier(&self) -> bool {
        self.base.require_interval_qualifier()
    }

    fn supports_explain_with_utility_options(&self) -> bool {
        self.base.supports_explain_with_utility_options()
    }

    fn supports_asc_desc_in_column_definition(&self) -> bool {
        self.base.supports_asc_desc_in_column_definition()
    }

    fn supports_factorial_operator(&self) -> bool {
        self.base.supports_factorial_operator()
    }

    fn supports_bitwise_shift_operators(&self) -> bool {
        self.base.supports_bitwise_shift_operators()
    }

    fn supports_nested_comments(&self) -> bool {
        self.base.supports_nested_comments()
    }

    fn supports_multiline_comment_hints(&self) -> bool {
        self.base.supports_multiline_comment_hints()
    }

    fn supports_eq_alias_assignment(&self) -> bool {
        self.base.supports_eq_alias_assignment()
    }

    fn supports_try_convert(&self) -> bool {
        self.base.supports_try_convert()
    }

    fn supports_bang_not_operator(&self) -> bool {
        self.base.supports_bang_not_operator()
    }

    fn supports_listen_notify(&self) -> bool {
        self.base.supports_listen_notify()
    }

    fn supports_load_data(&self) -> bool {
        self.base.supports_load_data()
    }

    fn supports_load_extension(&self) -> bool {
        self.base.supports_load_extension()
    }

    fn supports_top_before_distinct(&self) -> bool {
        self.base.supports_top_before_distinct()
    }

    fn supports_boolean_literals(&self) -> bool {
        self.base.supports_boolean_literals()
    }

    fn supports_show_like_before_in(&self) -> bool {
        self.base.supports_show_like_before_in()
    }

    fn supports_comment_on(&self) -> bool {
        self.base.supports_comment_on()
    }

    fn supports_create_table_select(&self) -> bool {
        self.base.supports_create_table_select()
    }

    fn supports_partiql(&self) -> bool {
        self.base.supports_partiql()
    }

    fn supports_constraint_keyword_without_name(&self) -> bool {
        self.base.supports_constraint_keyword_without_name()
    }

    fn supports_key_column_option(&self) -> bool {
        self.base.supports_key_column_option()
    }

    fn is_reserved_for_identifier(&self, a0: Keyword) -> bool {
        self.base.is_reserved_for_identifier(a0)
    }

    fn get_reserved_keywords_for_select_item_operator(&self) -> &[Keyword] {
        self.base.get_reserved_keywords_for_select_item_operator()
    }

    fn get_reserved_grantees_types(&self) -> &[GranteesType] {
        self.base.get_reserved_grantees_types()
    }

    fn supports_table_sample_before_alias(&self) -> bool {
        self.base.supports_table_sample_before_alias()
    }

    fn supports_insert_set(&self) -> bool {
        self.base.supports_insert_set()
    }

    fn supports_insert_table_function(&self) -> bool {
        self.base.supports_insert_table_function()
    }

    fn supports_insert_table_query(&self) -> bool {
        self.base.supports_insert_table_query()
    }

    fn supports_insert_format(&self) -> bool {
        self.base.supports_insert_format()
    }

    fn supports_insert_table_alias(&self) -> bool {
        self.base.supports_insert_table_alias()
    }

    fn supports_set_stmt_without_operator(&self) -> bool {
        self.base.supports_set_stmt_without_operator()
    }

    fn is_column_alias(&self, a0: &Keyword, a1: &mut Parser) -> bool {
        self.base.is_column_alias(a0, a1)
    }

    fn is_select_item_alias(&self, a0: bool, a1: &Keyword, a2: &mut Parser) -> bool {
        self.base.is_select_item_alias(a0, a1, a2)
    }

    fn is_table_factor(&self, a0: &Keyword, a1: &mut Parser) -> bool {
        self.base.is_table_factor(a0, a1)
    }

    fn is_table_alias(&self, a0: &Keyword, a1: &mut Parser) -> bool {
        self.base.is_table_alias(a0, a1)
    }

    fn is_table_factor_alias(&self, a0: bool, a1: &Keyword, a2: &mut Parser) -> bool {
        self.base.is_table_factor_alias(a0, a1, a2)
    }

    fn supports_table_versioning(&self) -> bool {
        self.base.supports_table_versioning()
    }

    fn supports_string_escape_constant(&self) -> bool {
        self.base.supports_string_escape_constant()
    }

    fn supports_table_hints(&self) -> bool {
        self.base.supports_table_hints()
    }

    fn requires_single_line_comment_whitespace(&self) -> bool {
        self.base.requires_single_line_comment_whitespace()
    }

    fn supports_array_typedef_with_brackets(&self) -> bool {
        self.base.supports_array_typedef_with_brackets()
    }

    fn supports_geometric_types(&self) -> bool {
        self.base.supports_geometric_types()
    }

    fn supports_order_by_all(&self) -> bool {
        self.base.supports_order_by_all()
    }

    fn supports_set_names(&self) -> bool {
        self.base.supports_set_names()
    }

    fn supports_space_separated_column_options(&self) -> bool {
        self.base.supports_space_separated_column_options()
    }

    fn supports_alter_column_type_using(&self) -> bool {
        self.base.supports_alter_column_type_using()
    }

    fn supports_comma_separated_drop_column_list(&self) -> bool {
        self.base.supports_comma_separated_drop_column_list()
    }

    fn is_identifier_generating_function_name(&self, a0: &Ident, a1: &[ObjectNamePart]) -> bool {
        self.base.is_identifier_generating_function_name(a0, a1)
    }

    fn supports_notnull_operator(&self) -> bool {
        self.base.supports_notnull_operator()
    }

    fn supports_data_type_signed_suffix(&self) -> bool {
        self.base.supports_data_type_signed_suffix()
    }

    fn supports_interval_options(&self) -> bool {
        self.base.supports_interval_options()
    }

    fn supports_create_table_like_parenthesized(&self) -> bool {
        self.base.supports_create_table_like_parenthesized()
    }

    fn supports_semantic_view_table_factor(&self) -> bool {
        self.base.supports_semantic_view_table_factor()
    }

    fn supports_quote_delimited_string(&self) -> bool {
        self.base.supports_quote_delimited_string()
    }

    fn supports_comment_optimizer_hint(&self) -> bool {
        self.base.supports_comment_optimizer_hint()
    }

    fn supports_double_ampersand_operator(&self) -> bool {
        self.base.supports_double_ampersand_operator()
    }

    fn supports_binary_kw_as_cast(&self) -> bool {
        self.base.supports_binary_kw_as_cast()
    }

    fn supports_select_wildcard_replace(&self) -> bool {
        self.base.supports_select_wildcard_replace()
    }

    fn supports_select_wildcard_ilike(&self) -> bool {
        self.base.supports_select_wildcard_ilike()
    }

    fn supports_select_wildcard_rename(&self) -> bool {
        self.base.supports_select_wildcard_rename()
    }

    fn supports_select_wildcard_with_alias(&self) -> bool {
        self.base.supports_select_wildcard_with_alias()
    }

    fn supports_optimize_table(&self) -> bool {
        self.base.supports_optimize_table()
    }

    fn supports_install(&self) -> bool {
        self.base.supports_install()
    }

    fn supports_detach(&self) -> bool {
        self.base.supports_detach()
    }

    fn supports_prewhere(&self) -> bool {
        self.base.supports_prewhere()
    }

    fn supports_with_fill(&self) -> bool {
        self.base.supports_with_fill()
    }

    fn supports_limit_by(&self) -> bool {
        self.base.supports_limit_by()
    }

    fn supports_interpolate(&self) -> bool {
        self.base.supports_interpolate()
    }

    fn supports_settings(&self) -> bool {
        self.base.supports_settings()
    }

    fn supports_select_format(&self) -> bool {
        self.base.supports_select_format()
    }

    fn supports_comma_separated_trim(&self) -> bool {
        self.base.supports_comma_separated_trim()
    }

    fn supports_cte_without_as(&self) -> bool {
        self.base.supports_cte_without_as()
    }

    fn supports_select_item_multi_column_alias(&self) -> bool {
        self.base.supports_select_item_multi_column_alias()
    }

    fn supports_xml_expressions(&self) -> bool {
        self.base.supports_xml_expressions()
    }

    fn supports_create_table_using(&self) -> bool {
        self.base.supports_create_table_using()
    }

    fn supports_long_type_as_bigint(&self) -> bool {
        self.base.supports_long_type_as_bigint()
    }

    fn supports_map_literal_with_angle_brackets(&self) -> bool {
        self.base.supports_map_literal_with_angle_brackets()
    }
}
