//! What sampled values say: validators, vocabularies and shape statistics.
//!
//! The first [`PROBE`] values decide which validators are plausible at all; only those run
//! over the rest. Expensive checks (libphonenumber) see at most [`EXPENSIVE_CAP`] values.

use std::collections::HashSet;

use crate::Category::{self, *};
use crate::ValueKind;
use crate::phone::{REGIONS, home_region, phone_shape, valid_in, valid_phone};
use crate::validators as v;
use crate::vocab::{Kind, VOCAB, WIDE, fold_into};

/// Values looked at before choosing validators.
pub const PROBE: usize = 100;
/// Values an expensive validator (phone parsing) sees at most; its share is extrapolated.
pub const EXPENSIVE_CAP: usize = 200;

/// How far a validator's hits can be trusted on their own.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Strength {
    /// A strict format or a checksum that random data rarely passes.
    Strong,
    /// A digit checksum that ~10% of random digit strings pass: needs a very high share and
    /// a name that does not say otherwise.
    Chance,
    /// A format without a check (postcodes, VIN without check digit, ICD-10 shape).
    Weak,
    /// Means something only under a matching column name (5-digit postcode, a float in
    /// latitude range, a small integer as an age).
    CueOnly,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Det {
    Email,
    Ip,
    Mac,
    Card,
    Imei,
    Iban,
    Ssn,
    Nino,
    Bsn,
    Nir,
    Dni,
    Cf,
    Pesel,
    SteuerId,
    SePnr,
    SePnrBare,
    DkCpr,
    NoFnr,
    FiHetu,
    PtNif,
    PtCc,
    BrCpf,
    BeNrn,
    VinCheck,
    VinShape,
    PwHash,
    Icd10,
    Genotype,
    PushToken,
    GeneticNotation,
    Dna,
    BioTemplate,
    Embedding,
    UkPost,
    NlPost,
    PlPost,
    Zip4,
    LatLon,
    BloodType,
    ProfileUrl,
    // Only under a name cue:
    NumPost,
    Geohash,
    Plate,
    SsnBare,
    Latitude,
    Longitude,
    AgeYears,
    Amount,
    Uuid,
    HexHash,
    AnyUrl,
}

use Strength::*;

