//! Personal-data column classifier.
//!
//! Given a column's name, its table's name and a sample of its values, tells which
//! personal-data categories of `shared/PII_CATEGORIES.md` the column holds, each with a
//! confidence and the evidence that led to it: name cues in seven languages, value
//! validators (Luhn, IBAN mod-97, national-id checksums, libphonenumber, …), vocabularies
//! (names, cities, diagnoses, beliefs, …) and shape statistics.
//!
//! Data: besides its own curated lists (`vocab/*.txt`), two wide lists of real names are
//! compiled in: populated places from GeoNames (<https://www.geonames.org>, CC BY 4.0) and
//! surnames of the 1990 US Census (public domain); `vocab/make_wide_lists.py` rebuilds them.
//!
//! What it is not: it reads no database and keeps nothing. Sampled values are only looked
//! at; evidence carries shares and validator names, never a value. Pure Rust, no I/O, no
//! async.
//!
//! ```
//! use proost_classify::{Category, Classifier, ColumnSample, Options, ValueKind};
//!
//! let values: Vec<String> = ["DE89370400440532013000", "NL91ABNA0417164300"]
//!     .iter().map(|s| s.to_string()).collect();
//! let column = ColumnSample { name: "c7", kind: ValueKind::Text, values: &values, null_share: None };
//! let findings = Classifier::new(Options::default()).classify_column("payments", &column);
//! assert_eq!(findings[0].category, Category::BankAccount);
//! assert!(findings[0].confidence >= 0.9);
//! ```
#![forbid(unsafe_code)]

mod arrays;
mod binary;
mod category;
mod fixtures;
mod json;
mod key_value;
mod names;
mod phone;
pub mod text;
pub mod validators;
mod values;
mod vocab;

pub use category::{Category, MaskKind, Sensitivity};
pub use key_value::{AttributeFindings, KeyValue, key_value_columns};

use serde::{Deserialize, Serialize};

use names::NameCues;
use values::Analysis;

/// How many values of a column to sample by default.
pub const DEFAULT_SAMPLE: usize = 1000;

/// The source column's type, coarsely.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ValueKind {
    Text,
    Integer,
    Float,
    Decimal,
    Bool,
    Date,
    Timestamp,
    Binary,
    Json,
    Other,
}

/// One column: its name, type and sampled non-null values rendered as text.
#[derive(Clone, Copy, Debug)]
pub struct ColumnSample<'a> {
    pub name: &'a str,
    pub kind: ValueKind,
    pub values: &'a [String],
    /// Share of NULLs in the sample, when known.
    pub null_share: Option<f32>,
}

/// One table's columns.
#[derive(Clone, Debug)]
pub struct TableSample<'a> {
    pub schema: &'a str,
    pub table: &'a str,
    pub columns: Vec<ColumnSample<'a>>,
}

/// A category a column holds, with how sure the classifier is and why.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Finding {
    /// Serialises as its id (`"email"`, `"special.health"`).
    pub category: Category,
    /// In [0, 1], rounded to two decimals.
    #[serde(serialize_with = "two_places")]
    pub confidence: f32,
    pub evidence: Evidence,
}

/// Why a finding was made. Holds no sampled value.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct Evidence {
    /// The column-name cue, e.g. `"name:email (en)"`.
    pub name_cue: Option<String>,
    /// Validators or vocabularies the values passed, e.g. `["luhn", "iin"]`.
    pub validators: Vec<String>,
    /// Share of the sampled values that passed them, rounded to two decimals.
    #[serde(serialize_with = "two_places_opt")]
    pub matched_share: Option<f32>,
    /// How many non-empty values were examined.
    pub sampled: usize,
    /// What the table name contributed, e.g. `"table:patients (health)"`.
    pub table_context: Option<String>,
    /// The values are running text (notes, messages): masked by default span by span.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub free_text: bool,
}

/// An f32 written as the f64 with two decimals it stands for: `0.55`, not the
/// `0.550000011920929` a widening conversion gives in JSON.
fn two_places<S: serde::Serializer>(v: &f32, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64((f64::from(*v) * 100.0).round() / 100.0)
}

