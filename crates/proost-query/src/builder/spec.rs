//! The builder spec, version 1: a question as a JSON document. A stable API: fields are
//! added, never renamed; an unknown field is an error (a typo must not silently widen a
//! question).

use serde::{Deserialize, Serialize};

/// A question built without SQL.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// Always `1`.
    pub v: u32,
    pub source: SourceRef,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub joins: Vec<Join>,
    /// Computed columns, added to every row before filters (`[Net] / [Qty]`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<Computed>,
    // The first stage's fields sit at the top level (serde cannot flatten a struct that
    // denies unknown fields).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<Filter>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub breakouts: Vec<Breakout>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aggregations: Vec<Aggregation>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub order: Vec<Order>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
    /// Further stages over the previous stage's output (filter on an aggregate, re-aggregate).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<Stage>,
    /// Typed parameters; filters refer to them as `{"param": name}`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<Param>,
    /// IANA name (`Europe/Berlin`) relative dates are computed in; UTC when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
}

impl Spec {
    /// The top-level stage.
    pub fn first_stage(&self) -> Stage {
        Stage {
            filter: self.filter.clone(),
            fields: self.fields.clone(),
            breakouts: self.breakouts.clone(),
            aggregations: self.aggregations.clone(),
            order: self.order.clone(),
            limit: self.limit,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SourceRef {
    /// `connection.schema.table`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// A saved question's id: its result is the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    /// The name columns of the source are qualified with (default: the table's name, or
    /// `source` for a question).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Join {
    /// `connection.schema.table`.
    pub table: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    /// `inner` (default), `left`, `right` or `full`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Pairs of equal columns: `left` of what is joined so far, `right` of this table.
    /// Empty or absent: along the one foreign key between this table and a table joined
    /// before it (in either direction).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub on: Vec<JoinOn>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct JoinOn {
    pub left: String,
    pub right: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Computed {
    pub name: String,
    /// From the allow-listed functions; columns in brackets: `[amount] * 1.2`.
    pub expression: String,
}

/// One stage: filter, then group (breakouts + aggregations), then order and limit. A stage
/// with neither breakouts nor aggregations returns rows (optionally some `fields`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<Filter>,
    /// The columns to return when not aggregating (default: all).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub breakouts: Vec<Breakout>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aggregations: Vec<Aggregation>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub order: Vec<Order>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
}

/// A filter tree node: exactly one of `and`, `or`, `not`, or a condition (`column` + `op`).
/// One struct rather than an untagged enum, so a mistake is reported at its path.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Filter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub and: Option<Vec<Filter>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub or: Option<Vec<Filter>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not: Option<Box<Filter>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// `eq`, `ne`, `lt`, `le`, `gt`, `ge`, `between`, `in`, `not_in`, `contains`,
    /// `starts_with`, `ends_with`, `is_null`, `not_null`, `relative` (dates: the last or next
    /// `amount` `unit`s, or with amount 0 the current one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub op: Option<String>,
    /// A literal, or `{"param": name}`; `between` and `in` take a list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Value>,
    /// `relative`: -30 for "the last 30", 0 for "this", 7 for "the next 7".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<i64>,
    /// `relative`: `minute`, `hour`, `day`, `week`, `month`, `quarter` or `year`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Breakout {
    pub column: String,
    /// Dates: `minute`, `hour`, `day`, `week`, `month`, `quarter`, `year`,
    /// `day_of_week` (1 = Monday … 7), `hour_of_day`, `month_of_year`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bucket: Option<String>,
    /// Numbers: fixed bins of this width (the bin's lower bound is the value).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bin: Option<f64>,
    /// The output column's name (default `column`, or `column_bucket`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Aggregation {
    /// `count`, `count_distinct`, `sum`, `avg`, `min`, `max`, `median`, `percentile`,
    /// `stddev`, `share` (of rows matching `filter`), `cumulative_sum`, `cumulative_count`,
    /// `previous` (the `of` aggregation one period before: period-over-period).
    pub op: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// `percentile`: 0 < p < 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p: Option<f64>,
    /// `percentile`: t-digest instead of exact.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub approximate: bool,
    /// `share`: the rows counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<Filter>,
    /// `previous`: the name of another aggregation of this stage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub of: Option<String>,
    /// `previous`: how many periods back (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Order {
    pub column: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub desc: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Param {
    pub name: String,
    /// `text`, `number`, `integer`, `date`, `timestamp` or `boolean`.
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<serde_json::Value>,
}
