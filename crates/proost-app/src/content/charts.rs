//! Charts: a question's visualization and its answer turned into what the browser draws —
//! ECharts options, a number tile or a pivot table — built here, on the server, once, so
//! every client (and every image of it) draws the same thing.
//!
//! `visualization`: `{"type", "x"?, "y"?: [..], "series"?, "value"?, "rows"?, "columns"?,
//! "title"?, "x_label"?, "y_label"?}`; columns default to the first text/date column (x)
//! and the number columns (y).

use serde_json::{Map, Value, json};

use crate::{Error, Result};

pub const TYPES: &[&str] = &[
    "table",
    "number",
    "bar",
    "stacked_bar",
    "line",
    "area",
    "combo",
    "pie",
    "donut",
    "scatter",
    "heatmap",
    "funnel",
    "map",
    "pivot",
];

/// Okabe–Ito: told apart with any common colour-vision deficiency.
const PALETTE: &[&str] = &[
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442",
];

/// Most points one chart draws; more is unreadable and slow (a table shows them all).
const MAX_POINTS: usize = 5000;

pub fn check(viz: &Value) -> Result<()> {
    let t = viz.get("type").and_then(Value::as_str).unwrap_or("");
    if !TYPES.contains(&t) {
        return Err(Error::bad_request(
            "visualization_invalid",
            format!(
                "unknown visualization type `{t}`; use one of {}",
                TYPES.join(", ")
            ),
        ));
    }
    Ok(())
}

struct Data<'a> {
    names: Vec<&'a str>,
    types: Vec<&'a str>,
    rows: &'a [Value],
}