fn two_places_opt<S: serde::Serializer>(v: &Option<f32>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => two_places(v, s),
        None => s.serialize_none(),
    }
}

/// Classifier settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Options {
    /// Findings below this confidence are dropped.
    pub min_confidence: f32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            min_confidence: 0.5,
        }
    }
}

/// Classifies columns. Cheap to create; vocabularies are loaded once per process.
#[derive(Clone, Debug)]
pub struct Classifier {
    options: Options,
}

/// Whether `values` are distinct integers filling most of their range (a key: 1, 2, 3, …).
fn sequence(values: &[String]) -> bool {
    if values.len() < 20 {
        return false;
    }
    let mut nums: Vec<i64> = Vec::with_capacity(values.len());
    for v in values {
        match v.trim().parse::<i64>() {
            Ok(x) => nums.push(x),
            Err(_) => return false,
        }
    }
    nums.sort_unstable();
    nums.dedup();
    let (Some(&lo), Some(&hi)) = (nums.first(), nums.last()) else {
        return false;
    };
    nums.len() == values.len() && hi.abs_diff(lo) < 2 * nums.len() as u64
}

/// Values needed before they may overrule a column name.
const VALUES_TO_OVERRULE: usize = 5;

impl Classifier {
    pub fn new(options: Options) -> Self {
        Classifier { options }
    }

    /// One `Vec<Finding>` per column, in column order, each sorted by confidence (highest
    /// first).
    pub fn classify_table(&self, t: &TableSample) -> Vec<Vec<Finding>> {
        let organisation = names::organisation_columns(t.columns.iter().map(|c| c.name));
        t.columns
            .iter()
            .map(|c| self.classify_in(t.table, c, organisation))
            .collect()
    }

    /// The findings for one column of table `table`, sorted by confidence (highest first).
    pub fn classify_column(&self, table: &str, c: &ColumnSample) -> Vec<Finding> {
        self.classify_in(table, c, false)
    }

    /// `organisation`: the table's other columns show its rows are organisations or places.
    fn classify_in(&self, table: &str, c: &ColumnSample, organisation: bool) -> Vec<Finding> {
        let mut out = self.classify_one(table, c);
        if organisation || names::table_context(table).organisation {
            out.retain(|f| !names::organisation_drops(f.category, c.name));
        }
        out
    }