impl Det {
    const ALL: &'static [Det] = &[
        Det::Email,
        Det::Ip,
        Det::Mac,
        Det::Card,
        Det::Imei,
        Det::Iban,
        Det::Ssn,
        Det::Nino,
        Det::Bsn,
        Det::Nir,
        Det::Dni,
        Det::Cf,
        Det::Pesel,
        Det::SteuerId,
        Det::SePnr,
        Det::SePnrBare,
        Det::DkCpr,
        Det::NoFnr,
        Det::FiHetu,
        Det::PtNif,
        Det::PtCc,
        Det::BrCpf,
        Det::BeNrn,
        Det::VinCheck,
        Det::VinShape,
        Det::PwHash,
        Det::Icd10,
        Det::Genotype,
        Det::PushToken,
        Det::GeneticNotation,
        Det::Dna,
        Det::BioTemplate,
        Det::Embedding,
        Det::UkPost,
        Det::NlPost,
        Det::PlPost,
        Det::Zip4,
        Det::LatLon,
        Det::BloodType,
        Det::ProfileUrl,
        Det::NumPost,
        Det::Geohash,
        Det::Plate,
        Det::SsnBare,
        Det::Latitude,
        Det::Longitude,
        Det::AgeYears,
        Det::Amount,
        Det::Uuid,
        Det::HexHash,
        Det::AnyUrl,
    ];

    fn meta(self) -> (Category, &'static [&'static str], Strength, f32) {
        match self {
            Det::Email => (Email, &["email_syntax"], Strong, 0.95),
            Det::Ip => (IpAddress, &["ip_parse"], Strong, 0.95),
            Det::Mac => (MacAddress, &["mac_format"], Strong, 0.95),
            Det::Card => (CreditCard, &["luhn", "iin"], Chance, 0.95),
            Det::Imei => (DeviceId, &["imei_luhn"], Chance, 0.85),
            Det::Iban => (BankAccount, &["iban_mod97"], Strong, 0.97),
            Det::Ssn => (NationalId, &["us_ssn"], Strong, 0.9),
            Det::Nino => (NationalId, &["uk_nino"], Strong, 0.92),
            Det::Bsn => (NationalId, &["nl_bsn_11test"], Chance, 0.9),
            Det::Nir => (NationalId, &["fr_nir_key"], Chance, 0.93),
            Det::Dni => (NationalId, &["es_dni_letter"], Strong, 0.95),
            Det::Cf => (NationalId, &["it_codice_fiscale"], Strong, 0.97),
            Det::Pesel => (NationalId, &["pl_pesel"], Chance, 0.92),
            Det::SteuerId => (NationalId, &["de_steuer_id"], Chance, 0.92),
            Det::SePnr => (NationalId, &["se_personnummer"], Strong, 0.93),
            Det::SePnrBare => (NationalId, &["se_personnummer"], Chance, 0.9),
            Det::DkCpr => (NationalId, &["dk_cpr_date"], Weak, 0.85),
            Det::NoFnr => (NationalId, &["no_fodselsnummer"], Strong, 0.93),
            Det::FiHetu => (NationalId, &["fi_hetu"], Strong, 0.95),
            Det::PtNif => (NationalId, &["pt_nif"], Chance, 0.9),
            Det::PtCc => (NationalId, &["pt_cartao_cidadao"], Strong, 0.95),
            Det::BrCpf => (NationalId, &["br_cpf"], Strong, 0.93),
            Det::BeNrn => (NationalId, &["be_national_number"], Strong, 0.93),
            Det::VinCheck => (VehicleId, &["vin_check_digit"], Strong, 0.92),
            Det::VinShape => (VehicleId, &["vin_format"], Weak, 0.7),
            Det::PwHash => (Credentials, &["password_hash_format"], Strong, 0.95),
            Det::Icd10 => (Health, &["icd10_format"], Weak, 0.8),
            Det::Genotype => (Genetic, &["genotype_format"], Weak, 0.8),
            Det::PushToken => (DeviceId, &["push_token_format"], Strong, 0.9),
            Det::GeneticNotation => (Genetic, &["genetic_notation"], Strong, 0.9),
            Det::Dna => (Genetic, &["nucleotide_sequence"], Strong, 0.9),
            Det::BioTemplate => (Biometric, &["biometric_template"], Strong, 0.88),
            Det::Embedding => (Biometric, &["float_vector"], Weak, 0.65),
            Det::UkPost => (PostalCode, &["uk_postcode"], Weak, 0.8),
            Det::NlPost => (PostalCode, &["nl_postcode"], Weak, 0.8),
            Det::PlPost => (PostalCode, &["pl_postcode"], Weak, 0.7),
            Det::Zip4 => (PostalCode, &["us_zip4"], Weak, 0.8),
            Det::LatLon => (GeoLocation, &["lat_lon_pair"], Strong, 0.85),
            Det::BloodType => (Health, &["blood_type"], Weak, 0.8),
            Det::ProfileUrl => (UrlPersonal, &["profile_url"], Strong, 0.85),
            Det::NumPost => (PostalCode, &["numeric_postcode"], CueOnly, 0.85),
            Det::Geohash => (GeoLocation, &["geohash"], CueOnly, 0.85),
            Det::Plate => (VehicleId, &["licence_plate_format"], CueOnly, 0.85),
            Det::SsnBare => (NationalId, &["us_ssn"], CueOnly, 0.9),
            Det::Latitude => (GeoLocation, &["latitude_range"], CueOnly, 0.9),
            Det::Longitude => (GeoLocation, &["longitude_range"], CueOnly, 0.9),
            Det::AgeYears => (Age, &["age_range"], CueOnly, 0.85),
            Det::Amount => (Income, &["numeric"], CueOnly, 0.8),
            Det::Uuid => (DeviceId, &["uuid_format"], CueOnly, 0.8),
            Det::HexHash => (Credentials, &["hex_digest"], CueOnly, 0.85),
            // Any URL only fails to contradict a `website` name; it does not confirm it.
            Det::AnyUrl => (UrlPersonal, &["url"], CueOnly, 0.3),
        }
    }

    fn check(self, s: &str) -> bool {
        match self {
            Det::Email => v::email(s),
            Det::Ip => v::ip(s),
            Det::Mac => v::mac(s),
            Det::Card => v::credit_card(s),
            Det::Imei => v::imei(s) && !v::credit_card(s),
            Det::Iban => v::iban(s),
            Det::Ssn => v::us_ssn(s, false),
            Det::Nino => v::uk_nino(s),
            Det::Bsn => v::nl_bsn(s),
            Det::Nir => v::fr_nir(s),
            Det::Dni => v::es_dni(s),
            Det::Cf => v::it_codice_fiscale(s),
            Det::Pesel => v::pl_pesel(s),
            Det::SteuerId => v::de_steuer_id(s),
            Det::SePnr => s.bytes().any(|c| matches!(c, b'-' | b'+')) && v::se_personnummer(s),
            Det::SePnrBare => s.bytes().all(|c| c.is_ascii_digit()) && v::se_personnummer(s),
            // A Swedish number read as a Danish one would be counted twice.
            Det::DkCpr => v::dk_cpr(s) && !v::se_personnummer(s),
            Det::NoFnr => v::no_fodselsnummer(s),
            Det::FiHetu => v::fi_hetu(s),
            Det::PtNif => v::pt_nif(s),
            Det::PtCc => v::pt_cartao_cidadao(s),
            Det::BrCpf => v::br_cpf(s),
            Det::BeNrn => v::be_national_number(s),
            Det::VinCheck => v::vin(s) == Some(true),
            Det::VinShape => v::vin(s).is_some(),
            Det::PwHash => v::password_hash(s),
            Det::Icd10 => v::icd10(s),
            Det::Genotype => v::genotype(s),
            // Firebase Cloud Messaging registration tokens: `<instance id>:APA91b<…>`.
            Det::PushToken => {
                s.len() >= 100
                    && s.contains(":APA91b")
                    && s.bytes()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b':'))
            }
            Det::GeneticNotation => !v::genotype(s) && v::genetic_notation(s),
            Det::Dna => v::dna_sequence(s),
            Det::BioTemplate => v::biometric_template(s),
            Det::Embedding => v::embedding(s),
            Det::UkPost => v::uk_postcode(s),
            Det::NlPost => v::nl_postcode(s),
            Det::PlPost => v::pl_postcode(s),
            Det::Zip4 => v::us_zip4(s),
            Det::LatLon => v::lat_lon_pair(s),
            Det::BloodType => matches!(
                s,
                "A+" | "A-"
                    | "B+"
                    | "B-"
                    | "AB+"
                    | "AB-"
                    | "O+"
                    | "O-"
                    | "0+"
                    | "0-"
                    | "A Rh+"
                    | "A Rh-"
                    | "B Rh+"
                    | "B Rh-"
                    | "AB Rh+"
                    | "AB Rh-"
                    | "0 Rh+"
                    | "0 Rh-"
            ),
            Det::ProfileUrl => profile_url(s),
            Det::NumPost => {
                v::numeric_postcode(s)
                    || v::us_zip4(s)
                    || v::uk_postcode(s)
                    || v::nl_postcode(s)
                    || v::pl_postcode(s)
            }
            Det::Geohash => v::geohash(s),
            Det::Plate => v::licence_plate(s) || v::vin(s).is_some(),
            Det::SsnBare => v::us_ssn(s, true),
            Det::Latitude => decimal(s).is_some_and(|x| x.abs() <= 90.0),
            Det::Longitude => decimal(s).is_some_and(|x| x.abs() <= 180.0),
            Det::AgeYears => s.len() <= 3 && s.parse::<u16>().is_ok_and(|x| x <= 125),
            Det::Amount => number(s).is_some(),
            Det::Uuid => {
                v::uuid(s)
                    || (s.len() >= 16
                        && s.len() <= 64
                        && s.bytes().all(|c| {
                            c.is_ascii_alphanumeric() || c == b'-' || c == b':' || c == b'_'
                        }))
            }
            Det::HexHash => {
                v::hex_hash(s) || v::password_hash(s) || s.len() >= 16 && !s.contains(' ')
            }
            Det::AnyUrl => {
                s.starts_with("http://") || s.starts_with("https://") || s.starts_with("www.")
            }
        }
    }

    fn expensive(self) -> bool {
        matches!(self, Det::Embedding)
    }
}

/// A number with a decimal point (coordinates are never integers).
fn decimal(s: &str) -> Option<f64> {
    if !s.contains('.') {
        return None;
    }
    number(s)
}

fn number(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    if b.is_empty() || !(b[0].is_ascii_digit() || matches!(b[0], b'-' | b'+' | b'.')) {
        return None;
    }
    s.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// A social-media or personal profile URL (not any URL: shop links are not personal).
fn profile_url(s: &str) -> bool {
    let rest = match s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
    {
        Some(r) => r,
        None => return false,
    };
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    const PROFILES: &[&str] = &[
        "linkedin.com/in/",
        "facebook.com/",
        "twitter.com/",
        "x.com/",
        "instagram.com/",
        "github.com/",
        "xing.com/profile/",
        "tiktok.com/@",
        "mastodon.social/@",
        "youtube.com/@",
        "pinterest.com/",
        "reddit.com/user/",
        "threads.net/@",
        "bsky.app/profile/",
    ];
    PROFILES
        .iter()
        .any(|p| rest.starts_with(p) && rest.len() > p.len() + 1)
        || rest.contains("/~")
}

/// One category the values support.
#[derive(Clone, Debug)]
pub struct ValueHit {
    pub category: Category,
    /// Confidence from the values alone.
    pub confidence: f32,
    pub share: f32,
    pub validators: Vec<String>,
    /// The category needs a name cue to be reported (the values alone are not enough).
    pub needs_cue: bool,
    /// A digit checksum that random numbers can pass.
    pub chance: bool,
}

/// Shape statistics of the sampled values.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    pub n: usize,
    pub distinct: usize,
    pub avg_len: f32,
    pub avg_words: f32,
    /// Values that are a number.
    pub numeric: f32,
    /// Values made of digits only.
    pub digits_only: f32,
    /// Values with at least one letter.
    pub alpha: f32,
    /// Values whose alphanumerics are at least half digits.
    pub digit_heavy: f32,
    /// Values with letters and no digits, as words are.
    pub wordy: f32,
    /// Values naming a company (`GmbH`, `S.A.`, `Ltd`); set when names are looked for.
    pub companies: f32,
    /// Values that are ISO 4217 currency codes (`EUR`, `PLN`).
    pub currencies: f32,
    /// Values with more than 16 letters and digits: longer than any national id.
    pub long_codes: f32,
    /// Values that are GS1 keys with a valid check digit (EAN-13, UPC-A, EAN-8, GTIN-14).
    pub gs1: f32,
}