impl<'a> Data<'a> {
    fn of(body: &'a Value) -> Option<Data<'a>> {
        let columns = body.get("columns")?.as_array()?;
        Some(Data {
            names: columns
                .iter()
                .map(|c| c["name"].as_str().unwrap_or(""))
                .collect(),
            types: columns
                .iter()
                .map(|c| c["type"].as_str().unwrap_or(""))
                .collect(),
            rows: body.get("rows")?.as_array()?,
        })
    }

    fn index(&self, name: Option<&str>) -> Option<usize> {
        self.names.iter().position(|n| Some(*n) == name)
    }

    fn numeric(&self, i: usize) -> bool {
        matches!(self.types[i], "integer" | "float" | "decimal")
    }

    fn num(&self, row: &Value, i: usize) -> Value {
        match &row[i] {
            Value::String(s) => s.parse::<f64>().map(|f| json!(f)).unwrap_or(Value::Null),
            v => v.clone(),
        }
    }

    fn label(&self, row: &Value, i: usize) -> String {
        match &row[i] {
            // Buckets are midnight timestamps: the day is enough.
            Value::String(s) if matches!(self.types[i], "timestamp" | "timestamptz") => s
                .strip_suffix("T00:00:00")
                .or_else(|| s.strip_suffix("T00:00:00Z"))
                .unwrap_or(s)
                .to_string(),
            Value::String(s) => s.clone(),
            Value::Null => "(empty)".into(),
            v => v.to_string(),
        }
    }
}

fn strs<'a>(viz: &'a Value, key: &str) -> Vec<&'a str> {
    match viz.get(key) {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// The chart for an answer (`{"kind": "table"}` when there is nothing to draw). `dims`: how
/// many leading columns are dimensions (a builder question's breakouts); `None` to guess
/// (the leading columns that are not numbers).
pub fn chart(viz: &Value, name: &str, body: &Value, dims: Option<usize>) -> Value {
    let t = viz.get("type").and_then(Value::as_str).unwrap_or("table");
    let Some(d) = Data::of(body) else {
        return json!({"kind": "table"});
    };
    if t == "table" || d.names.is_empty() {
        return json!({"kind": "table"});
    }
    let title = viz
        .get("title")
        .and_then(Value::as_str)
        .unwrap_or(name)
        .to_string();
    let dims = dims
        .unwrap_or_else(|| (0..d.names.len()).take_while(|i| !d.numeric(*i)).count())
        .min(d.names.len());
    let x = d
        .index(viz.get("x").and_then(Value::as_str))
        .or_else(|| (dims > 0).then_some(0))
        .or_else(|| (0..d.names.len()).find(|i| !d.numeric(*i)))
        .unwrap_or(0);
    // A second dimension splits the series (or is the heatmap's other axis).
    let series_col = d
        .index(viz.get("series").and_then(Value::as_str))
        .or_else(|| (dims > 1 && !matches!(t, "pie" | "donut" | "funnel" | "number")).then_some(1));
    let mut ys: Vec<usize> = strs(viz, "y")
        .iter()
        .filter_map(|n| d.index(Some(n)))
        .collect();
    if ys.is_empty() {
        ys = (dims.max(1).min(d.names.len())..d.names.len())
            .filter(|i| *i != x && Some(*i) != series_col && d.numeric(*i))
            .collect();
    }
    if ys.is_empty() {
        ys = (0..d.names.len())
            .filter(|i| (*i != x || t == "number") && Some(*i) != series_col && d.numeric(*i))
            .collect();
    }
    let Some(&y0) = ys.first() else {
        return json!({"kind": "table", "note": "no number column to draw"});
    };
    let rows = &d.rows[..d.rows.len().min(MAX_POINTS)];
    match t {
        "number" => number(&d, viz, y0, &title),
        "pivot" => pivot(&d, viz, x, series_col, y0, &title),
        _ => {
            let (option, description) = echarts(t, &d, viz, rows, x, series_col, &ys);
            json!({"kind": "echarts", "option": option, "title": title, "description": description})
        }
    }
}

fn number(d: &Data, viz: &Value, y: usize, title: &str) -> Value {
    let last = d.rows.last();
    let value = last.map(|r| d.num(r, y)).unwrap_or(Value::Null);
    let previous_name = format!("previous_{}", d.names[y]);
    let previous = match (last, d.index(Some(&previous_name))) {
        (Some(r), Some(p)) => d.num(r, p),
        _ if d.rows.len() >= 2 => d.num(&d.rows[d.rows.len() - 2], y),
        _ => Value::Null,
    };
    let change = match (value.as_f64(), previous.as_f64()) {
        (Some(v), Some(p)) if p != 0.0 => json!((v - p) / p.abs()),
        _ => Value::Null,
    };
    let label = viz
        .get("label")
        .and_then(Value::as_str)
        .unwrap_or(d.names[y]);
    json!({"kind": "number", "value": value, "previous": previous, "change": change,
           "label": label, "title": title})
}

fn pivot(d: &Data, viz: &Value, x: usize, series: Option<usize>, y: usize, title: &str) -> Value {
    let row_cols: Vec<usize> = {
        let named: Vec<usize> = strs(viz, "rows")
            .iter()
            .filter_map(|n| d.index(Some(n)))
            .collect();
        if named.is_empty() { vec![x] } else { named }
    };
    let col = d
        .index(viz.get("columns").and_then(Value::as_str))
        .or(series)
        .or_else(|| {
            (0..d.names.len()).find(|i| !row_cols.contains(i) && *i != y && !d.numeric(*i))
        });
    let value = d
        .index(viz.get("value").and_then(Value::as_str))
        .unwrap_or(y);
    let mut headers: Vec<String> = Vec::new();
    let mut keys: Vec<Vec<String>> = Vec::new();
    let mut cells: Vec<Vec<f64>> = Vec::new();
    let mut filled: Vec<Vec<bool>> = Vec::new();
    for r in d.rows.iter().take(MAX_POINTS) {
        let h = col
            .map(|c| d.label(r, c))
            .unwrap_or_else(|| d.names[value].to_string());
        let hi = match headers.iter().position(|x| *x == h) {
            Some(i) => i,
            None => {
                headers.push(h);
                for c in cells.iter_mut() {
                    c.push(0.0);
                }
                for f in filled.iter_mut() {
                    f.push(false);
                }
                headers.len() - 1
            }
        };
        let k: Vec<String> = row_cols.iter().map(|c| d.label(r, *c)).collect();
        let ki = match keys.iter().position(|x| *x == k) {
            Some(i) => i,
            None => {
                keys.push(k);
                cells.push(vec![0.0; headers.len()]);
                filled.push(vec![false; headers.len()]);
                keys.len() - 1
            }
        };
        if let Some(v) = d.num(r, value).as_f64() {
            cells[ki][hi] += v;
            filled[ki][hi] = true;
        }
    }
    // Columns in their natural order (years, months, names), not in order of appearance.
    let mut order: Vec<usize> = (0..headers.len()).collect();
    order.sort_by(|a, b| headers[*a].cmp(&headers[*b]));
    let cells: Vec<Vec<f64>> = cells
        .iter()
        .map(|c| order.iter().map(|j| c[*j]).collect())
        .collect();
    let filled: Vec<Vec<bool>> = filled
        .iter()
        .map(|f| order.iter().map(|j| f[*j]).collect())
        .collect();
    let headers: Vec<String> = order.iter().map(|j| headers[*j].clone()).collect();
    let rows: Vec<Value> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let cs: Vec<Value> = (0..headers.len())
                .map(|j| {
                    if filled[i][j] {
                        json!(cells[i][j])
                    } else {
                        Value::Null
                    }
                })
                .collect();
            json!({"keys": k, "cells": cs})
        })
        .collect();
    let row_totals: Vec<f64> = cells.iter().map(|c| c.iter().sum()).collect();
    let col_totals: Vec<f64> = (0..headers.len())
        .map(|j| cells.iter().map(|c| c[j]).sum())
        .collect();
    json!({"kind": "pivot", "title": title,
           "row_headers": row_cols.iter().map(|c| d.names[*c]).collect::<Vec<_>>(),
           "column_headers": headers, "rows": rows, "value_label": d.names[value],
           "totals": {"rows": row_totals, "columns": col_totals, "grand": row_totals.iter().sum::<f64>(), "label": "Total"}})
}

