//! Saved content — questions, dashboards and the collections holding them — with versions,
//! shares and comments. Who may open what is decided here, once ([`Shelf::level`]): admins
//! and owners everything, others what is shared with them or their groups (directly or
//! through a collection above). Opening content never widens data access: a question runs
//! with the grants, masks and row policies of whoever runs it.

pub mod charts;
pub mod comments;
pub mod dashboards;
mod email;
pub mod export;
pub mod fields;
pub mod images;
pub mod pdf;
pub mod public_links;
pub mod questions;
pub mod shares;
pub mod subscriptions;
pub mod tables;

use std::collections::{HashMap, HashSet};

use proost_store::{ContentRecord, NewContent};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

use crate::{Actor, App, Error, Result};

/// What a caller may do with one piece of content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    None,
    View,
    Edit,
    /// The owner, or an admin: may also share and delete.
    Own,
}

impl Level {
    fn parse(s: &str) -> Level {
        match s {
            "edit" => Level::Edit,
            "view" => Level::View,
            _ => Level::None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::None => "none",
            Level::View => "view",
            Level::Edit => "edit",
            Level::Own => "own",
        }
    }
}

/// All content and shares, read once per request, with the caller's groups: enough to
/// answer "what may this caller do with that" for any piece without more queries.
pub struct Shelf {
    pub contents: HashMap<String, ContentRecord>,
    shares: HashMap<String, Vec<(String, String, Level)>>,
    user: String,
    groups: HashSet<String>,
    admin: bool,
    /// A public link's shelf: only this content is open (at View), whatever else is true.
    link: Option<HashSet<String>>,
}

impl Shelf {
    pub async fn load(app: &App, actor: &Actor) -> Result<Shelf> {
        let contents = app
            .store
            .contents(None)
            .await?
            .into_iter()
            .map(|c| (c.id.clone(), c))
            .collect();
        let mut shares: HashMap<String, Vec<(String, String, Level)>> = HashMap::new();
        for s in app.store.all_shares().await? {
            shares.entry(s.content_id).or_default().push((
                s.principal_kind,
                s.principal_id,
                Level::parse(&s.level),
            ));
        }
        let groups = app
            .store
            .groups_of(&actor.user.id)
            .await?
            .into_iter()
            .map(|(g, _)| g.id)
            .collect();
        Ok(Shelf {
            contents,
            shares,
            user: actor.user.id.clone(),
            groups,
            admin: actor.access.admin,
            link: None,
        })
    }

    /// What a public link opens: the linked content and the questions it shows (a
    /// dashboard's cards, a builder question's source questions), at View; nothing else.
    pub(crate) async fn for_link(app: &App, actor: &Actor, content_id: &str) -> Result<Shelf> {
        let mut shelf = Shelf::load(app, actor).await?;
        let mut reach = HashSet::new();
        let mut todo = vec![content_id.to_string()];
        while let Some(id) = todo.pop() {
            if reach.len() >= 200 || !reach.insert(id.clone()) {
                continue;
            }
            if let Some(c) = shelf.contents.get(&id)
                && let Ok(body) = serde_json::from_str::<Value>(&c.body)
            {
                public_links::shown_questions(&body, &mut todo);
            }
        }
        shelf.link = Some(reach);
        Ok(shelf)
    }

    /// The caller's level on content `id` (`None` when it does not exist).
    pub fn level(&self, id: &str) -> Level {
        let Some(c) = self.contents.get(id) else {
            return Level::None;
        };
        if let Some(reach) = &self.link {
            return if reach.contains(id) {
                Level::View
            } else {
                Level::None
            };
        }
        if self.admin || c.owner_id.as_deref() == Some(self.user.as_str()) {
            return Level::Own;
        }
        let mut best = Level::None;
        let mut at = Some(c);
        let mut seen = HashSet::new();
        while let Some(c) = at {
            if !seen.insert(c.id.as_str()) {
                break;
            }
            for (kind, principal, level) in self.shares.get(&c.id).into_iter().flatten() {
                let mine = match kind.as_str() {
                    "user" => principal == &self.user,
                    _ => self.groups.contains(principal),
                };
                if mine {
                    best = best.max(*level);
                }
            }
            // Owning a collection is editing what is in it.
            if c.id != id && c.owner_id.as_deref() == Some(self.user.as_str()) {
                best = best.max(Level::Edit);
            }
            at = c.collection_id.as_ref().and_then(|p| self.contents.get(p));
        }
        best
    }

