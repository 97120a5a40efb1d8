//! Dashboards: a grid of cards (questions, text, headings) with filters wired to the
//! cards' parameters or builder fields. `run` answers every card in one request,
//! concurrently, each as the caller and each through the result cache.

use std::sync::Arc;

use proost_query::builder::Filter;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use utoipa::ToSchema;

use super::questions::{QuestionDoc, run_doc};
use super::{Created, Level, Shelf, check_collection, check_name, save};
use crate::query::QueryOptions;
use crate::{Actor, App, Error, Result};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Card {
    /// The card's id within the dashboard (default: its position, `"0"`, `"1"`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// A question's id; or `text` (Markdown) or `heading`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading: Option<String>,
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tab: Option<String>,
    /// What a click on a value opens: `{"question"|"dashboard": id, "param": name}`;
    /// absent: the underlying rows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub click: Option<Value>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// A card's id (or position).
    #[schema(value_type = String)]
    pub card: Value,
    /// A parameter of the card's question, or a column of a builder question.
    pub field: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DashboardFilter {
    pub name: String,
    /// `date` (a `{"from","to"}` range or a day), `category`, `number` or `text`.
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub default: Option<Value>,
    pub targets: Vec<Target>,
}

/// `POST /api/v1/dashboards`; also the saved document of each version.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DashboardDoc {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub collection: Option<String>,
    #[serde(default)]
    pub cards: Vec<Card>,
    #[serde(default)]
    pub filters: Vec<DashboardFilter>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tabs: Vec<String>,
    /// Events drawn on time axes: `[{"at": "2026-03-01", "label": "Launch"}]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<Object>)]
    pub annotations: Vec<Value>,
    /// Reload every this many seconds while open (at least 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_seconds: Option<u32>,
}

impl DashboardDoc {
    pub(crate) fn card_id(i: usize, c: &Card) -> String {
        c.id.clone().unwrap_or_else(|| i.to_string())
    }
}

fn validate(shelf: &Shelf, doc: &DashboardDoc) -> Result<()> {
    check_name(&doc.name)?;
    check_collection(shelf, doc.collection.as_deref())?;
    if doc.cards.len() > 100 || doc.filters.len() > 30 {
        return Err(Error::bad_request(
            "dashboard_invalid",
            "at most 100 cards and 30 filters",
        ));
    }
    let ids: Vec<String> = doc
        .cards
        .iter()
        .enumerate()
        .map(|(i, c)| DashboardDoc::card_id(i, c))
        .collect();
    for (i, c) in doc.cards.iter().enumerate() {
        let kinds = [c.question.is_some(), c.text.is_some(), c.heading.is_some()];
        if kinds.iter().filter(|k| **k).count() != 1 {
            return Err(Error::bad_request(
                "dashboard_invalid",
                format!("at `cards[{i}]`: a card holds one of `question`, `text` or `heading`"),
            ));
        }
        if c.w == 0 || c.h == 0 || c.w > 24 || c.x + c.w > 24 || c.h > 48 {
            return Err(Error::bad_request(
                "dashboard_invalid",
                format!("at `cards[{i}]`: the grid is 24 columns wide; w 1–24, h 1–48"),
            ));
        }
        if let Some(q) = &c.question {
            shelf.open("question", q, Level::View).map_err(|_| {
                Error::bad_request(
                    "dashboard_invalid",
                    format!("at `cards[{i}].question`: no question `{q}` you may open"),
                )
            })?;
        }
        if let Some(click) = &c.click {
            super::charts::check_click(click, &format!("cards[{i}].click"), "dashboard_invalid")?;
        }
        if ids.iter().filter(|x| **x == ids[i]).count() > 1 {
            return Err(Error::bad_request(
                "dashboard_invalid",
                format!("at `cards[{i}].id`: two cards are `{}`", ids[i]),
            ));
        }
    }
    for (i, f) in doc.filters.iter().enumerate() {
        if !matches!(f.kind.as_str(), "date" | "category" | "number" | "text") {
            return Err(Error::bad_request(
                "dashboard_invalid",
                format!("at `filters[{i}].type`: use date, category, number or text"),
            ));
        }
        for (j, t) in f.targets.iter().enumerate() {
            if card_index(doc, &t.card).is_none() {
                return Err(Error::bad_request(
                    "dashboard_invalid",
                    format!("at `filters[{i}].targets[{j}].card`: no such card"),
                ));
            }
        }
    }
    Ok(())
}