/// Everything the values of one column say.
#[derive(Clone, Debug, Default)]
pub struct Analysis {
    pub stats: Stats,
    pub hits: Vec<ValueHit>,
    /// The values are running text, read for what they mention.
    pub free_text: bool,
    /// The share of values that are test data (see `fixtures`).
    pub fixtures: f32,
}

impl Analysis {
    pub fn hit(&self, c: Category) -> Option<&ValueHit> {
        self.hits
            .iter()
            .filter(|h| h.category == c)
            .max_by(|a, b| a.confidence.total_cmp(&b.confidence))
    }
}

/// Maps a share to a confidence: a share of 0.9 with a validator of ceiling `max` gives
/// `max - 0.05`; shares under 0.5 give no more than the share.
pub fn share_confidence(share: f32, max: f32) -> f32 {
    if share >= 0.9 {
        max - (1.0 - share) * 0.5
    } else if share >= 0.5 {
        0.5 + (share - 0.5) / 0.4 * (max - 0.05 - 0.5)
    } else {
        share.min(max)
    }
}

/// Examines the values of a column. `wanted` are the categories the column name suggests:
/// their cue-only validators run too.
pub fn analyse(values: &[String], kind: ValueKind, wanted: &[Category]) -> Analysis {
    let vals: Vec<&str> = values
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    let n = vals.len();
    let mut out = Analysis::default();
    if n == 0 {
        return out;
    }
    out.stats = stats(&vals);
    let probe = &vals[..n.min(PROBE)];
    if matches!(kind, ValueKind::Text | ValueKind::Other) {
        out.fixtures = crate::fixtures::share(&vals);
    }

    // Validators: probe first, then the plausible ones over everything.
    for &det in Det::ALL {
        let (cat, validators, strength, max) = det.meta();
        let cued = wanted.contains(&cat);
        if strength == CueOnly && !cued {
            continue;
        }
        let probe_hits = probe.iter().filter(|s| det.check(s)).count();
        if probe_hits == 0 || (!cued && (probe_hits as f32) < 0.3 * probe.len() as f32) {
            continue;
        }
        let (hits, seen) = if det.expensive() || probe.len() == n {
            (probe_hits, probe.len())
        } else {
            let rest = vals[probe.len()..].iter().filter(|s| det.check(s)).count();
            (probe_hits + rest, n)
        };
        let share = hits as f32 / seen as f32;
        out.hits.push(ValueHit {
            category: cat,
            confidence: share_confidence(share, max),
            share,
            validators: validators.iter().map(|s| s.to_string()).collect(),
            needs_cue: strength == CueOnly,
            chance: strength == Chance,
        });
    }
    refine_hits(&mut out, &vals);

    // Phone numbers: a byte-level pre-filter, then libphonenumber on a capped sample.
    // Bare digit strings count as phone numbers under a phone name, or beside numbers that
    // are unmistakably international (`+39 0118796437` next to `0458220061`).
    let cued_phone = wanted.contains(&Phone) || international_share(probe) >= 0.15;
    let probe_phone = probe
        .iter()
        .filter(|s| phone_shape(without_extension(s), cued_phone))
        .count();
    if probe_phone > 0 && (cued_phone || probe_phone as f32 >= 0.3 * probe.len() as f32) {
        let share = phone_share(&vals, cued_phone);
        if share > 0.0 {
            out.hits.push(ValueHit {
                category: Phone,
                confidence: share_confidence(share, 0.93),
                share,
                validators: vec!["libphonenumber".into()],
                needs_cue: false,
                chance: false,
            });
        }
    }

    // Dates of birth: dates spread over decades, in the past, without times of day.
    if matches!(
        kind,
        ValueKind::Date | ValueKind::Timestamp | ValueKind::Text | ValueKind::Other
    ) && probe.iter().filter(|s| v::date(s).is_some()).count() * 2 >= probe.len()
    {
        birth_dates(&vals, wanted.contains(&DateOfBirth), &mut out);
    }

    // Vocabularies over whole values and over free text; JSON documents are read key by key
    // instead (`"battery": 66` is no offence).
    let json = probe
        .iter()
        .filter(|s| s.starts_with('{') && s.ends_with('}'))
        .count()
        * 2
        > probe.len();
    if out.stats.alpha >= 0.5 && !json {
        // Addresses run to several words and name people (`Rua Dr. António Granjo, 89`)
        // and causes (`Avenida da Liberdade`) without being running text.
        let addresses = out.stats.avg_words <= 8.0 && wanted.contains(&StreetAddress);
        if out.stats.avg_words >= 4.0 && !addresses {
            out.free_text = true;
            long_text(&vals, &mut out);
        } else if out.stats.avg_words >= 4.0 {
            // an address column: nothing more to read
        } else {
            whole_values(&vals, &mut out);
            person_names(&vals, &mut out);
            logins(&vals, &mut out);
            towns_and_surnames(&vals, &mut out);
            // Short notes (`Type 2 diabetes, on metformin`, `Asthma; salbutamol as needed`)
            // mention conditions without being one vocabulary term as a whole.
            mailboxes(&vals, &mut out);
            obfuscated_emails(&vals, &mut out);
            // Values a format already explains (emails, codes) need no reading.
            if !out.hits.iter().any(|h| h.share >= 0.8 && !h.needs_cue) {
                free_text(&vals, &mut out, true);
            }
        }
        if out.stats.avg_words <= 8.0 {
            street_addresses(&vals, &mut out);
        }
    }
    out
}

