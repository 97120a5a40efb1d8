//! Key-value tables (`wp_usermeta`, custom fields, EAV): one column names the attribute, the
//! other holds its value, and each attribute holds a different kind of data. The value
//! column is classified attribute by attribute, each as if it were a column named after
//! the attribute, so `billing_phone` is found to hold phone numbers and `show_admin_bar`
//! nothing, and masks can follow the attribute.

use std::collections::BTreeMap;

use crate::names::tokenize;
use crate::{Category, Classifier, ColumnSample, Evidence, Finding, ValueKind};

/// Attributes classified at most (the most frequent first); the rest fall to the mask of
/// unknown attributes.
const MAX_ATTRIBUTES: usize = 400;

/// The key and value columns of a key-value table, by position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyValue {
    pub key: usize,
    pub value: usize,
}

/// The findings of a key-value table's value column, attribute by attribute.
#[derive(Clone, Debug, PartialEq)]
pub struct AttributeFindings {
    /// Every attribute seen in the sample, with its findings (empty: not personal).
    pub attributes: BTreeMap<String, Vec<Finding>>,
}

impl AttributeFindings {
    /// The value column as a whole: each category at the highest confidence any attribute
    /// gave it, with that attribute as the evidence's name cue.
    pub fn column(&self) -> Vec<Finding> {
        let mut best: BTreeMap<Category, Finding> = BTreeMap::new();
        for (attr, findings) in &self.attributes {
            for f in findings {
                if best
                    .get(&f.category)
                    .is_none_or(|b| b.confidence < f.confidence)
                {
                    let mut f = f.clone();
                    f.evidence = Evidence {
                        name_cue: Some(format!("attribute:{attr}")),
                        ..f.evidence
                    };
                    best.insert(f.category, f);
                }
            }
        }
        let mut out: Vec<Finding> = best.into_values().collect();
        out.sort_by(|a, b| {
            b.confidence
                .total_cmp(&a.confidence)
                .then(a.category.cmp(&b.category))
        });
        out
    }
}

/// Names of attribute columns (`meta_key`, `attribute_name`, `field`) and value columns
/// (`meta_value`, `attribute_value`, `value`), as tokens.
const KEY_WORDS: &[&str] = &[
    "key",
    "name",
    "attribute",
    "attr",
    "field",
    "property",
    "prop",
    "param",
    "parameter",
    "option",
    "setting",
    "label",
    "question",
    "variable",
    "var",
    "code",
    "tag",
    // `field_id`, `attribute_id`: only with a leading word of `SHARED` (never a bare `id`).
    "id",
    "navn",
    "namn",
    "naam",
    "nom",
    "nombre",
    "nome",
    "nimi",
];
const VALUE_WORDS: &[&str] = &[
    "value", "val", "data", "content", "answer", "text", "wert", "valeur", "valor", "waarde",
    "vaerdi", "verdi", "varde", "arvo",
];
/// Leading words that key and value columns of one pair share (`meta_key` / `meta_value`).
const SHARED: &[&str] = &[
    "meta",
    "attribute",
    "attr",
    "field",
    "property",
    "prop",
    "param",
    "option",
    "setting",
    "custom",
    "extra",
    "profile",
    "user",
    "var",
    "attribut",
    "egenskab",
    "egenskap",
    "eigenschaft",
    "merkmal",
];

/// Finds the key and value columns of a key-value table from the column names and kinds,
/// confirmed by the sampled keys: a text key column whose values repeat (a few dozen
/// attributes over many rows), and a value column beside it.
pub fn key_value_columns(columns: &[ColumnSample]) -> Option<KeyValue> {
    let tokens: Vec<Vec<String>> = columns
        .iter()
        .map(|c| {
            tokenize(c.name)
                .into_iter()
                .map(|t| t.to_lowercase())
                .collect()
        })
        .collect();
    let last_in = |i: usize, words: &[&str]| {
        tokens[i]
            .last()
            .is_some_and(|t| words.contains(&t.as_str()))
    };
    let mut best: Option<(u8, KeyValue)> = None;
    for (v, vc) in columns.iter().enumerate() {
        if !last_in(v, VALUE_WORDS) || !matches!(vc.kind, ValueKind::Text | ValueKind::Other) {
            continue;
        }
        for (k, kc) in columns.iter().enumerate() {
            // Keys may be numbers (a form's field ids), then values tell the attributes apart.
            if k == v
                || !last_in(k, KEY_WORDS)
                || !matches!(kc.kind, ValueKind::Text | ValueKind::Integer)
            {
                continue;
            }
            // `meta_key` with `meta_value` beats `name` with `value`.
            let prefix = |i: usize| tokens[i][..tokens[i].len() - 1].to_vec();
            let shared = !prefix(k).is_empty() && prefix(k) == prefix(v);
            let generic = prefix(k).iter().all(|t| SHARED.contains(&t.as_str()))
                && prefix(v).iter().all(|t| SHARED.contains(&t.as_str()));
            let bare_id = tokens[k].len() == 1 && tokens[k][0] == "id";
            let score = if bare_id {
                0
            } else if shared {
                2
            } else if generic {
                1
            } else {
                0
            };
            if score == 0 || !repeating_keys(kc.values) {
                continue;
            }
            if best.is_none_or(|b| b.0 < score) {
                best = Some((score, KeyValue { key: k, value: v }));
            }
        }
    }
    best.map(|b| b.1)
}

/// Keys that name attributes: identifier-like, and most of them repeating.
fn repeating_keys(values: &[String]) -> bool {
    if values.len() < 10 {
        return false;
    }
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for v in values {
        *counts.entry(v.as_str()).or_default() += 1;
    }
    let distinct = counts.len();
    let short = values
        .iter()
        .filter(|v| v.len() <= 64 && v.split_whitespace().count() <= 4)
        .count();
    distinct >= 2 && distinct * 3 <= values.len() && short * 10 >= values.len() * 9
}

impl Classifier {
    /// Classifies the value column of a key-value table per attribute: `pairs` are the
    /// sampled rows' (attribute, value), NULLs left out.
    pub fn classify_attributes(
        &self,
        table: &str,
        pairs: &[(String, String)],
    ) -> AttributeFindings {
        let mut groups: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for (k, v) in pairs {
            groups.entry(k.as_str()).or_default().push(v.clone());
        }
        let mut order: Vec<(&str, Vec<String>)> = groups.into_iter().collect();
        order.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
        order.truncate(MAX_ATTRIBUTES);
        let attributes = order
            .into_iter()
            .map(|(attr, values)| {
                let sample = ColumnSample {
                    name: attr,
                    kind: ValueKind::Text,
                    values: &values,
                    null_share: None,
                };
                (attr.to_string(), self.classify_column(table, &sample))
            })
            .collect();
        AttributeFindings { attributes }
    }
}
