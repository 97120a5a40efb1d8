//! Questions: SQL (engine, or native for callers allowed it) or a builder spec, with a
//! visualization. Running one is running its query as the caller: their grants, masks and
//! row policies, never the author's.

use std::sync::Arc;

use proost_connect::Limits;
use proost_query::builder::{Base, Bases, Param, Spec};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use utoipa::ToSchema;

use super::{Created, Level, Shelf, check_collection, check_name, save};
use crate::query::{self, Answer, CallerCatalog, QueryOptions, QueryRequest, Work};
use crate::{Actor, App, Error, Result};

/// What a question asks: `{"sql", "connection"?, "params"?}` or `{"builder"}`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sql: Option<String>,
    /// Native SQL: the connection it runs on, in its own dialect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection: Option<String>,
    /// Typed parameters of SQL: `{{name}}` in the text, bound as values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<Object>)]
    pub params: Vec<Param>,
    /// A builder spec (`{"v":1, "source":…}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub builder: Option<Spec>,
}

/// `POST /api/v1/questions`; also the saved document of each version.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionDoc {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub collection: Option<String>,
    pub query: QuestionQuery,
    /// `{"type": "table"|"number"|"bar"|…, …}` (see the charts documentation).
    #[serde(default = "table")]
    #[schema(value_type = Object)]
    pub visualization: Value,
}

fn table() -> Value {
    json!({"type": "table"})
}

/// `PATCH /api/v1/questions/{id}`: the fields to change.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionPatch {
    pub name: Option<String>,
    pub description: Option<String>,
    /// A collection id, or null for none.
    #[serde(default, deserialize_with = "serde_with_null::deserialize")]
    #[schema(value_type = Option<String>)]
    pub collection: Option<Option<String>>,
    pub query: Option<QuestionQuery>,
    #[schema(value_type = Option<Object>)]
    pub visualization: Option<Value>,
}

/// Distinguishes an absent field from an explicit null.
mod serde_with_null {
    use serde::{Deserialize, Deserializer};
    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Option<String>>, D::Error> {
        Option::<String>::deserialize(d).map(Some)
    }
}

/// A question as its readers get it.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionView {
    pub id: String,
    #[serde(flatten)]
    pub doc: QuestionDoc,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
    /// The caller's access: `view`, `edit` or `own`.
    pub access: &'static str,
}

fn validate(doc: &QuestionDoc) -> Result<()> {
    check_name(&doc.name)?;
    if let Some(click) = doc.visualization.get("click") {
        super::charts::check_click(click, "visualization.click", "question_invalid")?;
    }
    super::tables::check(&doc.visualization, "question_invalid")?;
    let q = &doc.query;
    match (&q.sql, &q.builder) {
        (Some(sql), None) => {
            if sql.len() > 1_000_000 {
                return Err(Error::bad_request(
                    "sql_too_long",
                    "the SQL text is longer than 1 MB",
                ));
            }
            if q.connection.is_some() && !q.params.is_empty() {
                return Err(Error::bad_request(
                    "sql_params_invalid",
                    "parameters are for engine SQL; native SQL questions take none",
                ));
            }
        }
        (None, Some(spec)) => {
            if spec.v != 1 {
                return Err(Error::bad_request("builder_invalid", "at `v`: use 1"));
            }
            if q.connection.is_some() || !q.params.is_empty() {
                return Err(Error::bad_request(
                    "question_invalid",
                    "a builder question declares its parameters inside the spec",
                ));
            }
        }
        _ => {
            return Err(Error::bad_request(
                "question_invalid",
                "`query` holds either `sql` or `builder`",
            ));
        }
    }
    if !doc.visualization.is_object() {
        return Err(Error::bad_request(
            "visualization_invalid",
            "`visualization` is an object with a `type`",
        ));
    }
    super::charts::check(&doc.visualization)
}

pub async fn create(app: &App, actor: &Actor, doc: &QuestionDoc) -> Result<Created> {
    actor.access.require("sql", "saving questions")?;
    validate(doc)?;
    if doc.query.connection.is_some() {
        actor.access.require("native_sql", "saving native SQL")?;
    }
    let shelf = Shelf::load(app, actor).await?;
    check_collection(&shelf, doc.collection.as_deref())?;
    let body = serde_json::to_value(doc).map_err(Error::internal)?;
    let saved = save(app, actor, None, "question", &body).await?;
    Ok(Created { id: saved.id })
}