fn stats(vals: &[&str]) -> Stats {
    let n = vals.len();
    let mut distinct: HashSet<&str> = HashSet::with_capacity(n.min(4096));
    let (mut len, mut words, mut numeric, mut digits_only, mut alpha, mut heavy, mut wordy) =
        (0usize, 0usize, 0usize, 0usize, 0usize, 0usize, 0usize);
    let (mut currencies, mut long_codes, mut gs1) = (0usize, 0usize, 0usize);
    for s in vals {
        if distinct.len() < 100_000 {
            distinct.insert(s);
        }
        len += s.chars().count().min(10_000);
        let (mut d, mut a, mut w, mut in_word) = (0usize, 0usize, 0usize, false);
        for &c in s.as_bytes() {
            if c.is_ascii_digit() {
                d += 1;
            } else if c.is_ascii_alphabetic() || c >= 0x80 {
                a += 1;
            }
            if c == b' ' || c == b'\n' || c == b'\t' {
                in_word = false;
            } else if !in_word {
                in_word = true;
                w += 1;
            }
        }
        words += w;
        if w == 1 && d + a > 16 {
            long_codes += 1;
        }
        if s.len() == 3 && v::currency_code(s) {
            currencies += 1;
        }
        if v::gs1(s) {
            gs1 += 1;
        }
        if d == s.len() {
            digits_only += 1;
        }
        if a > 0 {
            alpha += 1;
            if d == 0 {
                wordy += 1;
            }
        }
        if d > 0 && d >= a {
            heavy += 1;
        }
        if d > 0 && number(s).is_some() {
            numeric += 1;
        }
    }
    let f = |x: usize| x as f32 / n as f32;
    Stats {
        n,
        distinct: distinct.len(),
        avg_len: f(len),
        avg_words: f(words),
        numeric: f(numeric),
        digits_only: f(digits_only),
        alpha: f(alpha),
        digit_heavy: f(heavy),
        wordy: f(wordy),
        companies: 0.0,
        currencies: f(currencies),
        long_codes: f(long_codes),
        gs1: f(gs1),
    }
}

/// Cross-checks between validators on the same values.
fn refine_hits(out: &mut Analysis, vals: &[&str]) {
    let distinct = out.stats.distinct;
    // A VIN with a valid check digit is also VIN-shaped: keep the stronger.
    if out
        .hits
        .iter()
        .any(|h| h.validators[0] == "vin_check_digit" && h.share >= 0.5)
    {
        out.hits.retain(|h| h.validators[0] != "vin_format");
    }
    for h in &mut out.hits {
        match h.validators[0].as_str() {
            // ICD-10 codes spread over chapters; `A12`, `B34` product codes do not.
            "icd10_format" => {
                let sample = &vals[..vals.len().min(PROBE * 5)];
                let letters: HashSet<u8> = sample.iter().filter_map(|s| s.bytes().next()).collect();
                let dotted = sample.iter().filter(|s| s.contains('.')).count();
                if letters.len() < 5 || dotted * 5 < sample.len() {
                    h.confidence = h.confidence.min(0.45);
                }
            }
            // Links into one site (a shop's product pages) are no one's personal page.
            "url" => {
                let sample = &vals[..vals.len().min(PROBE * 5)];
                let hosts: HashSet<&str> = sample.iter().filter_map(|s| url_host(s)).collect();
                if sample.len() >= 20 && hosts.len() * 10 <= sample.len() {
                    h.share = 0.0;
                    h.confidence = 0.0;
                }
            }
            "genotype_format" | "blood_type" if distinct < 3 => {
                h.confidence = h.confidence.min(0.45)
            }
            _ => {}
        }
    }
}

/// The host of an `http(s)://` or `www.` URL.
fn url_host(s: &str) -> Option<&str> {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .or_else(|| s.strip_prefix("www."))?;
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    Some(rest.split(['/', '?', '#']).next().unwrap_or(rest))
}

/// `+44 20 7946 0958 x123`, `(555) 010-0199 ext. 12` → the number without its extension.
fn without_extension(s: &str) -> &str {
    let lower_at = |i: usize| s.as_bytes().get(i).map(u8::to_ascii_lowercase);
    let b = s.as_bytes();
    // Walk back over the extension's digits, then look for `x`, `ext` or `ext.`.
    let mut i = b.len();
    while i > 0 && b[i - 1].is_ascii_digit() {
        i -= 1;
    }
    if i == b.len() || b.len() - i > 6 {
        return s;
    }
    let mut j = i;
    while j > 0 && b[j - 1] == b' ' {
        j -= 1;
    }
    let marker = if j >= 1 && lower_at(j - 1) == Some(b'x') {
        j - 1
    } else if j >= 4 && s.is_char_boundary(j - 4) && s[j - 4..j].eq_ignore_ascii_case("ext.") {
        j - 4
    } else if j >= 3 && s.is_char_boundary(j - 3) && s[j - 3..j].eq_ignore_ascii_case("ext") {
        j - 3
    } else {
        return s;
    };
    s[..marker].trim_end()
}

/// Share of values written as international phone numbers (`+…`, `00…`).
fn international_share(vals: &[&str]) -> f32 {
    if vals.is_empty() {
        return 0.0;
    }
    let intl = vals
        .iter()
        .map(|s| without_extension(s))
        .filter(|s| (s.starts_with('+') || s.starts_with("00")) && phone_shape(s, false))
        .count();
    intl as f32 / vals.len() as f32
}

fn phone_share(vals: &[&str], cued: bool) -> f32 {
    let mut order = REGIONS;
    let home = home_region(vals).filter(|h| !REGIONS.contains(h));
    let (mut shaped, mut checked, mut valid) = (0usize, 0usize, 0usize);
    for s in vals {
        let s = without_extension(s);
        if !phone_shape(s, cued) {
            continue;
        }
        shaped += 1;
        if checked < EXPENSIVE_CAP {
            checked += 1;
            if valid_phone(s, &mut order) || home.is_some_and(|h| valid_in(h, s)) {
                valid += 1;
            }
        }
    }
    if checked == 0 {
        return 0.0;
    }
    (shaped as f32 / vals.len() as f32) * (valid as f32 / checked as f32)
}

fn current_year() -> i32 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    1970 + (secs / 31_556_952) as i32
}

fn birth_dates(vals: &[&str], cued: bool, out: &mut Analysis) {
    let mut years = Vec::with_capacity(vals.len());
    let mut timed = 0;
    for s in vals {
        if let Some((y, _, _, t)) = v::date(s) {
            years.push(y as i32);
            timed += t as usize;
        }
    }
    let share = years.len() as f32 / vals.len() as f32;
    if share < 0.5 || years.is_empty() {
        return;
    }
    years.sort_unstable();
    let q = |p: f32| years[((years.len() - 1) as f32 * p) as usize];
    let (p10, median, p90) = (q(0.1), q(0.5), q(0.9));
    let now = current_year();
    let timed_share = timed as f32 / years.len() as f32;
    let past = years.iter().filter(|&&y| y >= 1900 && y < now).count() as f32 / years.len() as f32;
    // Birth dates: spread over decades, median person an adult or older child, no times of day.
    let spread = p90 - p10 >= 15 && median <= now - 14 && median >= 1925 && past >= 0.95;
    let (conf, validators) = if spread && timed_share < 0.1 {
        (
            share_confidence(share, if cued { 0.92 } else { 0.7 }),
            vec!["date".to_string(), "birth_year_spread".into()],
        )
    } else if cued && years.len() >= 5 && past >= 0.9 && timed_share < 0.1 && median <= now - 3 {
        // Few distinct years (a cohort, a school class) still read as birth dates under the name.
        (0.6, vec!["date".to_string()])
    } else {
        // Event timestamps: clustered in recent years or with times of day.
        (0.2, vec!["date".to_string(), "event_like".into()])
    };
    out.hits.push(ValueHit {
        category: DateOfBirth,
        confidence: conf,
        share,
        validators,
        needs_cue: false,
        chance: false,
    });
}