    /// Content of `kind` the caller may open at `min`, or not found (never "forbidden":
    /// whether content exists is not told to those who may not see it).
    pub fn open(&self, kind: &str, id: &str, min: Level) -> Result<&ContentRecord> {
        let what = kind.to_string();
        let c = self
            .contents
            .get(id)
            .filter(|c| c.kind == kind)
            .ok_or_else(|| Error::not_found(&what))?;
        let level = self.level(id);
        if level == Level::None {
            return Err(Error::not_found(&what));
        }
        if level < min {
            return Err(Error::forbidden(format!(
                "you may {} this {kind}; {} needs {}",
                if level == Level::View { "view" } else { "edit" },
                if min == Level::Own {
                    "this"
                } else {
                    "changing it"
                },
                if min == Level::Own {
                    "its owner or an admin"
                } else {
                    "edit access"
                }
            ))
            .with_code("content_forbidden"));
        }
        Ok(c)
    }
}

/// A collection (folder) to save into: one the caller may edit, or none.
pub(crate) fn check_collection(shelf: &Shelf, id: Option<&str>) -> Result<()> {
    if let Some(id) = id {
        shelf
            .open("collection", id, Level::Edit)
            .map_err(|e| match e.code {
                "not_found" => Error::bad_request(
                    "collection_not_found",
                    format!("no collection `{id}` you may save into"),
                ),
                _ => e,
            })?;
    }
    Ok(())
}

pub(crate) fn check_name(name: &str) -> Result<()> {
    let n = name.trim();
    if n.is_empty() || n.chars().count() > 200 {
        return Err(Error::bad_request(
            "name_invalid",
            "a name is 1 to 200 characters",
        ));
    }
    Ok(())
}

/// One entry of a list of content.
#[derive(Debug, Serialize, ToSchema)]
pub struct Item {
    pub id: String,
    pub kind: String,
    pub name: String,
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collection: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    pub version: i64,
    pub updated_at: String,
    /// `view`, `edit` or `own`.
    pub access: &'static str,
}

fn item(shelf: &Shelf, c: &ContentRecord) -> Item {
    Item {
        id: c.id.clone(),
        kind: c.kind.clone(),
        name: c.name.clone(),
        description: c.description.clone(),
        collection: c.collection_id.clone(),
        owner: c.owner_id.clone(),
        version: c.version,
        updated_at: c.updated_at.clone(),
        access: shelf.level(&c.id).as_str(),
    }
}

/// Content of `kind` the caller may open whose name or description contains `search`.
pub async fn list(app: &App, actor: &Actor, kind: &str, search: Option<&str>) -> Result<Vec<Item>> {
    let shelf = Shelf::load(app, actor).await?;
    let needle = search
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty());
    let mut out: Vec<Item> = shelf
        .contents
        .values()
        .filter(|c| c.kind == kind && shelf.level(&c.id) > Level::None)
        .filter(|c| match &needle {
            Some(n) => {
                c.name.to_lowercase().contains(n) || c.description.to_lowercase().contains(n)
            }
            None => true,
        })
        .map(|c| item(&shelf, c))
        .collect();
    out.sort_by(|a, b| b.updated_at.cmp(&a.updated_at).then(a.id.cmp(&b.id)));
    Ok(out)
}

/// `POST /api/v1/collections`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCollection {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// The collection this one sits in.
    pub parent: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Created {
    pub id: String,
}