    fn classify_one(&self, table: &str, c: &ColumnSample) -> Vec<Finding> {
        let ctx = names::table_context(table);
        let cues = names::name_cues(c.name);
        let mut out: Vec<Finding> = Vec::new();

        if c.kind == ValueKind::Binary {
            let ip_named = cues.cues.iter().any(|x| x.0 == Category::IpAddress);
            if let Some(text) = binary::as_text(c.values, ip_named) {
                let inner = ColumnSample {
                    kind: ValueKind::Text,
                    values: &text,
                    ..*c
                };
                return self.classify_one(table, &inner);
            }
        }

        if matches!(c.kind, ValueKind::Text | ValueKind::Other)
            && let Some(elements) = arrays::elements(c.values)
        {
            let inner = ColumnSample {
                values: &elements,
                ..*c
            };
            return self.classify_one(table, &inner);
        }

        if c.kind == ValueKind::Bool {
            // A flag says something only about a special category (`has_diabetes`,
            // `is_union_member`); its values are true/false.
            for (cat, conf, cue) in &cues.cues {
                if cat.is_special() {
                    push(
                        &mut out,
                        *cat,
                        conf.min(0.6),
                        Evidence {
                            name_cue: Some(cue.clone()),
                            sampled: 0,
                            ..Default::default()
                        },
                    );
                }
            }
            return self.finish(out, false);
        }

        let wanted: Vec<Category> = cues.cues.iter().map(|c| c.0).collect();
        let analysis = values::analyse(c.values, c.kind, &wanted);
        let n = analysis.stats.n;
        // Test data (documentation addresses, reserved numbers, test cards, `QA Tester`)
        // describes nobody, whatever the column is called.
        if n >= 20 && analysis.fixtures >= 0.6 {
            return Vec::new();
        }

        // A dense run of integers (1, 2, 3, …) is a surrogate key, whatever it is called
        // (`pers_nr`, `kundennummer`).
        if c.kind == ValueKind::Integer && sequence(c.values) {
            return Vec::new();
        }

        // Name cues, confirmed, weakened or overruled by the values.
        for (cat, conf, cue) in &cues.cues {
            let mut conf = *conf;
            // A point in time is a date of birth or tells a special fact (`diagnosed_at`);
            // `password_changed_at` is no password.
            if matches!(c.kind, ValueKind::Date | ValueKind::Timestamp)
                && !(*cat == Category::DateOfBirth
                    || cat.is_special()
                    || *cat == Category::CriminalRecord)
            {
                continue;
            }
            let mut table_context = None;
            let ambiguous = names::is_ambiguous(cue);
            if ambiguous {
                // `url`, `user`: a person's website or login only in a person's row.
                let personal_only = matches!(*cat, Category::UrlPersonal | Category::Username);
                if (ctx.thing && !cues.person) || (personal_only && !ctx.person && !cues.person) {
                    continue;
                }
                if ctx.person {
                    conf = conf.max(0.72);
                    table_context = Some(format!("table:{table} (people)"));
                }
            }
            let mut evidence = Evidence {
                name_cue: Some(cue.clone()),
                sampled: n,
                table_context,
                ..Default::default()
            };
            if n == 0 {
                push(&mut out, *cat, conf, evidence);
                continue;
            }
            match support(*cat, &analysis, &cues, &ctx, ambiguous) {
                Support::Agrees(hit) => {
                    let combined = 1.0 - (1.0 - conf) * (1.0 - hit.confidence);
                    evidence.validators = hit.validators.clone();
                    evidence.matched_share = Some(round2(hit.share));
                    push(&mut out, *cat, combined.min(0.99), evidence);
                }
                Support::Agnostic => push(&mut out, *cat, conf, evidence),
                Support::Weak(share) => {
                    evidence.matched_share = Some(round2(share));
                    push(&mut out, *cat, conf.min(0.5), evidence)
                }
                Support::Contradicts if n >= VALUES_TO_OVERRULE => {}
                Support::Contradicts => push(&mut out, *cat, conf * 0.8, evidence),
            }
        }

        // What the values say on their own.
        for hit in &analysis.hits {
            // Only the strongest reading of each category speaks for the values.
            let best = analysis
                .hit(hit.category)
                .is_some_and(|b| std::ptr::eq(b, hit));
            if hit.needs_cue || !best || out.iter().any(|f| f.category == hit.category) {
                continue;
            }
            if !value_only_allowed(hit, &cues, &ctx, &analysis) {
                continue;
            }
            // Values that bear out the name are not read a second, weaker way (`SL038CF`
            // under `vehicle_registration` is a plate, not a postcode).
            let format = hit
                .validators
                .first()
                .is_some_and(|v| !v.starts_with("mentions:") && !v.starts_with("vocabulary:"));
            // `Calle Ximena Aragonés 9` names a street after a person; it is an address.
            let street = hit.category == Category::Name
                && (out.iter().any(|f| {
                    f.category == Category::StreetAddress
                        && f.evidence.matched_share.is_some_and(|m| m >= 0.5)
                }) || analysis
                    .hit(Category::StreetAddress)
                    .is_some_and(|h| h.share >= 0.5 && h.share >= hit.share));
            let explained = street
                || format
                    && out.iter().any(|f| {
                        f.evidence
                            .matched_share
                            .is_some_and(|m| m >= 0.5 && m >= hit.share)
                            && !f.evidence.validators.is_empty()
                            && f.confidence > hit.confidence
                    });
            // Driving-licence and passport numbers reuse national-id formats (a Spanish
            // licence is the DNI): under such a name the number is what the name says.
            let reused = hit.category == Category::NationalId
                && wanted
                    .iter()
                    .any(|c| matches!(c, Category::DriversLicense | Category::PassportNumber));
            if explained || reused {
                continue;
            }
            push(
                &mut out,
                hit.category,
                hit.confidence,
                Evidence {
                    validators: hit.validators.clone(),
                    matched_share: Some(round2(hit.share)),
                    sampled: n,
                    ..Default::default()
                },
            );
        }

        // JSON documents: each key that recurs is classified as a column of its own.
        if c.kind != ValueKind::Binary {
            self.classify_json(table, c, &mut out);
        }

        // Free text in a medical table is medical unless the values show otherwise.
        if cues.free_text && ctx.health {
            let ctx_note = Some(format!("table:{table} (health)"));
            match out.iter_mut().find(|f| f.category == Category::Health) {
                Some(f) => {
                    // Notes about patients that name conditions are medical for sure; a few
                    // mentions are still more than none.
                    let floor = if f.evidence.matched_share.unwrap_or(0.0) >= 0.2 {
                        0.8
                    } else {
                        0.65
                    };
                    f.confidence = (f.confidence + 0.05).clamp(floor, 0.97);
                    f.evidence.table_context = ctx_note;
                }
                None => {
                    let mentions = analysis.hit(Category::Health);
                    // Notes about patients reveal treatment even when they name no
                    // condition; values that mention none only lower the confidence.
                    let silent = n >= 20 && mentions.is_none();
                    // Genotypes or fingerprints under `remarks` are what they are; the table
                    // adds nothing.
                    let other = out
                        .iter()
                        .any(|f| f.category.is_special() && f.confidence >= 0.8);
                    if silent && other {
                        return self.finish(out, analysis.free_text);
                    }
                    push(
                        &mut out,
                        Category::Health,
                        if silent { 0.55 } else { 0.65 },
                        Evidence {
                            matched_share: mentions.map(|h| round2(h.share)),
                            validators: mentions.map(|h| h.validators.clone()).unwrap_or_default(),
                            sampled: n,
                            table_context: ctx_note,
                            ..Default::default()
                        },
                    );
                }
            }
        }
        self.finish(out, analysis.free_text)
    }