/// Kinds → category, minimum share, minimum distinct values, ceiling, value-only allowed.
const WHOLE_VALUE_KINDS: &[(Kind, Category, f32, usize, f32)] = &[
    (Kind::Gender, Gender, 0.9, 2, 0.85),
    (Kind::Marital, MaritalStatus, 0.8, 2, 0.85),
    (Kind::Nationality, Nationality, 0.8, 2, 0.8),
    (Kind::Religion, Religion, 0.7, 2, 0.88),
    (Kind::Ethnic, EthnicOrigin, 0.7, 3, 0.85),
    (Kind::Sexual, SexualOrientation, 0.7, 2, 0.88),
    (Kind::Union, TradeUnion, 0.7, 2, 0.85),
    (Kind::Political, PoliticalOpinion, 0.7, 2, 0.85),
    (Kind::Job, Job, 0.5, 3, 0.8),
    (Kind::City, City, 0.5, 3, 0.85),
    (Kind::Health, Health, 0.5, 2, 0.88),
    (Kind::Criminal, CriminalRecord, 0.5, 2, 0.85),
];

/// Values that are vocabulary terms as a whole (`weiblich`, `verheiratet`, `Kraków`).
fn whole_values(vals: &[&str], out: &mut Analysis) {
    let vocab = &*VOCAB;
    let mut buf = String::new();
    let mut counts = [0usize; 14];
    let mut distinct: [HashSet<u32>; 14] = Default::default();
    let mut gender_multi = false;
    for s in vals {
        fold_into(s, &mut buf);
        let kinds = vocab.get(&buf);
        if kinds == 0 {
            continue;
        }
        let h = hash32(&buf);
        for (i, c) in counts.iter_mut().enumerate() {
            if kinds & (1 << i) != 0 {
                *c += 1;
                if distinct[i].len() < 16 {
                    distinct[i].insert(h);
                }
            }
        }
        if kinds & Kind::Gender.bit() != 0 && buf.len() > 1 {
            gender_multi = true;
        }
    }
    let n = vals.len() as f32;
    for &(kind, cat, min_share, min_distinct, max) in WHOLE_VALUE_KINDS {
        let i = (kind.bit()).trailing_zeros() as usize;
        let share = counts[i] as f32 / n;
        if share == 0.0 {
            continue;
        }
        let d = distinct[i].len();
        // Four or more distinct terms of one list are no coincidence (`white`/`black` may be
        // colours; `Sunni`, `Sikh`, `Lutheran`, `Jewish` are not): half the values suffice.
        let min_share = if d >= 4 {
            min_share.min(0.5)
        } else {
            min_share
        };
        let mut conf = if share >= min_share && d >= min_distinct {
            share_confidence(share, max)
        } else {
            share.min(0.45)
        };
        // `M`/`F` alone could be sizes or flags; `male`/`weiblich` could not.
        if cat == Gender && !gender_multi {
            conf = conf.min(0.6);
        }
        // Gender is a handful of values; a column of thousands of distinct ones is not.
        if cat == Gender && out.stats.distinct > 8 {
            conf = conf.min(0.3);
        }
        out.hits.push(ValueHit {
            category: cat,
            confidence: conf,
            share,
            validators: vec![format!("vocabulary:{}", cat.id())],
            needs_cue: false,
            chance: false,
        });
    }
}

fn hash32(s: &str) -> u32 {
    // FNV-1a: only to count distinct vocabulary hits.
    s.bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ b as u32).wrapping_mul(0x0100_0193)
    })
}

const COMPANY_MARKERS: &[&str] = &[
    "gmbh",
    "ag",
    "ltd",
    "inc",
    "llc",
    "sa",
    "sarl",
    "sas",
    "bv",
    "nv",
    "spa",
    "srl",
    "plc",
    "corp",
    "co",
    "kg",
    "ohg",
    "ug",
    "sl",
    "s.a.",
    "s.l.",
    "b.v.",
    "n.v.",
    "s.p.a.",
    "sp.",
    "&",
    "group",
    "holding",
    "gbr",
    "e.v.",
    "ltd.",
    "inc.",
    "corp.",
    "co.",
    "company",
    "grupa",
    "sp.j.",
    "sp.k.",
    "s.a.r.l.",
    "s.a.s.",
    "s.r.l.",
    "sarl",
    "gruppo",
    "groupe",
    "grupo",
    "stowarzyszenie",
    "fundacja",
    "ppuh",
    "phu",
    "fhu",
];

/// Values that read as person names: one to four capitalised words, some of them known first
/// names or surnames.
fn person_names(vals: &[&str], out: &mut Analysis) {
    let vocab = &*VOCAB;
    let mut buf = String::new();
    let (mut shaped, mut known, mut company) = (0usize, 0usize, 0usize);
    // Names written in lower case (`anna müller`) need more known names to count.
    let mut lower = 0usize;
    let limit = vals.len().min(1000);
    for s in &vals[..limit] {
        let words: Vec<&str> = s.split_whitespace().collect();
        // `Jordy van der Stael de Jonge`: particles do not make a name longer.
        let core = words.iter().filter(|w| !is_particle(w)).count();
        if core == 0 || core > 4 || words.len() > 7 {
            continue;
        }
        let mut ok = true;
        let mut hit = false;
        let mut lowered = false;
        for w in &words {
            fold_into(w.trim_end_matches(','), &mut buf);
            if COMPANY_MARKERS.contains(&buf.as_str()) {
                company += 1;
                ok = false;
                break;
            }
            // Particles (`van`, `de`, `di`) and forms of address (`pani`) are lower case in
            // names.
            let particle = is_particle(w);
            if !w
                .chars()
                .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '.' | ','))
            {
                ok = false;
                break;
            }
            if !particle && !w.chars().next().is_some_and(char::is_uppercase) {
                lowered = true;
            }
            let k = vocab.get(&buf);
            if k & (Kind::FirstName.bit() | Kind::Surname.bit()) != 0 {
                hit = true;
            }
        }
        if ok {
            shaped += 1;
            lower += usize::from(lowered);
            if hit {
                known += 1;
            }
        }
    }
    let n = limit as f32;
    out.stats.companies = company as f32 / n;
    let (shape, known_share) = (shaped as f32 / n, known as f32 / n);
    if known == 0 {
        return;
    }
    // A stray `auch` or `und` in a name is no reason; most values in lower case are.
    let min_known = if lower * 2 > shaped { 0.5 } else { 0.3 };
    let conf = if shape >= 0.8 && known_share >= min_known && (company as f32) < 0.05 * n {
        (0.6 + 0.35 * (known_share / 0.6).min(1.0)).min(0.95)
    } else {
        known_share.min(0.45)
    };
    out.hits.push(ValueHit {
        category: Name,
        confidence: conf,
        share: known_share,
        validators: vec!["vocabulary:name".into()],
        needs_cue: false,
        chance: false,
    });
}