pub async fn create_collection(app: &App, actor: &Actor, c: &NewCollection) -> Result<Created> {
    actor.access.require("sql", "making collections")?;
    check_name(&c.name)?;
    let shelf = Shelf::load(app, actor).await?;
    check_collection(&shelf, c.parent.as_deref())?;
    let body = json!({"name": c.name.trim(), "description": c.description, "parent": c.parent});
    let saved = save(app, actor, None, "collection", &body).await?;
    Ok(Created { id: saved.id })
}

/// A collection and what the caller may open in it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CollectionView {
    #[serde(flatten)]
    pub collection: Item,
    pub items: Vec<Item>,
}

pub async fn collection(app: &App, actor: &Actor, id: &str) -> Result<CollectionView> {
    let shelf = Shelf::load(app, actor).await?;
    let c = shelf.open("collection", id, Level::View)?;
    let mut items: Vec<Item> = shelf
        .contents
        .values()
        .filter(|x| x.collection_id.as_deref() == Some(id) && shelf.level(&x.id) > Level::None)
        .map(|x| item(&shelf, x))
        .collect();
    items.sort_by(|a, b| a.kind.cmp(&b.kind).then(a.name.cmp(&b.name)));
    Ok(CollectionView {
        collection: item(&shelf, c),
        items,
    })
}

/// Saves a document as new content (`existing` None) or as the next version of `existing`.
/// The name, description and collection are read from the body.
pub(crate) async fn save(
    app: &App,
    actor: &Actor,
    existing: Option<&str>,
    kind: &str,
    body: &Value,
) -> Result<ContentRecord> {
    let text = serde_json::to_string(body).map_err(Error::internal)?;
    if text.len() > 2_000_000 {
        return Err(Error::bad_request(
            "content_too_large",
            "a saved document is at most 2 MB",
        ));
    }
    let collection = body
        .get(if kind == "collection" {
            "parent"
        } else {
            "collection"
        })
        .and_then(Value::as_str);
    let new = NewContent {
        kind,
        name: body.get("name").and_then(Value::as_str).unwrap_or(""),
        description: body
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or(""),
        collection_id: collection,
        body: &text,
    };
    let saved = match existing {
        None => app.store.create_content(&new, &actor.user.id).await?,
        Some(id) => app
            .store
            .update_content(id, &new, &actor.user.id)
            .await?
            .ok_or_else(|| Error::not_found(kind))?,
    };
    app.audit(
        Some(&actor.user.id),
        &format!("{kind}.save"),
        Some(&saved.id),
        &json!({"version": saved.version}),
    )
    .await?;
    Ok(saved)
}

/// Deletes content the caller owns (or, as an admin, any); a collection goes with
/// everything inside it.
pub async fn delete(app: &App, actor: &Actor, kind: &str, id: &str) -> Result<()> {
    let shelf = Shelf::load(app, actor).await?;
    shelf.open(kind, id, Level::Own)?;
    app.store.delete_content(id).await?;
    app.audit(
        Some(&actor.user.id),
        &format!("{kind}.delete"),
        Some(id),
        &json!({}),
    )
    .await?;
    Ok(())
}