#[allow(clippy::too_many_arguments)]
fn echarts(
    t: &str,
    d: &Data,
    viz: &Value,
    rows: &[Value],
    x: usize,
    series_col: Option<usize>,
    ys: &[usize],
) -> (Value, String) {
    let y0 = ys[0];
    let x_label = viz
        .get("x_label")
        .and_then(Value::as_str)
        .unwrap_or(d.names[x]);
    let y_label = viz
        .get("y_label")
        .and_then(Value::as_str)
        .unwrap_or(d.names[y0]);
    let mut o = Map::new();
    o.insert("color".into(), json!(PALETTE));
    // The page shows the title (as the figure's caption); none inside the canvas.
    o.insert("tooltip".into(), json!({"trigger": if matches!(t, "pie" | "donut" | "funnel" | "scatter" | "map" | "heatmap") { "item" } else { "axis" }}));
    o.insert(
        "grid".into(),
        json!({"left": 56, "right": 24, "top": 48, "bottom": 48, "containLabel": true}),
    );
    let n = rows.len();
    let description;
    match t {
        "pie" | "donut" | "funnel" => {
            let data: Vec<Value> = rows
                .iter()
                .map(|r| json!({"name": d.label(r, x), "value": d.num(r, y0)}))
                .collect();
            let mut s = json!({"type": if t == "funnel" { "funnel" } else { "pie" }, "name": d.names[y0], "data": data});
            if t == "donut" {
                s["radius"] = json!(["45%", "70%"]);
            }
            if t == "funnel" {
                s["label"] = json!({"position": "right"});
                s["left"] = json!("10%");
                s["width"] = json!("60%");
            }
            o.insert("series".into(), json!([s]));
            description = format!(
                "{} chart of {} by {}, {n} parts.",
                cap(t),
                d.names[y0],
                d.names[x]
            );
        }
        "scatter" | "map" => {
            // A map of points: longitude across, latitude up (no tiles: nothing is fetched).
            let (xi, yi) = if t == "map" {
                let lon = d
                    .index(viz.get("longitude").and_then(Value::as_str))
                    .unwrap_or(x);
                let lat = d
                    .index(viz.get("latitude").and_then(Value::as_str))
                    .unwrap_or(y0);
                (lon, lat)
            } else {
                (x, y0)
            };
            let data: Vec<Value> = rows
                .iter()
                .map(|r| json!([d.num(r, xi), d.num(r, yi)]))
                .collect();
            o.insert(
                "xAxis".into(),
                json!({"type": "value", "name": d.names[xi], "scale": true}),
            );
            o.insert(
                "yAxis".into(),
                json!({"type": "value", "name": d.names[yi], "scale": true}),
            );
            o.insert(
                "series".into(),
                json!([{"type": "scatter", "data": data, "symbolSize": 8}]),
            );
            description = format!(
                "Scatter of {} against {}, {n} points.",
                d.names[yi], d.names[xi]
            );
        }
        "heatmap" => {
            let yc = series_col.unwrap_or_else(|| {
                (0..d.names.len())
                    .find(|i| *i != x && *i != y0)
                    .unwrap_or(x)
            });
            let (xs, ysv) = (sorted(distinct(d, rows, x)), sorted(distinct(d, rows, yc)));
            let mut max = 0f64;
            let data: Vec<Value> = rows
                .iter()
                .map(|r| {
                    let v = d.num(r, y0);
                    max = max.max(v.as_f64().unwrap_or(0.0));
                    let xi = xs.iter().position(|s| *s == d.label(r, x)).unwrap_or(0);
                    let yi = ysv.iter().position(|s| *s == d.label(r, yc)).unwrap_or(0);
                    json!([xi, yi, v])
                })
                .collect();
            o.insert(
                "xAxis".into(),
                json!({"type": "category", "data": xs, "name": d.names[x]}),
            );
            o.insert(
                "yAxis".into(),
                json!({"type": "category", "data": ysv, "name": d.names[yc]}),
            );
            o.insert("visualMap".into(), json!({"min": 0, "max": max, "calculable": true, "orient": "vertical", "right": 0, "top": "middle", "inRange": {"color": ["#f7fbff", "#0072B2"]}}));
            o.insert(
                "grid".into(),
                json!({"left": 56, "right": 72, "top": 48, "bottom": 48, "containLabel": true}),
            );
            o.insert(
                "series".into(),
                json!([{"type": "heatmap", "name": d.names[y0], "data": data}]),
            );
            description = format!(
                "Heatmap of {} by {} and {}.",
                d.names[y0], d.names[x], d.names[yc]
            );
        }
        _ => {
            let categories = distinct(d, rows, x);
            let kind = match t {
                "line" | "area" => "line",
                _ => "bar",
            };
            let mut series = Vec::new();
            if let Some(sc) = series_col {
                for name in distinct(d, rows, sc) {
                    let data: Vec<Value> = categories
                        .iter()
                        .map(|c| {
                            rows.iter()
                                .find(|r| d.label(r, x) == *c && d.label(r, sc) == name)
                                .map(|r| d.num(r, y0))
                                .unwrap_or(Value::Null)
                        })
                        .collect();
                    series.push(json!({"type": kind, "name": name, "data": data}));
                }
            } else {
                for (k, y) in ys.iter().enumerate() {
                    let data: Vec<Value> = rows.iter().map(|r| d.num(r, *y)).collect();
                    let mut s = json!({"type": kind, "name": d.names[*y], "data": data});
                    if t == "combo" && k > 0 {
                        s["type"] = json!("line");
                        s["yAxisIndex"] = json!(1);
                    }
                    series.push(s);
                }
            }
            for s in series.iter_mut() {
                if t == "stacked_bar" || t == "area" && series_col.is_some() {
                    s["stack"] = json!("total");
                }
                if t == "area" {
                    s["areaStyle"] = json!({});
                }
            }
            let categories = short_dates(categories);
            // Every label while they fit, slanted when there are many.
            let axis_label = if categories.len() <= 40 {
                json!({"interval": 0, "rotate": if categories.len() > 8 { 35 } else { 0 }, "hideOverlap": categories.len() > 24})
            } else {
                json!({"hideOverlap": true})
            };
            o.insert("xAxis".into(), json!({"type": "category", "data": categories, "name": x_label, "nameLocation": "middle", "nameGap": if categories.len() > 8 { 52 } else { 28 }, "axisLabel": axis_label}));
            let mut y_axes = vec![json!({"type": "value", "name": y_label})];
            if t == "combo" && ys.len() > 1 {
                y_axes.push(json!({"type": "value", "name": d.names[ys[1]]}));
            }
            o.insert("yAxis".into(), json!(y_axes));
            if series.len() > 1 {
                o.insert("legend".into(), json!({"top": 24, "right": 8}));
                o.insert(
                    "grid".into(),
                    json!({"left": 56, "right": 24, "top": 64, "bottom": 48, "containLabel": true}),
                );
            }
            o.insert("series".into(), json!(series));
            description = format!(
                "{} chart of {} by {}, {} {}.{}",
                cap(&t.replace('_', " ")),
                ys.iter()
                    .map(|y| d.names[*y])
                    .collect::<Vec<_>>()
                    .join(" and "),
                d.names[x],
                categories.len(),
                if kind == "bar" { "bars" } else { "points" },
                extremes(d, rows, x, y0),
            );
        }
    }
    (Value::Object(o), description)
}

