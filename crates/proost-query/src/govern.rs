//! The governed table: what a caller may read of one table. Columns they may not see are
//! absent, personal columns they may not see unmasked are replaced by a mask expression,
//! and row policies filter under every scan.

use std::borrow::Cow;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, StringArray};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, SchemaRef};
use datafusion::catalog::{Session, TableProvider};
use datafusion::common::tree_node::{Transformed, TreeNode, TreeNodeRecursion};
use datafusion::common::{Column, DataFusionError, Result, ScalarValue};
use datafusion::dataframe::DataFrame;
use datafusion::datasource::TableType;
use datafusion::execution::context::SessionContext;
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::logical_expr::{Cast, TryCast};
use datafusion::logical_expr::{
    ColumnarValue, Expr, LogicalPlan, LogicalPlanBuilder, ReturnFieldArgs, ScalarFunctionArgs,
    ScalarUDF, ScalarUDFImpl, Signature, TableProviderFilterPushDown, Volatility,
};
use datafusion::optimizer::analyzer::type_coercion::TypeCoercionRewriter;
use datafusion::physical_expr::PhysicalExpr;
use datafusion::physical_plan::{DisplayAs, DisplayFormatType, ExecutionPlan, PlanProperties};
use hmac::{Hmac, Mac};
use proost_connect::ConnectError;
use sha2::Sha256;

/// The field metadata key that marks a masked column; its value is the mask's kind.
pub const MASK_METADATA: &str = "proost.mask";

/// How a masked column is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MaskKind {
    /// `***`.
    Redact,
    /// `j***@example.com`, `***1234` (last four digits), `J***`.
    Partial,
    /// A keyed hash (HMAC-SHA256 with the connection's mask key): equal values stay equal,
    /// so joins and counts of distinct values still work.
    Hash,
    /// Dates to the first day of their year, numbers to their decade, codes to their first
    /// two characters; the column keeps its type.
    Generalize,
    /// Free text with what it mentions masked in place: `Call [name] on [phone]`; special
    /// categories become `[redacted]` without saying which.
    Spans,
    /// As `Spans`, but a value that mentions a special category is `[redacted]` whole.
    SpansStrict,
}