fn doc_of(body: &str) -> Result<QuestionDoc> {
    serde_json::from_str(body).map_err(Error::internal)
}

pub async fn get(app: &App, actor: &Actor, id: &str) -> Result<QuestionView> {
    let shelf = Shelf::load(app, actor).await?;
    let c = shelf.open("question", id, Level::View)?;
    Ok(QuestionView {
        id: c.id.clone(),
        doc: doc_of(&c.body)?,
        owner: c.owner_id.clone(),
        version: c.version,
        created_at: c.created_at.clone(),
        updated_at: c.updated_at.clone(),
        access: shelf.level(id).as_str(),
    })
}

pub async fn update(
    app: &App,
    actor: &Actor,
    id: &str,
    patch: &QuestionPatch,
) -> Result<QuestionView> {
    let shelf = Shelf::load(app, actor).await?;
    let c = shelf.open("question", id, Level::Edit)?;
    let mut doc = doc_of(&c.body)?;
    if let Some(n) = &patch.name {
        doc.name = n.trim().to_string();
    }
    if let Some(d) = &patch.description {
        doc.description = d.clone();
    }
    if let Some(col) = &patch.collection {
        check_collection(&shelf, col.as_deref())?;
        doc.collection = col.clone();
    }
    if let Some(q) = &patch.query {
        if q.connection.is_some() {
            actor.access.require("native_sql", "saving native SQL")?;
        }
        doc.query = q.clone();
    }
    if let Some(v) = &patch.visualization {
        doc.visualization = v.clone();
    }
    validate(&doc)?;
    let body = serde_json::to_value(&doc).map_err(Error::internal)?;
    save(app, actor, Some(id), "question", &body).await?;
    get(app, actor, id).await
}

/// A question's query made ready to run: the work for the engine, or native SQL.
enum Runnable {
    Engine(Work),
    Native(QueryRequest),
}

/// The questions a spec builds on, resolved for the caller (each must be one they may open).
fn bases(shelf: &Shelf, spec: &Spec, out: &mut Bases, depth: usize) -> Result<()> {
    let Some(id) = &spec.source.question else {
        return Ok(());
    };
    if depth > 4 || out.contains_key(id) {
        return Ok(());
    }
    let c = shelf.open("question", id, Level::View).map_err(|_| {
        Error::bad_request(
            "builder_invalid",
            format!("at `source.question`: no question `{id}` you may open"),
        )
    })?;
    let doc = doc_of(&c.body)?;
    match (doc.query.sql, doc.query.builder) {
        (Some(_), _) if doc.query.connection.is_some() => Err(Error::bad_request(
            "builder_invalid",
            "at `source.question`: a native SQL question cannot be a source; save it as engine SQL",
        )),
        (Some(sql), _) => {
            let bound = proost_query::template::bind(&sql, &doc.query.params, &Map::new())?;
            out.insert(
                id.clone(),
                Base::Sql {
                    sql: bound.sql,
                    params: bound.values,
                },
            );
            Ok(())
        }
        (None, Some(spec)) => {
            bases(shelf, &spec, out, depth + 1)?;
            out.insert(
                id.clone(),
                Base::Builder {
                    spec: Box::new(spec),
                    params: Map::new(),
                },
            );
            Ok(())
        }
        (None, None) => Ok(()),
    }
}

fn runnable(shelf: &Shelf, q: &QuestionQuery, params: &Map<String, Value>) -> Result<Runnable> {
    match (&q.sql, &q.builder) {
        (Some(sql), _) => match &q.connection {
            Some(conn) => Ok(Runnable::Native(QueryRequest {
                sql: sql.clone(),
                connection: Some(conn.clone()),
                limit: None,
                query_id: None,
            })),
            None => {
                let bound = proost_query::template::bind(sql, &q.params, params)?;
                Ok(Runnable::Engine(Work::Sql {
                    sql: bound.sql,
                    values: bound.values,
                }))
            }
        },
        (None, Some(spec)) => {
            let mut found = Bases::new();
            bases(shelf, spec, &mut found, 0)?;
            Ok(Runnable::Engine(Work::Builder {
                spec: Arc::new(spec.clone()),
                params: Arc::new(params.clone()),
                bases: Arc::new(found),
            }))
        }
        (None, None) => Err(Error::bad_request(
            "question_invalid",
            "the question has no query",
        )),
    }
}