    fn classify_json(&self, table: &str, c: &ColumnSample, out: &mut Vec<Finding>) {
        let probe: Vec<&str> = c.values.iter().take(50).map(|s| s.trim()).collect();
        if !json::looks_like_json(&probe) {
            return;
        }
        let vals: Vec<&str> = c.values.iter().map(|s| s.trim()).collect();
        for (key, values) in json::columns(&vals) {
            let inner = ColumnSample {
                name: &key,
                kind: ValueKind::Other,
                values: &values,
                null_share: None,
            };
            for f in self.classify_column(table, &inner) {
                let mut evidence = f.evidence;
                let cue = evidence.name_cue.take().unwrap_or_default();
                evidence.name_cue = Some(format!("json_key:{key} {cue}").trim_end().to_string());
                // One step removed from the column: a little less sure.
                push(out, f.category, f.confidence * 0.95, evidence);
            }
        }
    }

    fn finish(&self, mut out: Vec<Finding>, free_text: bool) -> Vec<Finding> {
        for f in &mut out {
            f.confidence = round2(f.confidence.clamp(0.0, 1.0));
            f.evidence.free_text = free_text;
        }
        out.retain(|f| f.confidence >= self.options.min_confidence);
        out.sort_by(|a, b| {
            b.confidence
                .total_cmp(&a.confidence)
                .then(a.category.cmp(&b.category))
        });
        out
    }
}

/// The categories a column name alone suggests, for tuning.
#[doc(hidden)]
pub fn name_categories(name: &str) -> Vec<(Category, f32)> {
    names::name_cues(name)
        .cues
        .iter()
        .map(|(c, conf, _)| (*c, *conf))
        .collect()
}

/// What the classifier saw of one column, for tuning and for "why was this flagged?":
/// the name cues, the table context, the value statistics and every value hit. Holds no
/// sampled value.
#[doc(hidden)]
pub fn explain(table: &str, c: &ColumnSample) -> String {
    let ctx = names::table_context(table);
    let cues = names::name_cues(c.name);
    let wanted: Vec<Category> = cues.cues.iter().map(|c| c.0).collect();
    let analysis = values::analyse(c.values, c.kind, &wanted);
    let hits: Vec<String> = analysis.hits.iter().map(|h| format!("  {h:?}")).collect();
    format!(
        "{cues:?}\n{ctx:?}\n{:?}\n{}",
        analysis.stats,
        hits.join("\n")
    )
}