/// `noelle49`, `willemde-keijser`, `@ctielemans`: one lower-case token per person, nearly
/// all different, most with a first name or surname inside. Event types and statuses repeat;
/// hashes and codes hold no names.
fn logins(vals: &[&str], out: &mut Analysis) {
    let vocab = &*VOCAB;
    let limit = vals.len().min(300);
    if limit < 20 || out.stats.avg_words > 1.2 || out.stats.distinct * 10 < out.stats.n * 7 {
        return;
    }
    let (mut shaped, mut named) = (0usize, 0usize);
    for s in &vals[..limit] {
        let t = s.strip_prefix('@').unwrap_or(s);
        let b = t.as_bytes();
        let ok = (3..=32).contains(&b.len())
            && b[0].is_ascii_lowercase()
            && b.iter()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || b"._-".contains(c));
        if !ok {
            continue;
        }
        shaped += 1;
        // A first name or surname of four letters or more somewhere in the token.
        let found = (0..b.len()).any(|i| {
            (4..=10).filter(|len| i + len <= b.len()).any(|len| {
                vocab.get(&t[i..i + len]) & (Kind::FirstName.bit() | Kind::Surname.bit()) != 0
            })
        });
        if found {
            named += 1;
        }
    }
    let n = limit as f32;
    let (shape, share) = (shaped as f32 / n, named as f32 / n);
    if shape < 0.8 || share < 0.4 {
        return;
    }
    out.hits.push(ValueHit {
        category: Username,
        confidence: (0.55 + 0.3 * (share / 0.7).min(1.0)).min(0.85),
        share,
        validators: vec!["login_shape".into(), "vocabulary:name".into()],
        needs_cue: false,
        chance: false,
    });
}

/// A column of towns (`Torricella Verzate`, `Ooltgensplaat`) or of surnames (`Kolanek`,
/// `Gascón`) that the curated lists do not know: checked against the wide lists of real
/// places and surnames. Whichever list holds more of the values speaks, and only for
/// diverse columns whose values are mostly in it: a dozen labels are categories, and
/// everyday words are both towns and surnames now and then.
fn towns_and_surnames(vals: &[&str], out: &mut Analysis) {
    let wide = &*WIDE;
    let limit = vals.len().min(1000);
    if limit < 20 || out.stats.avg_words > 3.0 || out.stats.distinct < 30 {
        return;
    }
    let mut buf = String::new();
    let (mut towns, mut surnames, mut single) = (0usize, 0usize, 0usize);
    for s in &vals[..limit] {
        if !s.chars().next().is_some_and(char::is_uppercase)
            || !s
                .chars()
                .all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '.'))
        {
            continue;
        }
        fold_into(s, &mut buf);
        if wide.towns.contains(buf.as_str()) {
            towns += 1;
        }
        if !buf.contains(' ') {
            single += 1;
            if wide.surnames.contains(buf.as_str()) {
                surnames += 1;
            }
        }
    }
    let n = limit as f32;
    let (town_share, surname_share) = (towns as f32 / n, surnames as f32 / n);
    let known = |c: Category| out.hit(c).map_or(0.0, |h| h.share);
    if town_share >= 0.5 && town_share > surname_share && town_share > known(Name) {
        out.hits.push(ValueHit {
            category: City,
            confidence: 0.55 + 0.3 * ((town_share - 0.5) / 0.4).min(1.0),
            share: town_share,
            validators: vec!["gazetteer:geonames".into()],
            needs_cue: false,
            chance: false,
        });
    } else if (single as f32) >= 0.9 * n
        && surname_share >= 0.4
        && surname_share > town_share
        && known(City) < surname_share
    {
        out.hits.push(ValueHit {
            category: Name,
            confidence: 0.55 + 0.3 * ((surname_share - 0.4) / 0.4).min(1.0),
            share: surname_share,
            validators: vec!["vocabulary:surnames_census".into()],
            needs_cue: false,
            chance: false,
        });
    }
}

/// Name particles and forms of address written in lower case (`van`, `de`, `pani`).
fn is_particle(w: &str) -> bool {
    matches!(
        w,
        "van"
            | "de"
            | "der"
            | "den"
            | "von"
            | "di"
            | "da"
            | "del"
            | "della"
            | "la"
            | "le"
            | "du"
            | "y"
            | "zu"
            | "ten"
            | "ter"
            | "het"
            | "dos"
            | "das"
            | "do"
            | "pani"
            | "pan"
    )
}

/// `Jane Doe <jane@example.com>`: an RFC 5322 mailbox holds an email address and, in its
/// display name, a person's name.
fn mailboxes(vals: &[&str], out: &mut Analysis) {
    let limit = vals.len().min(1000);
    let mut hits = 0usize;
    for s in &vals[..limit] {
        let Some(inner) = s.strip_suffix('>') else {
            continue;
        };
        let Some((display, addr)) = inner.rsplit_once('<') else {
            continue;
        };
        let display = display.trim().trim_matches('"');
        let words = display.split_whitespace().count();
        let capital = display.chars().next().is_some_and(char::is_uppercase);
        if v::email(addr.trim()) && (1..=5).contains(&words) && capital {
            hits += 1;
        }
    }
    let share = hits as f32 / limit as f32;
    if share < 0.5 {
        return;
    }
    for (cat, validator) in [(Email, "mailbox_address"), (Name, "mailbox_display_name")] {
        out.hits.push(ValueHit {
            category: cat,
            confidence: share_confidence(share, 0.9),
            share,
            validators: vec![validator.into()],
            needs_cue: false,
            chance: false,
        });
    }
}