/// `POST /api/v1/questions/{id}/run`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RunRequest {
    #[serde(default)]
    #[schema(value_type = Object)]
    pub params: Map<String, Value>,
    pub limit: Option<usize>,
    /// A page of the rows, sorted on the server (`{"offset","size","sort":[{"column","desc"}]}`);
    /// absent: every row.
    #[serde(default)]
    pub table: Option<super::tables::TablePage>,
}

/// A question's answer and its chart.
pub struct Ran {
    pub answer: Answer,
    pub chart: Value,
    pub name: String,
}

async fn execute(
    app: &Arc<App>,
    actor: &Actor,
    run: Runnable,
    limit: Option<usize>,
    opts: QueryOptions,
) -> Result<Answer> {
    match run {
        Runnable::Engine(work) => query::run_work(app, actor, &work, limit, opts).await,
        Runnable::Native(mut req) => {
            req.limit = limit;
            query::run(app, actor, &req, opts).await
        }
    }
}

/// Runs a saved question as the caller.
pub async fn run(
    app: &Arc<App>,
    actor: &Actor,
    id: &str,
    req: &RunRequest,
    opts: QueryOptions,
) -> Result<Ran> {
    let shelf = Shelf::load(app, actor).await?;
    let c = shelf.open("question", id, Level::View)?;
    let doc = doc_of(&c.body)?;
    run_doc(app, actor, &shelf, &doc, &req.params, req.limit, opts).await
}

pub(crate) async fn run_doc(
    app: &Arc<App>,
    actor: &Actor,
    shelf: &Shelf,
    doc: &QuestionDoc,
    params: &Map<String, Value>,
    limit: Option<usize>,
    opts: QueryOptions,
) -> Result<Ran> {
    let work = runnable(shelf, &doc.query, params)?;
    let answer = execute(app, actor, work, limit, opts).await?;
    let body = query::json::answer_json(&answer)?;
    // A builder question's leading columns are its breakouts.
    let dims = doc.query.builder.as_ref().map(|spec| {
        spec.stages
            .iter()
            .rev()
            .find(|s| !s.breakouts.is_empty() || !s.aggregations.is_empty())
            .map(|s| s.breakouts.len())
            .unwrap_or(spec.breakouts.len())
    });
    let mut chart = super::charts::chart(&doc.visualization, &doc.name, &body, dims);
    // How the table shows cells (checked when saved).
    for key in ["columns", "conditional"] {
        if let Some(v) = doc.visualization.get(key) {
            chart[key] = v.clone();
        }
    }
    Ok(Ran {
        answer,
        chart,
        name: doc.name.clone(),
    })
}

/// `POST /api/v1/builder/run` and `/api/v1/builder/sql`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BuilderRequest {
    #[schema(value_type = Object)]
    pub builder: Spec,
    #[serde(default)]
    #[schema(value_type = Object)]
    pub params: Map<String, Value>,
    pub limit: Option<usize>,
    /// Draws the answer as this visualization too.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub visualization: Option<Value>,
}

/// Runs an unsaved spec as the caller.
pub async fn run_builder(app: &Arc<App>, actor: &Actor, req: &BuilderRequest) -> Result<Ran> {
    let shelf = Shelf::load(app, actor).await?;
    let doc = QuestionDoc {
        name: String::new(),
        description: String::new(),
        collection: None,
        query: QuestionQuery {
            sql: None,
            connection: None,
            params: Vec::new(),
            builder: Some(req.builder.clone()),
        },
        visualization: req.visualization.clone().unwrap_or_else(table),
    };
    super::charts::check(&doc.visualization)?;
    run_doc(
        app,
        actor,
        &shelf,
        &doc,
        &req.params,
        req.limit,
        QueryOptions::default(),
    )
    .await
}

/// The SQL a spec means (its plan unparsed); nothing runs.
pub async fn builder_sql(app: &Arc<App>, actor: &Actor, req: &BuilderRequest) -> Result<String> {
    let shelf = Shelf::load(app, actor).await?;
    let mut found = Bases::new();
    bases(&shelf, &req.builder, &mut found, 0)?;
    let cfg = &app.config;
    let limits = Limits::new(cfg.query_timeout, cfg.max_rows);
    let catalog = CallerCatalog {
        connections: &app.connections,
        store: &app.store,
        replicas: &app.replicas,
        access: actor.access.clone(),
    };
    Ok(app
        .engine
        .builder_sql(&req.builder, &req.params, &found, &catalog, &limits)
        .await?)
}
