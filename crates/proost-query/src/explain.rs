//! `EXPLAIN` on the engine path, showing only the governed plan. A governed table is one
//! line (`GovernedExec: table=…`), never the row policy, masks and scan beneath it; a source
//! scan names its table, not its statement or bound values; a replica scan names no file.
//! Nothing is executed, so no count of any table's rows is known, let alone shown.

use std::sync::Arc;

use datafusion::arrow::array::StringArray;
use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::common::{DataFusionError, Result};
use datafusion::execution::SessionState;
use datafusion::logical_expr::LogicalPlan;
use datafusion::physical_plan::{ExecutionPlan, displayable};
use proost_connect::QueryOutput;

use crate::govern::GovernedExec;

/// The plans of an `EXPLAIN [VERBOSE]` statement as rows of (plan_type, plan).
pub(crate) async fn explain(state: &SessionState, statement: &LogicalPlan) -> Result<QueryOutput> {
    let LogicalPlan::Explain(explain) = statement else {
        return Err(DataFusionError::Internal("not an EXPLAIN".into()));
    };
    let initial = explain.plan.as_ref();
    let optimized = state.optimize(initial)?;
    let physical = state.create_physical_plan(initial).await?;
    let mut rows: Vec<(&str, String)> = Vec::new();
    if explain.verbose {
        rows.push(("initial_logical_plan", initial.display_indent().to_string()));
    }
    rows.push(("logical_plan", optimized.display_indent().to_string()));
    if explain.verbose {
        rows.push((
            "logical_plan with schema",
            optimized.display_indent_schema().to_string(),
        ));
    }
    let mut text = String::new();
    physical_lines(physical.as_ref(), 0, &mut text);
    rows.push(("physical_plan", text));
    let schema = Arc::new(Schema::new(vec![
        Field::new("plan_type", DataType::Utf8, false),
        Field::new("plan", DataType::Utf8, false),
    ]));
    let batch = RecordBatch::try_new(
        schema.clone(),
        vec![
            Arc::new(StringArray::from_iter_values(rows.iter().map(|r| r.0))),
            Arc::new(StringArray::from_iter_values(
                rows.iter().map(|r| r.1.as_str()),
            )),
        ],
    )?;
    Ok(QueryOutput {
        schema,
        batches: vec![batch],
        truncated: false,
    })
}

fn physical_lines(plan: &dyn ExecutionPlan, depth: usize, out: &mut String) {
    let indent = "  ".repeat(depth);
    if let Some(governed) = plan.downcast_ref::<GovernedExec>() {
        out.push_str(&format!("{indent}GovernedExec: table={}\n", governed.label));
        return;
    }
    let line = if plan.name() == "DataSourceExec" {
        // Replica files: their paths name Proost's data dir, not anything to explain.
        "DataSourceExec: encrypted replica (Parquet)".to_string()
    } else {
        displayable(plan)
            .one_line()
            .to_string()
            .trim_end()
            .to_string()
    };
    out.push_str(&format!("{indent}{line}\n"));
    for child in plan.children() {
        physical_lines(child.as_ref(), depth + 1, out);
    }
}