/// Street words of the 8 locales, as separate tokens (`Main Street 5`, `ul. Długa 3`).
const STREET_WORDS: &[&str] = &[
    // Nordic and Portuguese, Italian (Norwegian `gate` below, after the name)
    "vei",
    "veien",
    "vej",
    "gade",
    "gatan",
    "vagen",
    "katu",
    "rua",
    "avenida",
    "travessa",
    "largo",
    "praca",
    "estrada",
    "viale",
    "piazza",
    "corso",
    "street",
    "st",
    "road",
    "rd",
    "avenue",
    "ave",
    "lane",
    "ln",
    "drive",
    "dr",
    "boulevard",
    "blvd",
    "way",
    "court",
    "ct",
    "place",
    "pl",
    "square",
    "terrace",
    "close",
    "crescent",
    "strasse",
    "str",
    "weg",
    "gasse",
    "allee",
    "platz",
    "ring",
    "damm",
    "chaussee",
    "rue",
    "boulevard",
    "bd",
    "chemin",
    "impasse",
    "allee",
    "place",
    "quai",
    "calle",
    "c",
    "ronda",
    "pasaje",
    "rambla",
    "travesia",
    "glorieta",
    "carretera",
    "avinguda",
    "piso",
    "crossing",
    "ridge",
    "springs",
    "run",
    "port",
    "walk",
    "walks",
    "cliffs",
    "hill",
    "hills",
    "parkway",
    "pkwy",
    "trail",
    "path",
    "pike",
    "highway",
    "hwy",
    "heights",
    "grove",
    "gardens",
    "mews",
    "row",
    "circle",
    "loop",
    "creek",
    "landing",
    "manor",
    "mill",
    "mills",
    "station",
    "summit",
    "valley",
    "vista",
    "stravenue",
    "flat",
    "apt",
    "avenida",
    "avda",
    "plaza",
    "paseo",
    "camino",
    "carrer",
    "straat",
    "laan",
    "plein",
    "gracht",
    "kade",
    "singel",
    "dreef",
    "via",
    "viale",
    "piazza",
    "corso",
    "vicolo",
    "largo",
    "ulica",
    "ul",
    "aleja",
    "al",
    "plac",
    "osiedle",
    "os",
    // USPS Publication 28's street suffixes (the rest of them), as Faker's English
    // addresses and many real ones use.
    "alley",
    "annex",
    "arcade",
    "bayou",
    "beach",
    "bend",
    "bluff",
    "bluffs",
    "bottom",
    "branch",
    "bridge",
    "brook",
    "brooks",
    "burg",
    "burgs",
    "bypass",
    "camp",
    "canyon",
    "cape",
    "causeway",
    "center",
    "centers",
    "circles",
    "cliff",
    "club",
    "common",
    "commons",
    "corner",
    "corners",
    "course",
    "courts",
    "cove",
    "coves",
    "creeks",
    "crest",
    "curve",
    "dale",
    "dam",
    "divide",
    "drives",
    "estate",
    "estates",
    "expressway",
    "extension",
    "extensions",
    "falls",
    "ferry",
    "fields",
    "flats",
    "ford",
    "fords",
    "forest",
    "forge",
    "forges",
    "fork",
    "forks",
    "fort",
    "freeway",
    "gateway",
    "glen",
    "glens",
    "greens",
    "harbor",
    "harbors",
    "haven",
    "hollow",
    "inlet",
    "island",
    "islands",
    "isle",
    "junction",
    "junctions",
    "keys",
    "knoll",
    "knolls",
    "lakes",
    "lights",
    "locks",
    "lodge",
    "meadow",
    "meadows",
    "mission",
    "motorway",
    "mount",
    "mountain",
    "mountains",
    "neck",
    "orchard",
    "oval",
    "overpass",
    "parks",
    "parkways",
    "passage",
    "pines",
    "plain",
    "plains",
    "points",
    "ports",
    "prairie",
    "radial",
    "ramp",
    "ranch",
    "rapid",
    "rapids",
    "roads",
    "route",
    "shoal",
    "shoals",
    "shore",
    "shores",
    "skyway",
    "spur",
    "spurs",
    "squares",
    "stream",
    "streets",
    "throughway",
    "trace",
    "track",
    "trafficway",
    "tunnel",
    "turnpike",
    "underpass",
    "valleys",
    "viaduct",
    "views",
    "villages",
    "ville",
    "ways",
    "wells",
    // Spanish, French, Italian, Dutch and Polish street types.
    "alameda",
    "urbanizacion",
    "callejon",
    "pasadizo",
    "vial",
    "canada",
    "cuesta",
    "plazuela",
    "sendero",
    "bajada",
    "subida",
    "acceso",
    "poligono",
    "escalinata",
    "cours",
    "faubourg",
    "sentier",
    "voie",
    "contrada",
    "borgo",
    "strada",
    "rotonda",
    "piazzale",
    "salita",
    "lungomare",
    "traversa",
    "dijk",
    "hof",
    "markt",
    "rondo",
    "skwer",
];

/// German and Dutch street names are compounds: `Hauptstraße`, `Kerkstraat`, `Lindenweg`.
const STREET_SUFFIXES: &[&str] = &[
    "strasse", "str", "weg", "gasse", "allee", "platz", "damm", "ring", "straat", "laan", "plein",
    "gracht", "kade", "singel", "dreef", "steeg", // Nordic: Kirkevej, Sveavägen, Storgatan
    "vej", "gade", "vagen", "gatan", "gata", "veien", "vegen", "katu",
];

/// Values that read as a street and house number.
fn street_addresses(vals: &[&str], out: &mut Analysis) {
    let limit = vals.len().min(1000);
    let mut buf = String::new();
    let mut hits = 0usize;
    for s in &vals[..limit] {
        let mut street = false;
        let mut number = false;
        let mut words = 0;
        for w in s.split(|c: char| c.is_whitespace() || c == ',') {
            let w = w.trim_end_matches('.');
            if w.is_empty() {
                continue;
            }
            words += 1;
            // House numbers: `12`, `12a`, `7-9`; not `9X` or `400mg`.
            let b = w.as_bytes();
            let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
            if digits > 0
                && w.len() <= 6
                && (digits == b.len()
                    || (digits + 1 == b.len() && b[digits].is_ascii_lowercase())
                    || b[digits..].iter().all(|c| c.is_ascii_digit() || *c == b'-'))
            {
                number = true;
                continue;
            }
            fold_into(w, &mut buf);
            // `Olav Tryggvasons gate 151`, not `Gate code 4411`.
            let gate = buf == "gate" && words > 1;
            if gate
                || STREET_WORDS.contains(&buf.as_str())
                || (buf.len() > 6 && STREET_SUFFIXES.iter().any(|x| buf.ends_with(x)))
            {
                street = true;
            }
        }
        if street && number && (2..=12).contains(&words) {
            hits += 1;
        }
    }
    if hits == 0 {
        return;
    }
    let share = hits as f32 / limit as f32;
    out.hits.push(ValueHit {
        category: StreetAddress,
        confidence: if share >= 0.6 {
            share_confidence(share, 0.85)
        } else {
            share.min(0.45)
        },
        share,
        validators: vec!["street_and_number".into()],
        needs_cue: false,
        chance: false,
    });
}

const HONORIFICS: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "herr",
    "frau",
    "m",
    "mme",
    "mlle",
    "sr",
    "sra",
    "srta",
    "dhr",
    "mevr",
    "mw",
    "sig",
    "sigra",
    "pan",
    "pani",
    "prof",
    "patient",
    "patientin",
];