fn card_index(doc: &DashboardDoc, card: &Value) -> Option<usize> {
    let key = match card {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    doc.cards
        .iter()
        .enumerate()
        .position(|(i, c)| DashboardDoc::card_id(i, c) == key)
}

pub async fn create(app: &App, actor: &Actor, doc: &DashboardDoc) -> Result<Created> {
    actor.access.require("sql", "saving dashboards")?;
    let shelf = Shelf::load(app, actor).await?;
    validate(&shelf, doc)?;
    let body = serde_json::to_value(doc).map_err(Error::internal)?;
    let saved = save(app, actor, None, "dashboard", &body).await?;
    Ok(Created { id: saved.id })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DashboardView {
    pub id: String,
    #[serde(flatten)]
    pub doc: DashboardDoc,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    pub version: i64,
    pub updated_at: String,
    pub access: &'static str,
    /// The name of each question card's question, by card id.
    #[schema(value_type = Object)]
    pub questions: Map<String, Value>,
}

fn doc_of(body: &str) -> Result<DashboardDoc> {
    serde_json::from_str(body).map_err(Error::internal)
}

pub async fn get(app: &App, actor: &Actor, id: &str) -> Result<DashboardView> {
    let shelf = Shelf::load(app, actor).await?;
    let c = shelf.open("dashboard", id, Level::View)?;
    let doc = doc_of(&c.body)?;
    let mut questions = Map::new();
    for (i, card) in doc.cards.iter().enumerate() {
        if let Some(q) = card.question.as_ref().and_then(|q| shelf.contents.get(q)) {
            questions.insert(
                DashboardDoc::card_id(i, card),
                json!({"id": q.id, "name": q.name}),
            );
        }
    }
    Ok(DashboardView {
        id: c.id.clone(),
        doc,
        owner: c.owner_id.clone(),
        version: c.version,
        updated_at: c.updated_at.clone(),
        access: shelf.level(id).as_str(),
        questions,
    })
}

/// `PATCH /api/v1/dashboards/{id}`: the whole document, or any of its fields.
pub async fn update(
    app: &App,
    actor: &Actor,
    id: &str,
    patch: &Map<String, Value>,
) -> Result<DashboardView> {
    let shelf = Shelf::load(app, actor).await?;
    let c = shelf.open("dashboard", id, Level::Edit)?;
    let mut body: Value = serde_json::from_str(&c.body).map_err(Error::internal)?;
    for (k, v) in patch {
        body[k] = v.clone();
    }
    let doc: DashboardDoc = serde_json::from_value(body)
        .map_err(|e| Error::bad_request("dashboard_invalid", e.to_string()))?;
    validate(&shelf, &doc)?;
    let body = serde_json::to_value(&doc).map_err(Error::internal)?;
    save(app, actor, Some(id), "dashboard", &body).await?;
    get(app, actor, id).await
}

/// `POST /api/v1/dashboards/{id}/run`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DashboardRun {
    /// Filter values by filter name; absent or null: the filter's default.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub filters: Map<String, Value>,
    /// Only these cards (ids); absent: every question card.
    #[serde(default)]
    pub cards: Option<Vec<String>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CardAnswers {
    /// `[{"card", "result"}]` or `[{"card", "error": {"code", "message"}}]`.
    #[schema(value_type = Vec<Object>)]
    pub cards: Vec<Value>,
}

/// A builder question's spec with dashboard values as conditions on its fields.
fn with_field_filters(doc: &mut QuestionDoc, conditions: Vec<Filter>) {
    if conditions.is_empty() {
        return;
    }
    if let Some(spec) = doc.query.builder.as_mut() {
        let mut all = conditions;
        if let Some(f) = spec.filter.take() {
            all.push(f);
        }
        spec.filter = Some(Filter {
            and: Some(all),
            ..Filter::default()
        });
    }
}

fn condition(kind: &str, field: &str, v: &Value) -> Filter {
    let base = Filter {
        column: Some(field.to_string()),
        ..Filter::default()
    };
    match (kind, v) {
        ("date", Value::Object(o)) => match (o.get("from"), o.get("to")) {
            (Some(a), Some(b)) => Filter {
                op: Some("between".into()),
                value: Some(json!([a, b])),
                ..base
            },
            (Some(a), None) => Filter {
                op: Some("ge".into()),
                value: Some(a.clone()),
                ..base
            },
            (None, Some(b)) => Filter {
                op: Some("le".into()),
                value: Some(b.clone()),
                ..base
            },
            _ => Filter {
                op: Some("not_null".into()),
                ..base
            },
        },
        (_, Value::Array(_)) => Filter {
            op: Some("in".into()),
            value: Some(v.clone()),
            ..base
        },
        _ => Filter {
            op: Some("eq".into()),
            value: Some(v.clone()),
            ..base
        },
    }
}

/// Marks the dashboard's events (`{"at": "2025-03-01", "label": "Launch"}`) on a chart whose
/// x axis is dates (days, months or years): a vertical line at the matching category.
fn annotate(chart: &mut Value, annotations: &[Value]) {
    if annotations.is_empty() || chart["kind"] != "echarts" {
        return;
    }
    let Some(categories) = chart["option"]["xAxis"]["data"].as_array().cloned() else {
        return;
    };
    let mut lines = Vec::new();
    for a in annotations {
        let (Some(at), label) = (a["at"].as_str(), a["label"].as_str().unwrap_or("")) else {
            continue;
        };
        // The category naming the day, month or year the event falls in.
        let hit = categories.iter().filter_map(Value::as_str).find(|c| {
            c.len() >= 4 && c.as_bytes()[..4].iter().all(u8::is_ascii_digit) && at.starts_with(*c)
        });
        if let Some(c) = hit {
            lines.push(
                json!({"xAxis": c, "label": {"formatter": label, "position": "insideEndTop"}}),
            );
        }
    }
    if lines.is_empty() {
        return;
    }
    if let Some(first) = chart["option"]["series"].get_mut(0) {
        first["markLine"] = json!({"symbol": "none", "silent": true, "lineStyle": {"type": "dashed", "color": "#52606d"}, "data": lines});
    }
}

/// Runs every question card of a dashboard as the caller, concurrently.
pub async fn run(
    app: &Arc<App>,
    actor: &Actor,
    id: &str,
    req: &DashboardRun,
) -> Result<CardAnswers> {
    let shelf = Shelf::load(app, actor).await?;
    run_on(app, actor, &shelf, id, req).await
}

/// [`run`] with the caller's shelf already loaded (a public link's is narrower).
pub(crate) async fn run_on(
    app: &Arc<App>,
    actor: &Actor,
    shelf: &Shelf,
    id: &str,
    req: &DashboardRun,
) -> Result<CardAnswers> {
    let c = shelf.open("dashboard", id, Level::View)?;
    let doc = doc_of(&c.body)?;
    let mut jobs = Vec::new();
    for (i, card) in doc.cards.iter().enumerate() {
        let card_id = DashboardDoc::card_id(i, card);
        let Some(qid) = &card.question else { continue };
        if req
            .cards
            .as_ref()
            .is_some_and(|only| !only.contains(&card_id))
        {
            continue;
        }
        // Sharing a dashboard shows its cards; the data is still only what the caller's
        // own grants, masks and row policies allow.
        let Some(q) = shelf.contents.get(qid).filter(|q| q.kind == "question") else {
            jobs.push(futures::future::Either::Left(futures::future::ready(
                json!({"card": card_id, "error": {"code": "not_found", "message": "the card's question was deleted"}}),
            )));
            continue;
        };
        let mut qdoc: QuestionDoc = serde_json::from_str(&q.body).map_err(Error::internal)?;
        let declared: Vec<String> = match (&qdoc.query.sql, &qdoc.query.builder) {
            (Some(_), _) => qdoc.query.params.iter().map(|p| p.name.clone()).collect(),
            (_, Some(spec)) => spec.params.iter().map(|p| p.name.clone()).collect(),
            _ => Vec::new(),
        };
        let mut params = Map::new();
        let mut conditions = Vec::new();
        for f in &doc.filters {
            let value = req
                .filters
                .get(&f.name)
                .filter(|v| !v.is_null())
                .or(f.default.as_ref());
            let Some(value) = value else { continue };
            for t in f
                .targets
                .iter()
                .filter(|t| card_index(&doc, &t.card) == Some(i))
            {
                if declared.contains(&t.field) {
                    params.insert(t.field.clone(), value.clone());
                } else {
                    conditions.push(condition(&f.kind, &t.field, value));
                }
            }
        }
        with_field_filters(&mut qdoc, conditions);
        let (app, annotations) = (app.clone(), &doc.annotations);
        jobs.push(futures::future::Either::Right(async move {
            match run_doc(
                &app,
                actor,
                shelf,
                &qdoc,
                &params,
                None,
                QueryOptions::default(),
            )
            .await
            {
                Ok(ran) => match crate::query::json::answer_json(&ran.answer) {
                    Ok(mut result) => {
                        let mut chart = ran.chart;
                        annotate(&mut chart, annotations);
                        result["chart"] = chart;
                        json!({"card": card_id, "result": result})
                    }
                    Err(e) => {
                        json!({"card": card_id, "error": {"code": e.code, "message": e.message}})
                    }
                },
                Err(e) => json!({"card": card_id, "error": {"code": e.code, "message": e.message}}),
            }
        }));
    }
    Ok(CardAnswers {
        cards: futures::future::join_all(jobs).await,
    })
}