impl Default for Classifier {
    fn default() -> Self {
        Classifier::new(Options::default())
    }
}

fn push(out: &mut Vec<Finding>, category: Category, confidence: f32, evidence: Evidence) {
    match out.iter_mut().find(|f| f.category == category) {
        Some(f) if f.confidence >= confidence => {}
        Some(f) => {
            *f = Finding {
                category,
                confidence,
                evidence,
            }
        }
        None => out.push(Finding {
            category,
            confidence,
            evidence,
        }),
    }
}

fn round2(x: f32) -> f32 {
    (x * 100.0).round() / 100.0
}

enum Support<'a> {
    /// The values confirm the cue.
    Agrees(&'a values::ValueHit),
    /// The values neither confirm nor contradict it.
    Agnostic,
    /// Some values fit, too few to trust the name fully.
    Weak(f32),
    /// The values say the column is something else.
    Contradicts,
}

/// Whether the values bear out a name cue for `cat`.
fn support<'a>(
    cat: Category,
    a: &'a Analysis,
    cues: &NameCues,
    ctx: &names::TableContext,
    ambiguous: bool,
) -> Support<'a> {
    use Category::*;
    let s = &a.stats;
    let hit = a.hit(cat);
    let share = hit.map_or(0.0, |h| h.share);
    if let Some(h) = hit
        && h.share >= 0.5
        && h.confidence >= 0.5
    {
        return Support::Agrees(h);
    }
    let weak_or = |fallback: Support<'a>| {
        if share >= 0.2 {
            Support::Weak(share)
        } else {
            fallback
        }
    };
    match cat {
        // Strict formats: the values are that or they are not.
        Email | IpAddress | MacAddress | UrlPersonal | GeoLocation | Age | VehicleId => {
            weak_or(Support::Contradicts)
        }
        Phone => {
            // Numbers libphonenumber does not know (extensions, test ranges) still read as
            // phone numbers when they are digits and separators.
            if s.digit_heavy >= 0.8 && s.alpha < 0.2 {
                weak_or(Support::Agnostic)
            } else {
                weak_or(Support::Contradicts)
            }
        }
        CreditCard | BankAccount => {
            let words = s.alpha >= 0.5 && cat == CreditCard || s.avg_words >= 3.0;
            // Domestic account numbers are digits; `INV-2025/97946` is an invoice number.
            let not_iban =
                cat == BankAccount && (s.digit_heavy < 0.5 || s.alpha >= 0.5) && share < 0.2;
            // Card numbers in a card column pass Luhn; random digits pass one time in ten.
            let not_luhn = cat == CreditCard && s.n >= 20 && s.digit_heavy >= 0.8 && share < 0.6;
            if words || not_iban || not_luhn {
                Support::Contradicts
            } else {
                weak_or(Support::Agnostic)
            }
        }
        Income => {
            if s.numeric >= 0.8 || s.digit_heavy >= 0.8 {
                Support::Agnostic
            } else {
                Support::Contradicts
            }
        }
        DateOfBirth => match hit {
            Some(h) if h.validators.iter().any(|v| v == "event_like") => Support::Contradicts,
            Some(_) => Support::Weak(share),
            None if s.numeric >= 0.8 && s.digits_only >= 0.8 => Support::Agnostic, // epoch days
            None => Support::Contradicts,
        },
        PostalCode => {
            if s.avg_len <= 10.0 && s.avg_words <= 2.0 && s.digit_heavy >= 0.5 {
                weak_or(Support::Agnostic)
            } else {
                Support::Contradicts
            }
        }
        NationalId | PassportNumber | DriversLicense | TaxId | DeviceId => {
            // A tax number that validates as a national id (DNI/NIF, codice fiscale) is the
            // national id.
            let national = cat == TaxId
                && a.hit(NationalId)
                    .is_some_and(|h| h.share >= 0.5 && h.confidence >= 0.5);
            // `1Z014428616586`, `JJD0102758036739`: parcel numbers run longer than any
            // national id or document number.
            let long = cat != DeviceId && s.long_codes >= 0.3;
            // A device id names one device; a sample where nine values in ten repeat is a
            // short list of codes (`WH-BER-01`).
            let codes = cat == DeviceId && s.n >= 100 && s.distinct * 10 < s.n;
            if s.wordy >= 0.8 || s.avg_words >= 3.0 || national || long || codes {
                Support::Contradicts
            } else {
                weak_or(Support::Agnostic)
            }
        }
        Gender => {
            if s.distinct <= 5 || share >= 0.5 {
                Support::Agnostic
            } else {
                Support::Contradicts
            }
        }
        Name => {
            // `Linek-Choina S.A.`, `Grupa Hirsch`: a column of companies.
            if s.digit_heavy >= 0.5 || s.companies >= 0.3 {
                Support::Contradicts
            } else if ambiguous
                && !cues.person
                && s.n >= 20
                && share == 0.0
                && s.avg_words <= 4.0
                && (!ctx.person || s.distinct <= 50)
            {
                // `name` holding no name anyone is called; in a table of people, a short list
                // of them (`Finance`, `Marketing`).
                Support::Contradicts
            } else {
                Support::Agnostic
            }
        }
        City | Job | Nationality | MaritalStatus | Religion | EthnicOrigin | PoliticalOpinion
        | TradeUnion | SexualOrientation | Username | StreetAddress => {
            let codes = s.digit_heavy >= 0.8 && cat != StreetAddress;
            // Addresses carry house numbers; `Fragile - handle with care` carries none.
            let no_street = cat == StreetAddress
                && (s.alpha < 0.2
                    || (s.n >= 20 && share < 0.2 && (s.wordy >= 0.7 || s.avg_words < 1.5)));
            // Logins have no spaces; `Smart Blender 9X` is a product.
            let spaced = cat == Username && s.avg_words >= 1.8;
            // A dozen labels none of which is a known city are categories, not towns.
            let labels = cat == City && s.n >= 50 && s.distinct <= 12 && share == 0.0;
            // `EUR`, `PLN`: currencies, not nationalities or towns.
            let money = s.currencies >= 0.5;
            if codes || no_street || spaced || labels || money {
                Support::Contradicts
            } else {
                Support::Agnostic
            }
        }
        // Secrets differ from row to row; a handful of values (`200`, `404`) are statuses.
        Credentials if s.n >= 100 && s.distinct <= 20 => Support::Contradicts,
        Credentials | Health | Genetic | Biometric | CriminalRecord => Support::Agnostic,
    }
}