impl MaskKind {
    pub fn parse(s: &str) -> Option<MaskKind> {
        match s {
            "redact" => Some(MaskKind::Redact),
            "partial" => Some(MaskKind::Partial),
            "hash" => Some(MaskKind::Hash),
            "generalize" => Some(MaskKind::Generalize),
            "spans" => Some(MaskKind::Spans),
            "spans_strict" => Some(MaskKind::SpansStrict),
            _ => None,
        }
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            MaskKind::Redact => "redact",
            MaskKind::Partial => "partial",
            MaskKind::Hash => "hash",
            MaskKind::Generalize => "generalize",
            MaskKind::Spans => "spans",
            MaskKind::SpansStrict => "spans_strict",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnRule {
    Show,
    Mask(MaskKind),
    /// The value column of a key-value table: masked per attribute, the attribute read from
    /// the `key` column of the same row. Attributes in `shown` stay as they are, those in
    /// `masked` get their mask, any other (an attribute the scan never saw, a NULL key) gets
    /// `other`.
    MaskByKey {
        key: String,
        masked: Vec<(String, MaskKind)>,
        shown: Vec<String>,
        other: MaskKind,
    },
}

/// What one caller may read of one table. A table the caller may not see at all is not
/// given a policy: the resolver leaves it out of the catalog.
#[derive(Debug, Clone, Default)]
pub struct TablePolicy {
    /// `false`: the caller may know the table exists (metadata) but not read its rows.
    pub readable: bool,
    /// The visible columns in table order; any other column is absent.
    pub columns: Vec<(String, ColumnRule)>,
    /// Row policies over the table's columns, ANDed.
    pub row_filters: Vec<RowFilter>,
}

/// A row policy for one caller: an SQL expression whose `$1`, `$2`, … are the caller's
/// attributes, bound as values after parsing (never spliced into the text).
#[derive(Debug, Clone, PartialEq)]
pub struct RowFilter {
    pub sql: String,
    pub values: Vec<PolicyValue>,
}

/// A user attribute bound into a row policy. A missing attribute is `Null`, which matches
/// no row: a policy never opens up because an attribute is absent.
#[derive(Debug, Clone, PartialEq)]
pub enum PolicyValue {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
}

impl PolicyValue {
    fn scalar(&self) -> ScalarValue {
        match self {
            PolicyValue::Null => ScalarValue::Null,
            PolicyValue::Bool(b) => ScalarValue::Boolean(Some(*b)),
            PolicyValue::Int(i) => ScalarValue::Int64(Some(*i)),
            PolicyValue::Float(f) => ScalarValue::Float64(Some(*f)),
            PolicyValue::Text(t) => ScalarValue::Utf8(Some(t.clone())),
        }
    }
}

impl RowFilter {
    /// The policy as an expression over `schema`: attributes bound, types coerced, and every
    /// cast made a `TRY_CAST`, so evaluating it on a row the caller may not see cannot fail
    /// with that row's value in the message (a value that does not convert fails the
    /// policy: no row).
    fn expr(&self, df: &DataFrame) -> Result<Expr> {
        let parsed = df.parse_sql_expr(&self.sql)?;
        let bound = parsed
            .transform_up(|e| {
                Ok(match e {
                    Expr::Placeholder(p) => {
                        let value = p
                            .id
                            .strip_prefix('$')
                            .and_then(|n| n.parse::<usize>().ok())
                            .and_then(|n| n.checked_sub(1))
                            .and_then(|i| self.values.get(i))
                            .ok_or_else(|| {
                                DataFusionError::Plan(format!("unbound policy parameter {}", p.id))
                            })?;
                        Transformed::yes(Expr::Literal(value.scalar(), None))
                    }
                    other => Transformed::no(other),
                })
            })?
            .data;
        let mut coercion = TypeCoercionRewriter::new(df.schema());
        let coerced = bound.rewrite(&mut coercion)?.data;
        Ok(coerced
            .transform_up(|e| {
                Ok(match e {
                    Expr::Cast(Cast { expr, field }) => {
                        Transformed::yes(Expr::TryCast(TryCast { expr, field }))
                    }
                    other => Transformed::no(other),
                })
            })?
            .data)
    }
}

/// Wraps a table in its policy.
pub(crate) fn governed(
    ctx: &SessionContext,
    label: &str,
    inner: Arc<dyn TableProvider>,
    policy: &TablePolicy,
    mask_key: &[u8; 32],
) -> Result<Arc<dyn TableProvider>> {
    if !policy.readable {
        return Ok(Arc::new(MetadataOnly {
            label: label.to_string(),
            schema: inner.schema(),
        }));
    }
    let mut df = ctx.read_table(inner)?;
    for filter in &policy.row_filters {
        let expr = filter.expr(&df).map_err(|e| {
            // Fail closed: a policy that no longer fits the table hides every row. What
            // failed stays in the server log: the policy's text is not the caller's to see.
            tracing::warn!(table = label, error = first_line(&e.to_string()), "a row policy does not apply");
            DataFusionError::External(Box::new(ConnectError::Invalid {
                code: "row_policy_invalid",
                message: format!(
                    "a row policy on `{label}` no longer applies to the table; ask an admin to fix it"
                ),
            }))
        })?;
        df = df.filter(expr)?;
    }
    let exprs: Vec<Expr> = policy
        .columns
        .iter()
        .map(|(name, rule)| {
            let column = Expr::Column(Column::new_unqualified(name));
            match rule {
                ColumnRule::Show => column,
                ColumnRule::Mask(kind) => mask_udf(*kind, mask_key).call(vec![column]).alias(name),
                ColumnRule::MaskByKey {
                    key,
                    masked,
                    shown,
                    other,
                } => by_key(df.schema(), name, key, masked, shown, *other, mask_key),
            }
        })
        .collect();
    let df = df.select(exprs)?;
    Ok(Arc::new(GovernedTable {
        label: label.to_string(),
        plan: df.logical_plan().clone(),
        // A caller's own predicate could be evaluated before a row policy and reveal a
        // hidden row by failing on it (a "leaky view"); with row policies, the caller's
        // filters stay above the policy's.
        pushdown: policy.row_filters.is_empty(),
    }))
}

/// `CASE WHEN key IN (shown) THEN value WHEN key IN (…) THEN mask(value) … ELSE
/// mask_other(value) END`: a key-value table's value column masked per attribute. A value
/// column that is not text, or a key column that is gone, is masked whole with `other`.
fn by_key(
    schema: &datafusion::common::DFSchema,
    name: &str,
    key: &str,
    masked: &[(String, MaskKind)],
    shown: &[String],
    other: MaskKind,
    mask_key: &[u8; 32],
) -> Expr {
    use datafusion::logical_expr::{lit, when};
    let value = Expr::Column(Column::new_unqualified(name));
    let whole = || {
        mask_udf(other, mask_key)
            .call(vec![value.clone()])
            .alias(name)
    };
    let text = schema
        .field_with_unqualified_name(name)
        .is_ok_and(|f| is_text(f.data_type()));
    let key_col = schema.field_with_unqualified_name(key).ok().map(|f| {
        let k = Expr::Column(Column::new_unqualified(key));
        if is_text(f.data_type()) {
            k
        } else {
            Expr::Cast(Cast::new(Box::new(k), DataType::Utf8))
        }
    });
    let Some(key_col) = key_col.filter(|_| text) else {
        return whole();
    };
    let in_list = |names: Vec<&String>| {
        key_col
            .clone()
            .in_list(names.into_iter().map(|n| lit(n.as_str())).collect(), false)
    };
    let mut kinds: Vec<MaskKind> = masked.iter().map(|m| m.1).collect();
    kinds.dedup();
    kinds.sort_by_key(|k| k.as_str());
    kinds.dedup();
    let mut case: Option<datafusion::logical_expr::conditional_expressions::CaseBuilder> = None;
    let mut add = |cond: Expr, then: Expr| {
        case = Some(match case.take() {
            None => when(cond, then),
            Some(mut c) => c.when(cond, then),
        });
    };
    if !shown.is_empty() {
        add(in_list(shown.iter().collect()), value.clone());
    }
    for kind in kinds {
        let names: Vec<&String> = masked
            .iter()
            .filter(|m| m.1 == kind)
            .map(|m| &m.0)
            .collect();
        add(
            in_list(names),
            mask_udf(kind, mask_key).call(vec![value.clone()]),
        );
    }
    let otherwise = mask_udf(other, mask_key).call(vec![value.clone()]);
    match case {
        None => whole(),
        Some(mut c) => match c.otherwise(otherwise) {
            Ok(e) => ScalarUDF::new_from_impl(MarkMasked::by_attribute())
                .call(vec![e])
                .alias(name),
            Err(_) => whole(),
        },
    }
}

/// Passes its argument through, marked as masked (`how`): for masks built of several
/// expressions (per attribute), whose own output carries no mark.
#[derive(Debug, PartialEq, Eq, Hash)]
struct MarkMasked {
    how: &'static str,
    signature: Signature,
}

impl MarkMasked {
    fn by_attribute() -> Self {
        MarkMasked {
            how: "by_attribute",
            signature: Signature::any(1, Volatility::Immutable),
        }
    }
}

impl ScalarUDFImpl for MarkMasked {
    fn name(&self) -> &str {
        "masked"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        Ok(args.first().cloned().unwrap_or(DataType::Utf8))
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let input = first_type(&args);
        Ok(marked(self.name(), input, self.how))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        args.args
            .into_iter()
            .next()
            .ok_or_else(|| DataFusionError::Internal("masked takes one argument".into()))
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

/// A view over one table that the planner does not inline, so it keeps its own filters
/// under the caller's.
#[derive(Debug)]
struct GovernedTable {
    label: String,
    plan: LogicalPlan,
    pushdown: bool,
}

#[async_trait::async_trait]
impl TableProvider for GovernedTable {
    fn schema(&self) -> SchemaRef {
        Arc::clone(self.plan.schema().inner())
    }

    fn table_type(&self) -> TableType {
        TableType::View
    }

    fn get_logical_plan(&self) -> Option<Cow<'_, LogicalPlan>> {
        None
    }

    fn supports_filters_pushdown(
        &self,
        filters: &[&Expr],
    ) -> Result<Vec<TableProviderFilterPushDown>> {
        let answer = if self.pushdown {
            TableProviderFilterPushDown::Exact
        } else {
            TableProviderFilterPushDown::Unsupported
        };
        Ok(vec![answer; filters.len()])
    }

    async fn scan(
        &self,
        state: &dyn Session,
        projection: Option<&Vec<usize>>,
        filters: &[Expr],
        limit: Option<usize>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let mut plan = LogicalPlanBuilder::from(self.plan.clone());
        if let Some(filter) = filters.iter().cloned().reduce(|a, b| a.and(b)) {
            plan = plan.filter(filter)?;
        }
        if let Some(p) = projection {
            plan = plan.select(p.iter().copied())?;
        }
        if let Some(l) = limit {
            plan = plan.limit(0, Some(l))?;
        }
        let physical = state.create_physical_plan(&plan.build()?).await?;
        Ok(Arc::new(GovernedExec::new(self.label.clone(), physical)))
    }
}

/// The top of a governed table's physical plan. It takes no filters from its parents, so
/// the physical optimizer cannot push (or merge) a caller's filters below a row policy;
/// and `EXPLAIN` shows it as one line, never the policy, masks and scans beneath it.
#[derive(Debug)]
pub(crate) struct GovernedExec {
    pub(crate) label: String,
    input: Arc<dyn ExecutionPlan>,
    properties: Arc<PlanProperties>,
}

impl GovernedExec {
    fn new(label: String, input: Arc<dyn ExecutionPlan>) -> Self {
        let properties = input.properties().clone();
        GovernedExec {
            label,
            input,
            properties,
        }
    }
}

impl DisplayAs for GovernedExec {
    fn fmt_as(&self, _t: DisplayFormatType, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "GovernedExec: table={}", self.label)
    }
}

impl ExecutionPlan for GovernedExec {
    fn name(&self) -> &str {
        "GovernedExec"
    }

    fn properties(&self) -> &Arc<PlanProperties> {
        &self.properties
    }

    fn children(&self) -> Vec<&Arc<dyn ExecutionPlan>> {
        vec![&self.input]
    }

    fn apply_expressions(
        &self,
        _f: &mut dyn FnMut(&Arc<dyn PhysicalExpr>) -> Result<TreeNodeRecursion>,
    ) -> Result<TreeNodeRecursion> {
        Ok(TreeNodeRecursion::Continue)
    }

    fn with_new_children(
        self: Arc<Self>,
        mut children: Vec<Arc<dyn ExecutionPlan>>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        match (children.pop(), children.is_empty()) {
            (Some(input), true) => Ok(Arc::new(GovernedExec::new(self.label.clone(), input))),
            _ => Err(DataFusionError::Internal(
                "GovernedExec takes one input".into(),
            )),
        }
    }

    fn execute(
        &self,
        partition: usize,
        context: Arc<TaskContext>,
    ) -> Result<SendableRecordBatchStream> {
        self.input.execute(partition, context)
    }
}

/// A table the caller may see exists but not read.
#[derive(Debug)]
struct MetadataOnly {
    label: String,
    schema: SchemaRef,
}

#[async_trait::async_trait]
impl TableProvider for MetadataOnly {
    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    fn table_type(&self) -> TableType {
        TableType::Base
    }

    async fn scan(
        &self,
        _state: &dyn Session,
        _projection: Option<&Vec<usize>>,
        _filters: &[Expr],
        _limit: Option<usize>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        Err(DataFusionError::External(Box::new(ConnectError::Invalid {
            code: "permission_denied",
            message: format!(
                "you may see that `{}` exists but not read its rows; ask an admin for a query grant",
                self.label
            ),
        })))
    }
}

fn mask_udf(kind: MaskKind, key: &[u8; 32]) -> ScalarUDF {
    ScalarUDF::new_from_impl(Mask {
        kind,
        key: *key,
        signature: Signature::any(1, Volatility::Immutable),
        name: format!("mask_{}", kind.as_str()),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Mask {
    kind: MaskKind,
    key: [u8; 32],
    signature: Signature,
    name: String,
}

impl ScalarUDFImpl for Mask {
    fn name(&self) -> &str {
        &self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        // Every mask keeps its column's type (text stays text): a masked date is still a
        // date, so comparisons and arithmetic on it stay well-typed.
        match args.first() {
            Some(t) if !is_text(t) => Ok(t.clone()),
            _ => Ok(DataType::Utf8),
        }
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let input = first_type(&args);
        Ok(marked(
            self.name(),
            self.return_type(&[input])?,
            self.kind.as_str(),
        ))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let Some(arg) = args.args.first() else {
            return Err(DataFusionError::Internal("mask takes one argument".into()));
        };
        let array = arg.to_array(args.number_rows)?;
        if !is_text(array.data_type()) {
            use crate::typed_mask::{generalized, hashed, nulls};
            return Ok(ColumnarValue::Array(match self.kind {
                MaskKind::Generalize | MaskKind::Partial => generalized(&array)?,
                MaskKind::Hash => hashed(&self.key, &array)?,
                MaskKind::Redact | MaskKind::Spans | MaskKind::SpansStrict => nulls(&array),
            }));
        }
        let numeric = array.data_type().is_numeric();
        let text = datafusion::arrow::compute::cast(&array, &DataType::Utf8)?;
        let Some(text) = text.as_any().downcast_ref::<StringArray>() else {
            return Err(DataFusionError::Internal(
                "mask: cast to text failed".into(),
            ));
        };
        let out: StringArray = match self.kind {
            MaskKind::Spans | MaskKind::SpansStrict => {
                let mut scanner = proost_classify::text::Scanner::new();
                let strict = self.kind == MaskKind::SpansStrict;
                text.iter()
                    .map(|v| v.map(|v| scanner.mask(v, strict)))
                    .collect()
            }
            _ => text
                .iter()
                .map(|v| v.map(|v| self.apply(v, numeric)))
                .collect(),
        };
        Ok(ColumnarValue::Array(Arc::new(out) as ArrayRef))
    }
}

impl Mask {
    fn apply(&self, v: &str, numeric: bool) -> String {
        match self.kind {
            MaskKind::Redact => "***".into(),
            MaskKind::Partial => partial(v),
            MaskKind::Hash => {
                let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.key) else {
                    return "***".into();
                };
                mac.update(v.as_bytes());
                let digest = mac.finalize().into_bytes();
                format!("h:{}", hex::encode(&digest[..12]))
            }
            MaskKind::Generalize => generalize(v, numeric),
            MaskKind::Spans | MaskKind::SpansStrict => "***".into(),
        }
    }
}

fn first_type(args: &ReturnFieldArgs) -> DataType {
    args.arg_fields
        .first()
        .map_or(DataType::Utf8, |f| f.data_type().clone())
}

/// A masked column's field: the answer tells which columns are masked and how
/// (`columns[].mask`), and the mark travels with the field through projections, joins and
/// sorts.
fn marked(name: &str, data_type: DataType, how: &str) -> FieldRef {
    Arc::new(
        Field::new(name, data_type, true)
            .with_metadata([(MASK_METADATA.to_string(), how.to_string())].into()),
    )
}

fn is_text(t: &DataType) -> bool {
    matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)
}

fn partial(v: &str) -> String {
    let first: String = v.chars().take(1).collect();
    if let Some((_, domain)) = v.rsplit_once('@') {
        return format!("{first}***@{domain}");
    }
    let digits: Vec<char> = v.chars().filter(|c| c.is_ascii_digit()).collect();
    if digits.len() >= 6 {
        let last: String = digits[digits.len() - 4..].iter().collect();
        return format!("***{last}");
    }
    format!("{first}***")
}

fn generalize(v: &str, numeric: bool) -> String {
    let b = v.as_bytes();
    // A date or timestamp written as text: the first day of its year, still readable as a
    // date (`WHERE dob < DATE '1970-01-01'` must not fail on a year alone).
    if b.len() >= 10 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' && b[7] == b'-' {
        let year = &v[..4];
        return match b.get(10) {
            Some(sep @ (b'T' | b' ')) => format!("{year}-01-01{}00:00:00", *sep as char),
            _ => format!("{year}-01-01"),
        };
    }
    if numeric && let Ok(n) = v.parse::<f64>() {
        let low = (n / 10.0).floor() * 10.0;
        return format!("{low}-{}", low + 9.0);
    }
    let head: String = v.chars().take(2).collect();
    format!("{head}***")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_masks_keep_only_a_hint() {
        assert_eq!(partial("jane.doe@example.com"), "j***@example.com");
        assert_eq!(partial("4111 1111 1111 1234"), "***1234");
        assert_eq!(partial("Jane"), "J***");
        assert_eq!(partial(""), "***");
    }

    #[test]
    fn generalize_keeps_the_coarse_part() {
        assert_eq!(generalize("1987-05-04", false), "1987-01-01");
        assert_eq!(
            generalize("1987-05-04T10:00:00Z", false),
            "1987-01-01T00:00:00"
        );
        assert_eq!(
            generalize("1987-05-04 10:00:00", false),
            "1987-01-01 00:00:00"
        );
        assert_eq!(generalize("37", true), "30-39");
        assert_eq!(generalize("75008", false), "75***");
    }

    #[test]
    fn span_masks_keep_the_text_around_what_it_mentions() {
        let m = |kind| {
            let udf = mask_udf(kind, &[0; 32]);
            let input = StringArray::from(vec![
                Some("Call Anna Berg on +44 20 7946 0958 about her asthma."),
                Some("Parcel left the depot."),
                None,
            ]);
            let args = ScalarFunctionArgs {
                args: vec![ColumnarValue::Array(Arc::new(input))],
                arg_fields: vec![Arc::new(datafusion::arrow::datatypes::Field::new(
                    "n",
                    DataType::Utf8,
                    true,
                ))],
                number_rows: 3,
                return_field: Arc::new(datafusion::arrow::datatypes::Field::new(
                    "n",
                    DataType::Utf8,
                    true,
                )),
                config_options: Arc::new(Default::default()),
            };
            let ColumnarValue::Array(out) = udf.invoke_with_args(args).expect("mask") else {
                panic!("an array");
            };
            let out = out
                .as_any()
                .downcast_ref::<StringArray>()
                .expect("text")
                .clone();
            out.iter()
                .map(|v| v.map(str::to_string))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            m(MaskKind::Spans),
            [
                Some("Call [name] on [phone] about her [redacted].".to_string()),
                Some("Parcel left the depot.".to_string()),
                None
            ]
        );
        assert_eq!(m(MaskKind::SpansStrict)[0].as_deref(), Some("[redacted]"));
        assert_eq!(MaskKind::parse("spans_strict"), Some(MaskKind::SpansStrict));
    }

    #[test]
    fn hash_is_keyed_and_stable() {
        let m = |key: u8| Mask {
            kind: MaskKind::Hash,
            key: [key; 32],
            signature: Signature::any(1, Volatility::Immutable),
            name: "mask_hash".into(),
        };
        assert_eq!(m(1).apply("a@b.c", false), m(1).apply("a@b.c", false));
        assert_ne!(m(1).apply("a@b.c", false), m(2).apply("a@b.c", false));
        assert!(m(1).apply("a@b.c", false).starts_with("h:"));
    }
}