/// One saved version.
#[derive(Debug, Serialize, ToSchema)]
pub struct Version {
    pub version: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    pub created_at: String,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VersionList {
    pub versions: Vec<Version>,
}

pub async fn versions(app: &App, actor: &Actor, kind: &str, id: &str) -> Result<VersionList> {
    let shelf = Shelf::load(app, actor).await?;
    shelf.open(kind, id, Level::View)?;
    let versions = app
        .store
        .content_versions(id)
        .await?
        .into_iter()
        .map(|v| Version {
            version: v.version,
            author: v.author_id,
            created_at: v.created_at,
            name: serde_json::from_str::<Value>(&v.body)
                .ok()
                .and_then(|b| b.get("name").and_then(Value::as_str).map(str::to_string))
                .unwrap_or_default(),
        })
        .collect();
    Ok(VersionList { versions })
}

async fn version_body(app: &App, id: &str, n: i64) -> Result<Value> {
    let v = app
        .store
        .content_versions(id)
        .await?
        .into_iter()
        .find(|v| v.version == n)
        .ok_or_else(|| Error::not_found(&format!("version {n}")))?;
    serde_json::from_str(&v.body).map_err(Error::internal)
}

/// What changed between two versions: one entry per JSON path that differs.
#[derive(Debug, Serialize, ToSchema)]
pub struct Diff {
    pub from: i64,
    pub to: i64,
    /// `[{"path", "before", "after"}]`; an absent side is left out.
    #[schema(value_type = Vec<Object>)]
    pub changes: Vec<Value>,
}

pub async fn diff(
    app: &App,
    actor: &Actor,
    kind: &str,
    id: &str,
    from: i64,
    to: Option<i64>,
) -> Result<Diff> {
    let shelf = Shelf::load(app, actor).await?;
    let c = shelf.open(kind, id, Level::View)?;
    let to = to.unwrap_or(c.version);
    let (a, b) = (
        version_body(app, id, from).await?,
        version_body(app, id, to).await?,
    );
    let mut changes = Vec::new();
    json_diff("", &a, &b, &mut changes);
    Ok(Diff { from, to, changes })
}

fn json_diff(path: &str, a: &Value, b: &Value, out: &mut Vec<Value>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let p = format!("{path}/{k}");
                match (x.get(k), y.get(k)) {
                    (Some(l), Some(r)) => json_diff(&p, l, r, out),
                    (Some(l), None) => out.push(json!({"path": p, "before": l})),
                    (None, Some(r)) => out.push(json!({"path": p, "after": r})),
                    (None, None) => {}
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (l, r)) in x.iter().zip(y).enumerate() {
                json_diff(&format!("{path}/{i}"), l, r, out);
            }
        }
        _ if a != b => out.push(
            json!({"path": if path.is_empty() { "/" } else { path }, "before": a, "after": b}),
        ),
        _ => {}
    }
}

/// Saves version `n`'s document as the newest version.
pub async fn restore(app: &App, actor: &Actor, kind: &str, id: &str, n: i64) -> Result<Item> {
    let shelf = Shelf::load(app, actor).await?;
    shelf.open(kind, id, Level::Edit)?;
    let body = version_body(app, id, n).await?;
    // The collection it was in may be gone or closed to the caller since.
    let key = if kind == "collection" {
        "parent"
    } else {
        "collection"
    };
    let body = match body.get(key).and_then(Value::as_str) {
        Some(col) if check_collection(&shelf, Some(col)).is_err() => {
            let mut b = body.clone();
            b[key] = Value::Null;
            b
        }
        _ => body,
    };
    let saved = save(app, actor, Some(id), kind, &body).await?;
    let shelf = Shelf::load(app, actor).await?;
    Ok(item(&shelf, &saved))
}

/// `POST …/duplicate`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DuplicateRequest {
    pub name: Option<String>,
    pub collection: Option<String>,
}

/// A copy the caller owns (of content they may view).
pub async fn duplicate(
    app: &App,
    actor: &Actor,
    kind: &str,
    id: &str,
    req: &DuplicateRequest,
) -> Result<Created> {
    actor
        .access
        .require("sql", "saving questions and dashboards")?;
    let shelf = Shelf::load(app, actor).await?;
    let c = shelf.open(kind, id, Level::View)?;
    let mut body: Value = serde_json::from_str(&c.body).map_err(Error::internal)?;
    let name = req
        .name
        .clone()
        .unwrap_or_else(|| format!("{} (copy)", c.name));
    check_name(&name)?;
    check_collection(&shelf, req.collection.as_deref())?;
    body["name"] = json!(name);
    body["collection"] = json!(req.collection);
    let saved = save(app, actor, None, kind, &body).await?;
    Ok(Created { id: saved.id })
}