/// Addresses written against harvesters (`nova.astrom [at] live [dot] se`,
/// `m.jacobsson at hotmail dot com`): the value as a whole is one email.
fn obfuscated_emails(vals: &[&str], out: &mut Analysis) {
    let vals = &vals[..vals.len().min(1000)];
    let looks = |s: &&&str| {
        let l = s.to_ascii_lowercase();
        !l.contains('@') && (l.contains("at]") || l.contains("at)") || l.contains(" at "))
    };
    if vals.iter().take(PROBE).filter(looks).count() * 3 < vals.len().min(PROBE) {
        return;
    }
    let mut scanner = crate::text::Scanner::new();
    let hits = vals
        .iter()
        .filter(looks)
        .filter(|s| {
            scanner
                .scan(s)
                .iter()
                .any(|sp| sp.category == Email && (sp.end - sp.start) * 10 >= s.len() * 8)
        })
        .count();
    let share = hits as f32 / vals.len().max(1) as f32;
    if share >= 0.3 {
        out.hits.push(ValueHit {
            category: Email,
            confidence: share_confidence(share, 0.9),
            share,
            validators: vec!["obfuscated_email".into()],
            needs_cue: false,
            chance: false,
        });
    }
}

/// Values of running text (notes, tickets, messages): each category its values mention,
/// with the share of values that do. A category counts from about one value in thirty
/// (with two at least): a note column is personal when some notes name people, not only
/// when most do.
fn long_text(vals: &[&str], out: &mut Analysis) {
    let vals = &vals[..vals.len().min(1000)];
    let m = crate::text::mentions(vals);
    let n = m.values.max(1) as f32;
    for (cat, rows) in m.rows {
        let share = rows as f32 / n;
        if rows < 2 || share < 0.03 {
            continue;
        }
        // Formats with a check (or libphonenumber's verdict) are sure in a few values; names
        // and vocabulary terms need a few more.
        let validated = matches!(
            cat,
            Email | Phone | CreditCard | BankAccount | NationalId | IpAddress | DateOfBirth
        );
        let confidence = if validated && rows >= 3 {
            (0.86 + share * 0.2).min(0.95)
        } else if rows >= 3 && share >= 0.05 {
            (0.8 + share.min(0.5) * 0.2).min(0.92)
        } else {
            0.6
        };
        let what = if cat == Name { "person" } else { cat.id() };
        let mut validators = vec![format!("mentions:{what}")];
        if cat == Health && m.clinical as f32 >= 0.5 * n {
            validators.push("clinical_narrative".into());
        }
        out.hits.push(ValueHit {
            category: cat,
            confidence,
            share,
            validators,
            needs_cue: false,
            chance: false,
        });
    }
}

/// Free text: the share of values that mention a vocabulary term of each special category,
/// a person, or an email address.
///
/// `short`: the values are a few words each; only health and criminal mentions count (a
/// one-word label says too little about beliefs, and names are read as whole values).
fn free_text(vals: &[&str], out: &mut Analysis, short: bool) {
    let vocab = &*VOCAB;
    let limit = vals.len().min(1000);
    let mut counts = [0usize; 14];
    // Values naming two or more conditions or medicines: a clinical narrative.
    let mut clinical = 0usize;
    let (mut people, mut emails) = (0usize, 0usize);
    let mut buf = String::new();
    let mut prev = String::new();
    let mut pair = String::new();
    for s in &vals[..limit] {
        let mut mask = 0u32;
        let mut health_words = 0usize;
        let mut person = false;
        let mut prev_first_name = false;
        let mut prev_honorific = false;
        prev.clear();
        for word in s.split(|c: char| {
            !(c.is_alphanumeric() || c == '-' || c == '@' || c == '.' || c == '\'')
        }) {
            let word = word.trim_matches(|c| matches!(c, '.' | '-' | '\''));
            if word.is_empty() {
                continue;
            }
            if word.contains('@') {
                if v::email(word) {
                    person = true;
                    emails += 1;
                }
                continue;
            }
            fold_into(word, &mut buf);
            let upper = word.chars().all(|c| !c.is_lowercase());
            let capital = word.chars().next().is_some_and(char::is_uppercase);
            let mut k = if buf.chars().count() >= 4 || (buf.len() == 3 && upper) {
                vocab.get_word(&buf)
            } else {
                0
            };
            if !prev.is_empty() {
                pair.clear();
                pair.push_str(&prev);
                pair.push(' ');
                pair.push_str(&buf);
                k |= vocab.get_text(&pair);
            }
            // Names in text only count as people when written as names.
            let name_bits = Kind::FirstName.bit() | Kind::Surname.bit();
            if capital && (prev_first_name || prev_honorific) && !upper {
                person = true;
            }
            prev_first_name = capital && k & Kind::FirstName.bit() != 0;
            prev_honorific = capital && HONORIFICS.contains(&buf.as_str());
            mask |= k & !name_bits;
            if k & Kind::Health.bit() != 0 {
                health_words += 1;
            }
            std::mem::swap(&mut prev, &mut buf);
        }
        for (i, c) in counts.iter_mut().enumerate() {
            if mask & (1 << i) != 0 {
                *c += 1;
            }
        }
        people += person as usize;
        clinical += (health_words >= 2) as usize;
    }
    let n = limit as f32;
    let text_kinds = [
        (Kind::Health, Health),
        (Kind::Criminal, CriminalRecord),
        (Kind::Religion, Religion),
        (Kind::Political, PoliticalOpinion),
        (Kind::Sexual, SexualOrientation),
        (Kind::Union, TradeUnion),
    ];
    for (kind, cat) in text_kinds {
        let share = counts[kind.bit().trailing_zeros() as usize] as f32 / n;
        if share == 0.0 || (short && !matches!(cat, Health | CriminalRecord)) {
            continue;
        }
        let conf = if share >= 0.2 {
            (0.62 + share * 0.4).min(0.92)
        } else {
            share.min(0.45)
        };
        let mut validators = vec![format!("mentions:{}", cat.id())];
        if cat == Health && clinical as f32 >= 0.5 * n {
            validators.push("clinical_narrative".into());
        }
        out.hits.push(ValueHit {
            category: cat,
            confidence: conf,
            share,
            validators,
            needs_cue: false,
            chance: false,
        });
    }
    if short {
        // Titles built around an occupation (`Therapist, art`, `Operario en cemento armado`).
        let share = counts[Kind::Job.bit().trailing_zeros() as usize] as f32 / n;
        if share >= 0.5 {
            out.hits.push(ValueHit {
                category: Job,
                confidence: share_confidence(share, 0.8),
                share,
                validators: vec!["mentions:job".into()],
                needs_cue: false,
                chance: false,
            });
        }
        return;
    }
    let people_share = people as f32 / n;
    if people > 0 {
        out.hits.push(ValueHit {
            category: Name,
            confidence: if people_share >= 0.3 {
                (0.55 + people_share * 0.3).min(0.8)
            } else {
                people_share.min(0.45)
            },
            share: people_share,
            validators: vec!["mentions:person".into()],
            needs_cue: false,
            chance: false,
        });
    }
    let email_share = emails as f32 / n;
    if emails > 0 {
        out.hits.push(ValueHit {
            category: Email,
            confidence: if email_share >= 0.2 {
                (0.6 + email_share * 0.3).min(0.85)
            } else {
                email_share.min(0.45)
            },
            share: email_share,
            validators: vec!["mentions:email".into()],
            needs_cue: false,
            chance: false,
        });
    }
}
