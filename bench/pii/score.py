#!/usr/bin/env python3
"""Column-level scoring of PII classifiers on the bench/pii dataset.

    score.py --pred out/pred_presidio.jsonl [--pred out/pred_proost.jsonl ...]
             [--labels out/labels.json] [--markdown FILE] [--json FILE] [--min-confidence 0]

A prediction file has one JSON object per line:
    {"source", "schema", "table", "column", "categories": [{"category", "confidence"}]}
(`categories` may also be plain ids). A column absent from a prediction file counts as
predicted not personal. The predictor's name is "predictor" in <pred>.meta.json if that file
exists (it may also give "values_per_second", "values", "seconds"), else the file name
without `pred_` and `.jsonl`.

Metrics (each column carries a set of true categories and a set of predicted ones):
  * per category: TP = columns holding it and predicted with it, FP = predicted without
    holding it, FN = holding it without the prediction; precision, recall, F1;
  * micro-F1: TP/FP/FN summed over all categories; macro-F1: mean of the per-category F1;
  * special recall: micro recall over the special categories (special.* and criminal_record);
  * decoy FP rate: share of the not-personal columns (no label) predicted with any category;
  * opaque F1: micro-F1 over the columns whose name is opaque (c7, col_12...), and micro-F1
    per name kind (descriptive, abbreviated, foreign, opaque, misleading);
  * confusion pairs (multi-label convention): each category both true and predicted is a
    (c, c) pair; each true category not predicted is paired with every predicted category
    the column does not hold, or with `none` if there is no such one; each predicted
    category the column does not hold, when no true category was missed, is paired (none, p).
    A column with no label and no prediction is (none, none).
Goals (issue #5): micro-F1 >= 0.95, special recall >= 0.95, decoy FP rate <= 2%, opaque F1 >= 0.9.

The real-schema set (real/, issue #13) adds, when labels carry them:
  * free text: a column with `free_text` {category: share of its sampled rows that mention it}
    is labelled with the categories of share >= 5%; a category mentioned in fewer than 5% of
    the rows (but some) is optional: reporting it is no false positive, leaving it out no
    false negative. Free-text recall = share of the free-text columns that are *found*: every
    category of share >= 5% reported. The misses are listed.
  * name kinds `prefixed` and `numbered` (attr2, usertext1) besides the first set's; the
    opaque-name F1 is taken over `opaque` and `numbered` names (names that say nothing).
Goals (issue #13): the four above and free-text recall >= 0.90.
"""

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

SPECIAL = ["special.health", "special.genetic", "special.biometric", "special.ethnic_origin",
           "special.political_opinion", "special.religion", "special.trade_union",
           "special.sexual_orientation", "criminal_record"]
CATEGORIES = ["name", "email", "phone", "street_address", "postal_code", "city", "geo_location",
              "ip_address", "mac_address", "device_id", "username", "url_personal", "vehicle_id",
              "date_of_birth", "age", "gender", "nationality", "marital_status", "job",
              "national_id", "passport_number", "drivers_license", "tax_id", "credit_card",
              "bank_account", "income", "credentials"] + SPECIAL
NAME_KINDS = ["descriptive", "abbreviated", "foreign", "opaque", "misleading", "prefixed", "numbered"]
OPAQUE_KINDS = ("opaque", "numbered")  # names that say nothing: c7, col_12, f_01, attr2, usertext1
FT_MIN = 0.05  # a free-text category counts from this share of the column's rows
GOALS = [  # metric key, label, comparison, threshold
    ("micro_f1", "micro-F1", ">=", 0.95),
    ("special_recall", "recall on special categories", ">=", 0.95),
    ("decoy_fp_rate", "decoy FP rate", "<=", 0.02),
    ("opaque_f1", "F1 on opaque-name columns", ">=", 0.90),
]
GOALS_REAL = GOALS + [("free_text_recall", "free-text columns found", ">=", 0.90)]


def key(o):
    return (o["source"], o["schema"], o["table"], o["column"])


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else (1.0 if not fn else 0.0)
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def micro(cols, truth, pred):
    tp = fp = fn = 0
    for k in cols:
        t, p = truth[k], pred.get(k, set())
        tp += len(t & p)
        fp += len(p - t)
        fn += len(t - p)
    return prf(tp, fp, fn), (tp, fp, fn)