/// Labels in order: numerically when they are numbers (hours, weekdays), else as text.
fn sorted(mut labels: Vec<String>) -> Vec<String> {
    if labels.iter().all(|l| l.parse::<f64>().is_ok()) {
        labels.sort_by(|a, b| {
            a.parse::<f64>()
                .unwrap_or(0.0)
                .total_cmp(&b.parse::<f64>().unwrap_or(0.0))
        });
    } else {
        labels.sort();
    }
    labels
}

/// Month and year buckets read as `2024-03` and `2024`, not as their first day.
fn short_dates(labels: Vec<String>) -> Vec<String> {
    let is_day = |s: &String| s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-';
    if labels.is_empty() || !labels.iter().all(is_day) {
        return labels;
    }
    if labels.iter().all(|s| s.ends_with("-01-01")) {
        return labels.iter().map(|s| s[..4].to_string()).collect();
    }
    if labels.iter().all(|s| s.ends_with("-01")) {
        return labels.iter().map(|s| s[..7].to_string()).collect();
    }
    labels
}

fn cap(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn distinct(d: &Data, rows: &[Value], i: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in rows {
        let l = d.label(r, i);
        if !out.contains(&l) {
            out.push(l);
        }
    }
    out
}

/// " Highest: DE (1234). Lowest: FR (12)." for screen readers.
fn extremes(d: &Data, rows: &[Value], x: usize, y: usize) -> String {
    let vals: Vec<(String, f64)> = rows
        .iter()
        .filter_map(|r| Some((d.label(r, x), d.num(r, y).as_f64()?)))
        .collect();
    let hi = vals.iter().max_by(|a, b| a.1.total_cmp(&b.1));
    let lo = vals.iter().min_by(|a, b| a.1.total_cmp(&b.1));
    match (hi, lo) {
        (Some(h), Some(l)) => format!(" Highest: {} ({}). Lowest: {} ({}).", h.0, h.1, l.0, l.1),
        _ => String::new(),
    }
}

/// A click target: `{"question"|"dashboard": id, "param"|"filter": name}` (the name takes
/// the clicked value). Whether the clicker may open the target is asked when they click.
pub(crate) fn check_click(v: &Value, at: &str, code: &'static str) -> Result<()> {
    let bad = || {
        Error::bad_request(
            code,
            format!(
                "at `{at}`: a click target is {{\"question\"|\"dashboard\": id, \"param\"|\"filter\": name}}"
            ),
        )
    };
    let m = v.as_object().ok_or_else(bad)?;
    let targets = ["question", "dashboard"]
        .iter()
        .filter(|k| {
            m.get(**k)
                .is_some_and(|t| t.as_str().is_some_and(|t| !t.is_empty()))
        })
        .count();
    let known = m.iter().all(|(k, v)| {
        matches!(k.as_str(), "question" | "dashboard" | "param" | "filter") && v.is_string()
    });
    if targets != 1 || !known || (m.contains_key("param") && m.contains_key("filter")) {
        return Err(bad());
    }
    Ok(())
}