/// A hit from the wide lists of towns or surnames.
fn hit_is_wide(h: &values::ValueHit) -> bool {
    h.validators
        .first()
        .is_some_and(|v| v == "gazetteer:geonames" || v == "vocabulary:surnames_census")
}

/// Whether a finding from values alone may stand, given what the name and table say.
fn value_only_allowed(
    hit: &values::ValueHit,
    cues: &NameCues,
    ctx: &names::TableContext,
    a: &Analysis,
) -> bool {
    use Category::*;
    // National ids with a check letter (DNI, codice fiscale), a reserved shape (NINO, the
    // dashed SSN) or a birth date and a checksum (PESEL, NIR) are no product codes when
    // nearly all values pass.
    let checked_id = hit.category == NationalId
        && hit.share >= 0.9
        && hit.validators.first().is_some_and(|v| {
            matches!(
                v.as_str(),
                "es_dni_letter"
                    | "it_codice_fiscale"
                    | "uk_nino"
                    | "us_ssn"
                    | "pl_pesel"
                    | "fr_nir_key"
                    | "se_personnummer"
                    | "no_fodselsnummer"
                    | "fi_hetu"
                    | "br_cpf"
                    | "be_national_number"
            )
        });
    // Product barcodes (EAN-13, UPC, GTIN) carry a GS1 check digit. Their Luhn passes are
    // chance: a column whose values are nearly all valid GS1 keys is barcodes unless Luhn
    // holds just as surely, and a barcode name (`ean`, `gtin`) or a product catalogue
    // (`produits.col2`) decides even then.
    let barcodes = hit.category == CreditCard
        && a.stats.gs1 >= 0.9
        && (cues.decoy_id || ctx.catalogue || hit.share < 0.9);
    if barcodes {
        return false;
    }
    // Card numbers pass Luhn and carry a network's prefix and length; numbers built to pass
    // Luhn (vouchers, parcels) fit a network in well under nine cases in ten.
    let card = hit.category == CreditCard && hit.share >= 0.9;
    // So do VINs whose check digit holds in nearly every value.
    let vin = hit.category == VehicleId
        && hit.share >= 0.9
        && hit.validators.iter().any(|v| v == "vin_check_digit");
    // Random digits pass such a checksum about one time in ten; six in ten do not by chance.
    if hit.chance && !checked_id && !card && (cues.decoy_id || hit.share < 0.6) {
        // `tracking_number` digits that pass Luhn by chance are not card numbers.
        return false;
    }
    // `version = 1.2.3.4` is no IP address, `part_no = 4111…` no card: under a name for a
    // non-personal identifier only unmistakable formats count.
    // DNA, genotypes and biometric templates are unmistakable too: no batch code or checksum
    // is 150 bases or 1024 bits long.
    // So are notes naming conditions and medicines in most values.
    let clinical = hit.validators.iter().any(|v| v == "clinical_narrative");
    // Text that names offences or conditions in most values says so whatever the column is
    // called (`ticket_subject`: `theft: convicted 2016`).
    let told = hit
        .validators
        .first()
        .is_some_and(|v| v.starts_with("mentions:"))
        && hit.share >= 0.7
        && hit.confidence >= 0.85
        && a.stats.avg_words >= 4.0;
    let unmistakable = matches!(hit.category, Genetic | Biometric) && hit.confidence >= 0.8
        || clinical
        || checked_id
        || card
        || vin
        || told;
    if cues.decoy_id && !unmistakable && !matches!(hit.category, Email | BankAccount | Phone | Name)
    {
        return false;
    }
    let vocabulary = hit
        .validators
        .first()
        .is_some_and(|v| v.starts_with("vocabulary:") || v.starts_with("mentions:"));
    let person_mentions = hit
        .validators
        .first()
        .is_some_and(|v| v == "mentions:person");
    // A product catalogue mentioning `ibuprofen` or `allergy` says nothing about a person;
    // notes naming a condition and its medication in most values are clinical whatever the
    // table, and a column of beliefs, parties or unions is no product category.
    let beliefs = matches!(
        hit.category,
        Religion | PoliticalOpinion | SexualOrientation | TradeUnion | EthnicOrigin
    ) && hit.share >= 0.8
        && hit.confidence >= 0.7;
    if vocabulary && !person_mentions && ctx.thing && !cues.person && !clinical && !beliefs {
        return false;
    }
    match hit.category {
        Name if !person_mentions && (cues.thing || (ctx.thing && !cues.person)) => false,
        // `Charlotte`, `Jackson`, `Florence`: a column of known cities is not one of names.
        Name if a
            .hits
            .iter()
            .any(|c| c.category == City && c.share >= hit.share && !hit_is_wide(c)) =>
        {
            false
        }
        City | Nationality | EthnicOrigin | Job | Gender | PoliticalOpinion if cues.vocab_veto => {
            false
        }
        // Low-cardinality labels in a product table are categories, not people.
        Gender | Nationality | EthnicOrigin | MaritalStatus if ctx.thing && !beliefs => false,
        // `Escitalopram 100 mg al bisogno` has a number and a street word but is a dosage.
        StreetAddress if a.hit(Health).is_some_and(|h| h.share >= 0.5) => false,
        // A city column of a shop's warehouses is not a person's city.
        City if cues.thing => false,
        _ => a.stats.n > 0,
    }
}

#[cfg(test)]
mod tests;