def load_pred(path, min_conf):
    pred = {}
    for line in open(path, encoding="utf-8"):
        if not line.strip():
            continue
        o = json.loads(line)
        cats = set()
        for c in o.get("categories") or []:
            if isinstance(c, str):
                cats.add(c)
            elif (c.get("confidence") is None) or c["confidence"] >= min_conf:
                cats.add(c["category"])
        pred[key(o)] = cats
    meta_path = Path(path).with_suffix(".meta.json")
    meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
    name = meta.get("predictor") or Path(path).stem.removeprefix("pred_")
    return name, pred, meta


def evaluate(labels, pred):
    truth = {key(c): set(c["labels"]) for c in labels}
    # free text: categories mentioned in fewer than FT_MIN of the rows are optional
    pred = dict(pred)
    free = {key(c): c["free_text"] for c in labels if c.get("free_text") is not None}
    for k, shares in free.items():
        optional = {cat for cat, v in shares.items() if 0 < v < FT_MIN}
        if k in pred and optional:
            pred[k] = pred[k] - optional
    kinds = {key(c): c["name_kind"] for c in labels}
    cols = list(truth)
    unknown_cols = [k for k in pred if k not in truth]
    m = {}
    per_cat = {}
    for cat in CATEGORIES:
        tp = sum(1 for k in cols if cat in truth[k] and cat in pred.get(k, set()))
        fp = sum(1 for k in cols if cat not in truth[k] and cat in pred.get(k, set()))
        fn = sum(1 for k in cols if cat in truth[k] and cat not in pred.get(k, set()))
        p, r, f = prf(tp, fp, fn)
        per_cat[cat] = {"support": tp + fn, "tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": f}
    (p, r, f), counts = micro(cols, truth, pred)
    m.update(micro_precision=p, micro_recall=r, micro_f1=f, tp_fp_fn=counts)
    supported = [c for c in CATEGORIES if per_cat[c]["support"]]
    m["macro_f1"] = sum(per_cat[c]["f1"] for c in supported) / len(supported)
    stp = sum(per_cat[c]["tp"] for c in SPECIAL)
    sfn = sum(per_cat[c]["fn"] for c in SPECIAL)
    m["special_recall"] = stp / (stp + sfn) if stp + sfn else 1.0
    decoys = [k for k in cols if not truth[k]]
    flagged = [k for k in decoys if pred.get(k)]
    m["decoy_columns"] = len(decoys)
    m["decoy_flagged"] = len(flagged)
    m["decoy_fp_rate"] = len(flagged) / len(decoys) if decoys else 0.0
    pks = {key(c) for c in labels if c.get("kind") == "primary_key"}
    d2 = [k for k in decoys if k not in pks]
    f2 = [k for k in d2 if pred.get(k)]
    m["decoy_nonkey_columns"], m["decoy_nonkey_flagged"] = len(d2), len(f2)
    m["decoy_nonkey_fp_rate"] = len(f2) / len(d2) if d2 else 0.0
    m["per_name_kind"] = {}
    for nk in NAME_KINDS + sorted(set(kinds.values()) - set(NAME_KINDS)):
        sub = [k for k in cols if kinds[k] == nk]
        if not sub:
            continue
        (p, r, f), _ = micro(sub, truth, pred)
        m["per_name_kind"][nk] = {"columns": len(sub), "precision": p, "recall": r, "f1": f}
    (_, _, m["opaque_f1"]), _ = micro([k for k in cols if kinds[k] in OPAQUE_KINDS], truth, pred)
    if free:
        misses = []
        for k, shares in free.items():
            need = {cat for cat, v in shares.items() if v >= FT_MIN}
            lost = need - pred.get(k, set())
            if lost:
                misses.append({"column": ".".join(k[1:]), "source": k[0], "missing": sorted(lost),
                               "shares": {c: shares[c] for c in sorted(lost)}})
        m["free_text_columns"] = len(free)
        m["free_text_found"] = len(free) - len(misses)
        m["free_text_recall"] = m["free_text_found"] / len(free)
        m["free_text_misses"] = sorted(misses, key=lambda x: x["column"])
    conf = Counter()
    for k in cols:
        t, p = truth[k], pred.get(k, set())
        for c in t & p:
            conf[(c, c)] += 1
        missed, wrong = t - p, p - t
        for c in missed:
            if wrong:
                for w in wrong:
                    conf[(c, w)] += 1
            else:
                conf[(c, "none")] += 1
        if wrong and not missed:
            for w in wrong:
                conf[("none", w)] += 1
        if not t and not p:
            conf[("none", "none")] += 1
    m["confusion"] = conf
    m["per_category"] = per_cat
    m["unknown_columns"] = len(unknown_cols)
    m["unknown_categories"] = sorted({c for k in cols for c in pred.get(k, set())} - set(CATEGORIES))
    return m


def fmt(x):
    return f"{x:.3f}"


def passes(v, op, thr):
    return v >= thr if op == ">=" else v <= thr


def report(names, results, metas, labels):
    L = []
    n_cols = len(labels)
    n_tables = len({(c["source"], c["schema"], c["table"]) for c in labels})
    real = any(c.get("free_text") is not None for c in labels)
    L.append(f"Dataset: {n_tables} tables, {n_cols} columns, "
             f"{sum(1 for c in labels if not c['labels'])} not personal (decoys)"
             + (f", {sum(1 for c in labels if c.get('free_text') is not None)} free-text columns." if real else "."))
    L.append("")
    head = f"| goal (issue #{13 if real else 5}) | target | " + " | ".join(f"{n} | pass" for n in names) + " |"
    L.append(head)
    L.append("| --- | --- | " + " | ".join("---: | ---" for _ in names) + " |")
    for k, label, op, thr in (GOALS_REAL if real else GOALS):
        cells = []
        for n in names:
            v = results[n][k]
            shown = f"{v:.1%}" if k == "decoy_fp_rate" else fmt(v)
            cells.append(f"{shown} | {'pass' if passes(v, op, thr) else '**FAIL**'}")
        target = f"{op} {thr:.0%}" if k == "decoy_fp_rate" else f"{op} {thr}"
        L.append(f"| {label} | {target} | " + " | ".join(cells) + " |")
    cells = []
    for n in names:
        m = metas[n]
        if m.get("tables") and m.get("seconds") is not None:
            ok = m["tables"] >= 100 and m["seconds"] < 10
            cells.append(f"{m['tables']} tables in {m['seconds']:.1f} s | {'pass' if ok else '**FAIL**' if not real else '-'}")
        else:
            cells.append("- | -")
    if real:
        L.append("| schema scanned end to end (no goal: < 100 tables) | - | " + " | ".join(cells) + " |")
    else:
        L.append("| 100-table schema scanned (end to end) | < 10 s | " + " | ".join(cells) + " |")
    L.append("")
    L.append("| metric | " + " | ".join(names) + " |")
    L.append("| --- | " + " | ".join("---:" for _ in names) + " |")
    rows = [
        ("micro precision", lambda r, m: fmt(r["micro_precision"])),
        ("micro recall", lambda r, m: fmt(r["micro_recall"])),
        ("micro-F1", lambda r, m: fmt(r["micro_f1"])),
        ("macro-F1", lambda r, m: fmt(r["macro_f1"])),
        ("recall, special categories", lambda r, m: fmt(r["special_recall"])),
        ("decoy columns flagged", lambda r, m: f"{r['decoy_flagged']}/{r['decoy_columns']} ({r['decoy_fp_rate']:.1%})"),
        ("decoys flagged, primary keys left out", lambda r, m: f"{r['decoy_nonkey_flagged']}/{r['decoy_nonkey_columns']} ({r['decoy_nonkey_fp_rate']:.1%})"),
        ("F1, opaque names", lambda r, m: fmt(r["opaque_f1"])),
    ] + ([
        ("free-text columns found", lambda r, m: f"{r['free_text_found']}/{r['free_text_columns']} ({r['free_text_recall']:.1%})"),
    ] if real else []) + [
        ("values/s", lambda r, m: f"{m['values_per_second']:,.0f}" if m.get("values_per_second") else "-"),
        ("seconds", lambda r, m: f"{m['seconds']:.1f}" if m.get("seconds") is not None else "-"),
    ]
    for label, fn in rows:
        L.append(f"| {label} | " + " | ".join(fn(results[n], metas[n]) for n in names) + " |")
    L.append("")
    L.append("F1 per kind of column name (micro over the columns of that kind):")
    L.append("")
    L.append("| name kind | columns | " + " | ".join(f"{n} P | {n} R | {n} F1" for n in names) + " |")
    L.append("| --- | ---: | " + " | ".join("---: | ---: | ---:" for _ in names) + " |")
    for nk in results[names[0]]["per_name_kind"]:
        c = results[names[0]]["per_name_kind"][nk]["columns"]
        cells = []
        for n in names:
            x = results[n]["per_name_kind"][nk]
            cells.append(f"{fmt(x['precision'])} | {fmt(x['recall'])} | {fmt(x['f1'])}")
        L.append(f"| {nk} | {c} | " + " | ".join(cells) + " |")
    L.append("")
    L.append("Per category (columns holding it = support):")
    L.append("")
    L.append("| category | support | " + " | ".join(f"{n} P | {n} R | {n} F1" for n in names) + " |")
    L.append("| --- | ---: | " + " | ".join("---: | ---: | ---:" for _ in names) + " |")
    for cat in CATEGORIES:
        sup = results[names[0]]["per_category"][cat]["support"]
        cells = []
        for n in names:
            x = results[n]["per_category"][cat]
            cells.append(f"{fmt(x['precision'])} | {fmt(x['recall'])} | {fmt(x['f1'])}")
        L.append(f"| {cat} | {sup} | " + " | ".join(cells) + " |")
    if real:
        L.append("")
        L.append(f"Free-text columns (found = every category mentioned in >= {FT_MIN:.0%} of the rows reported; "
                 "categories under that share are optional):")
        for n in names:
            r = results[n]
            L.append("")
            L.append(f"{n}: {r['free_text_found']}/{r['free_text_columns']} found"
                     + (", missed:" if r["free_text_misses"] else "."))
            if r["free_text_misses"]:
                L.append("")
                L.append("| column | source | missing (share of rows) |")
                L.append("| --- | --- | --- |")
                for x in r["free_text_misses"]:
                    L.append(f"| {x['column']} | {x['source']} | "
                             + ", ".join(f"{c} ({x['shares'][c]:.0%})" for c in x["missing"]) + " |")
    for n in names:
        conf = results[n]["confusion"]
        off = sorted(((v, t, p) for (t, p), v in conf.items() if t != p), reverse=True)[:25]
        L.append("")
        L.append(f"Most frequent confusions of {n} (true -> predicted, columns; `none` = not personal):")
        L.append("")
        L.append("| true | predicted | count |")
        L.append("| --- | --- | ---: |")
        for v, t, p in off:
            L.append(f"| {t} | {p} | {v} |")
        if results[n]["unknown_categories"]:
            L.append("")
            L.append(f"{n} used ids that are not categories: {', '.join(results[n]['unknown_categories'])}")
        if results[n]["unknown_columns"]:
            L.append(f"{n} predicted {results[n]['unknown_columns']} columns that are not in the labels (ignored).")
    return "\n".join(L) + "\n"


def main():
    here = Path(__file__).resolve().parent
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pred", action="append", required=True)
    ap.add_argument("--labels", default=str(here / "out" / "labels.json"))
    ap.add_argument("--markdown", help="also write the tables to this file")
    ap.add_argument("--json", help="write all metrics (with the full confusion matrix) to this file")
    ap.add_argument("--min-confidence", type=float, default=0.0,
                    help="ignore predicted categories below this confidence (default: keep all)")
    args = ap.parse_args()
    labels = json.loads(Path(args.labels).read_text(encoding="utf-8"))
    names, results, metas = [], {}, {}
    for p in args.pred:
        name, pred, meta = load_pred(p, args.min_confidence)
        while name in results:
            name += "'"
        names.append(name)
        results[name] = evaluate(labels, pred)
        metas[name] = meta
    md = report(names, results, metas, labels)
    print(md)
    if args.markdown:
        Path(args.markdown).write_text(md, encoding="utf-8")
    if args.json:
        out = {}
        for n in names:
            r = dict(results[n])
            r["confusion"] = [{"true": t, "predicted": p, "count": v} for (t, p), v in sorted(r["confusion"].items())]
            out[n] = {"metrics": r, "meta": metas[n]}
        Path(args.json).write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
