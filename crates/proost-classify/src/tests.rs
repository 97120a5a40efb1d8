//! Behaviour of the whole classifier: columns in, findings out.

use super::*;
use crate::Category::*;

/// A small deterministic generator (xorshift), so the tests need no `rand`.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| (b'0' + self.below(10) as u8) as char)
            .collect()
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
}

fn luhn_complete(body: &str) -> String {
    validators::luhn_complete(body).expect("a body of digits")
}

fn iban_for(country: &str, bban: &str) -> String {
    validators::iban_with_check_digits(country, bban).expect("a country code and a BBAN")
}

fn classify(table: &str, name: &str, kind: ValueKind, values: &[String]) -> Vec<Finding> {
    let c = ColumnSample {
        name,
        kind,
        values,
        null_share: None,
    };
    Classifier::default().classify_column(table, &c)
}

fn text(table: &str, name: &str, values: &[String]) -> Vec<Finding> {
    classify(table, name, ValueKind::Text, values)
}

fn top(f: &[Finding]) -> Option<Category> {
    f.first().map(|f| f.category)
}

fn cycle(xs: &[&str], n: usize) -> Vec<String> {
    xs.iter().cycle().take(n).map(|s| s.to_string()).collect()
}

fn emails(n: usize) -> Vec<String> {
    let mut g = Gen(7);
    let first = [
        "anna", "jan", "pierre", "maria", "john", "giulia", "piotr", "lena",
    ];
    let domains = [
        "example.com",
        "mail.de",
        "exemple.fr",
        "correo.es",
        "voorbeeld.nl",
    ];
    (0..n)
        .map(|i| {
            format!(
                "{}.{}{}@{}",
                g.pick(&first),
                g.digits(2),
                i,
                g.pick(&domains)
            )
        })
        .collect()
}

fn ibans(n: usize) -> Vec<String> {
    let mut g = Gen(11);
    (0..n)
        .map(|i| match i % 4 {
            0 => iban_for("DE", &g.digits(18)),
            1 => iban_for("NL", &format!("ABNA{}", g.digits(10))),
            2 => iban_for("FR", &g.digits(23)),
            _ => iban_for("PL", &g.digits(24)),
        })
        .collect()
}

fn cards(n: usize) -> Vec<String> {
    let mut g = Gen(13);
    (0..n)
        .map(|i| match i % 3 {
            0 => luhn_complete(&format!("4{}", g.digits(14))),
            1 => luhn_complete(&format!("5{}{}", 1 + g.below(5), g.digits(13))),
            _ => luhn_complete(&format!("37{}", g.digits(12))),
        })
        .collect()
}

fn person_names(n: usize) -> Vec<String> {
    let mut g = Gen(17);
    let first = [
        "Anna", "Jan", "Pierre", "María", "John", "Giulia", "Piotr", "Lena", "Sophie", "Lukas",
        "Zoe", "Kai",
    ];
    let last = [
        "Müller",
        "Kowalski",
        "Dubois",
        "García",
        "Smith",
        "Rossi",
        "de Jong",
        "Nowak",
        "Okafor",
        "Lindqvist",
    ];
    (0..n)
        .map(|_| format!("{} {}", g.pick(&first), g.pick(&last)))
        .collect()
}

fn assert_none(f: &[Finding], what: &str) {
    assert!(f.is_empty(), "{what}: expected no finding, got {f:?}");
}

#[test]
fn category_ids_are_the_documented_ones() {
    assert_eq!(Category::ALL.len(), 36);
    for c in Category::ALL {
        assert_eq!(Category::from_id(c.id()), Some(*c));
    }
    assert_eq!(Health.id(), "special.health");
    assert_eq!(CriminalRecord.id(), "criminal_record");
    assert_eq!(Category::from_id("none"), None);
    assert!(CriminalRecord.is_special() && Health.is_special() && !Email.is_special());
    assert_eq!(Health.sensitivity(), Sensitivity::Special);
    assert!(Sensitivity::Low < Sensitivity::Medium && Sensitivity::High < Sensitivity::Special);
    assert_eq!(Religion.default_mask(), MaskKind::Redact);
    assert_eq!(Email.default_mask(), MaskKind::Partial);
    assert_eq!(CreditCard.default_mask(), MaskKind::Partial);
    assert_eq!(NationalId.default_mask(), MaskKind::Hash);
    assert_eq!(PassportNumber.default_mask(), MaskKind::Hash);
    assert_eq!(DateOfBirth.default_mask(), MaskKind::Generalize);
    assert_eq!(PostalCode.default_mask(), MaskKind::Generalize);
}

#[test]
fn findings_serialise_categories_as_ids() {
    let f = Finding {
        category: Health,
        confidence: 0.87,
        evidence: Evidence::default(),
    };
    let json = serde_json::to_string(&f).expect("serialises");
    assert!(json.contains("\"category\":\"special.health\""), "{json}");
    let back: Finding = serde_json::from_str(&json).expect("a finding deserialises");
    assert_eq!(back, f);
    assert!(serde_json::from_str::<Category>("\"none\"").is_err());
    // Through a JSON value (as the server stores it) the confidence keeps two decimals.
    let low = Finding {
        category: Health,
        confidence: 0.55,
        evidence: Evidence {
            matched_share: Some(0.55),
            ..Evidence::default()
        },
    };
    let value = serde_json::to_value(&low).expect("serialises");
    assert_eq!(value["confidence"], serde_json::json!(0.55), "{value}");
    assert_eq!(
        value["evidence"]["matched_share"],
        serde_json::json!(0.55),
        "{value}"
    );
    assert_eq!(
        serde_json::to_string(&Sensitivity::Special).expect("serialises"),
        "\"special\""
    );
    assert_eq!(
        serde_json::to_string(&MaskKind::Generalize).expect("serialises"),
        "\"generalize\""
    );
}

#[test]
fn evidence_holds_no_sampled_value() {
    let vals = emails(50);
    let f = text("customers", "email", &vals);
    let json = serde_json::to_string(&f).expect("serialises");
    for v in &vals {
        assert!(!json.contains(v.as_str()));
    }
    assert!(!json.contains("example.com"));
}

// Opaque column names: the values alone classify.

#[test]
fn opaque_column_of_emails() {
    let f = text("t", "c7", &emails(200));
    assert_eq!(top(&f), Some(Email));
    assert!(f[0].confidence >= 0.9, "{f:?}");
    assert_eq!(f[0].evidence.validators, ["email_syntax"]);
    assert_eq!(f[0].evidence.matched_share, Some(1.0));
    assert_eq!(f[0].evidence.sampled, 200);
    assert_eq!(f[0].evidence.name_cue, None);
}

#[test]
fn opaque_column_of_ibans() {
    let f = text("t", "c7", &ibans(200));
    assert_eq!(top(&f), Some(BankAccount));
    assert!(f[0].confidence >= 0.9);
    assert_eq!(f[0].evidence.validators, ["iban_mod97"]);
}

#[test]
fn opaque_column_of_card_numbers() {
    let f = text("t", "c7", &cards(300));
    assert_eq!(top(&f), Some(CreditCard), "{f:?}");
    assert!(f[0].confidence >= 0.9);
}

#[test]
fn opaque_column_of_phone_numbers() {
    let nums = [
        "+49 30 901820",
        "+44 20 7946 0958",
        "+33 1 42 68 53 00",
        "+34 912 345 678",
        "+31 20 624 1111",
        "+39 06 6982 0000",
        "+48 22 694 25 00",
        "+1 212 736 3100",
        "030 901820",
        "020 7946 0958",
        "01 42 68 53 00",
        "06 12345678",
    ];
    let f = text("t", "c7", &cycle(&nums, 120));
    assert_eq!(top(&f), Some(Phone), "{f:?}");
    assert!(f[0].confidence >= 0.8, "{f:?}");
    assert_eq!(f[0].evidence.validators, ["libphonenumber"]);
}

#[test]
fn opaque_column_of_person_names() {
    let f = text("t", "c7", &person_names(200));
    assert_eq!(top(&f), Some(Name), "{f:?}");
    assert!(f[0].confidence >= 0.7);
}

#[test]
fn opaque_column_of_diagnoses() {
    let dx = [
        "Type 2 diabetes",
        "Asthma",
        "Hypertension",
        "Migraine",
        "Depression",
        "Pneumonia",
    ];
    let f = text("t", "c7", &cycle(&dx, 60));
    assert_eq!(top(&f), Some(Health), "{f:?}");
    let notes = [
        "Patient reports worsening asthma, prescribed salbutamol",
        "Follow-up for hypertension; blood pressure stable on amlodipine",
        "Complains of headaches, history of migraine",
        "Routine check, no complaints today",
    ];
    let f = text("t", "c7", &cycle(&notes, 80));
    assert_eq!(top(&f), Some(Health), "{f:?}");
}

#[test]
fn opaque_columns_of_national_ids() {
    let mut g = Gen(23);
    // PESEL: compute the check digit.
    let pesels: Vec<String> = (0..100)
        .map(|_| {
            let body = format!(
                "{:02}{:02}{:02}{}",
                g.below(100),
                1 + g.below(12),
                1 + g.below(28),
                g.digits(4)
            );
            let w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
            let sum: u32 = body
                .bytes()
                .zip(w)
                .map(|(b, w)| (b - b'0') as u32 * w)
                .sum();
            format!("{body}{}", (10 - sum % 10) % 10)
        })
        .collect();
    let f = text("t", "x1", &pesels);
    assert_eq!(top(&f), Some(NationalId), "{f:?}");
    assert_eq!(f[0].evidence.validators, ["pl_pesel"]);

    let letters = b"TRWAGMYFPDXBNJZSQVHLCKE";
    let dnis: Vec<String> = (0..100)
        .map(|_| {
            let n = g.below(100_000_000);
            format!("{n:08}{}", letters[(n % 23) as usize] as char)
        })
        .collect();
    let f = text("t", "x2", &dnis);
    assert_eq!(top(&f), Some(NationalId), "{f:?}");

    let bsns: Vec<String> = (0..400)
        .filter_map(|_| {
            let s = g.digits(9);
            validators::nl_bsn(&s).then_some(s)
        })
        .collect();
    assert!(bsns.len() > 10);
    let f = text("t", "x3", &bsns);
    assert_eq!(top(&f), Some(NationalId), "{f:?}");
}

#[test]
fn opaque_columns_of_network_and_device_values() {
    let mut g = Gen(29);
    let ips: Vec<String> = (0..100)
        .map(|i| {
            if i % 5 == 0 {
                format!("2001:db8::{:x}", g.below(65535))
            } else {
                format!(
                    "{}.{}.{}.{}",
                    g.below(256),
                    g.below(256),
                    g.below(256),
                    g.below(256)
                )
            }
        })
        .collect();
    assert_eq!(top(&text("t", "c1", &ips)), Some(IpAddress));
    let macs: Vec<String> = (0..100)
        .map(|_| {
            (0..6)
                .map(|_| format!("{:02x}", g.below(256)))
                .collect::<Vec<_>>()
                .join(":")
        })
        .collect();
    assert_eq!(top(&text("t", "c2", &macs)), Some(MacAddress));
}

// Decoys: not personal.

#[test]
fn order_numbers_skus_and_uuid_keys_are_not_personal() {
    let mut g = Gen(31);
    let orders: Vec<String> = (0..200).map(|i| format!("ORD-2024-{:06}", i)).collect();
    assert_none(&text("orders", "order_id", &orders), "order ids");
    let skus: Vec<String> = (0..200)
        .map(|_| format!("SKU-{}-{}", g.digits(5), g.pick(&["BLK", "WHT", "RED"])))
        .collect();
    assert_none(&text("products", "sku", &skus), "skus");
    let uuids: Vec<String> = (0..200)
        .map(|_| {
            format!(
                "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
                g.below(1 << 32),
                g.below(1 << 16),
                g.below(1 << 12),
                g.below(1 << 12),
                g.below(1 << 48)
            )
        })
        .collect();
    assert_none(&text("orders", "id", &uuids), "uuid primary keys");
    assert_none(&text("orders", "c3", &uuids), "uuids without a name");
}

#[test]
fn prices_timestamps_and_status_enums_are_not_personal() {
    let mut g = Gen(37);
    let prices: Vec<String> = (0..200)
        .map(|_| format!("{}.{:02}", g.below(500), g.below(100)))
        .collect();
    assert_none(
        &classify("orders", "price", ValueKind::Decimal, &prices),
        "prices",
    );
    assert_none(
        &classify("orders", "total", ValueKind::Float, &prices),
        "totals",
    );
    let ts: Vec<String> = (0..200)
        .map(|_| {
            format!(
                "202{}-{:02}-{:02}T{:02}:{:02}:00Z",
                3 + g.below(3),
                1 + g.below(12),
                1 + g.below(28),
                g.below(24),
                g.below(60)
            )
        })
        .collect();
    assert_none(
        &classify("orders", "created_at", ValueKind::Timestamp, &ts),
        "event timestamps",
    );
    assert_none(
        &classify("events", "c9", ValueKind::Text, &ts),
        "opaque timestamps",
    );
    let status = cycle(
        &["pending", "shipped", "delivered", "cancelled", "returned"],
        200,
    );
    assert_none(&text("orders", "status", &status), "status enum");
    let countries = cycle(&["DE", "FR", "NL", "PL", "ES", "IT", "GB", "US"], 200);
    assert_none(
        &text("shipments", "country_code", &countries),
        "shipment country codes",
    );
    let qty: Vec<String> = (0..200).map(|_| g.below(50).to_string()).collect();
    assert_none(
        &classify("orders", "quantity", ValueKind::Integer, &qty),
        "quantities",
    );
}

#[test]
fn luhn_by_chance_tracking_numbers_are_not_cards() {
    let mut g = Gen(41);
    // Random 16-digit strings: ~10% pass Luhn by chance.
    let random: Vec<String> = (0..500).map(|_| g.digits(16)).collect();
    assert_none(
        &text("shipments", "tracking_number", &random),
        "random tracking numbers",
    );
    assert_none(&text("t", "c4", &random), "random digit strings");
    // Numbers built to pass Luhn (parcel and voucher numbers) with any leading digits and
    // lengths: most fit no card network, so they stay what the name says.
    let luhny: Vec<String> = (0..200)
        .map(|i| luhn_complete(&g.digits(11 + i % 8)))
        .collect();
    let f = text("shipments", "tracking_number", &luhny);
    assert!(!f.iter().any(|f| f.category == CreditCard), "{f:?}");
    let f = text("orders", "order_id", &luhny);
    assert!(!f.iter().any(|f| f.category == CreditCard), "{f:?}");
    // Every value a Luhn-valid number of a card network's prefix and length: card numbers,
    // whatever the column is called (a card number missed is worse than a false alarm).
    let cards: Vec<String> = (0..200)
        .map(|_| luhn_complete(&format!("4{}", g.digits(14))))
        .collect();
    let f = text("orders", "internal_ref", &cards);
    assert_eq!(top(&f), Some(CreditCard), "{f:?}");
}

#[test]
fn hex_hashes_are_not_personal_unless_named_secret() {
    let mut g = Gen(43);
    let hashes: Vec<String> = (0..200)
        .map(|_| (0..4).map(|_| format!("{:016x}", g.next())).collect())
        .collect();
    assert_none(&text("files", "checksum", &hashes), "checksums");
    assert_none(&text("files", "c5", &hashes), "opaque hashes");
    let f = text("users", "password_hash", &hashes);
    assert_eq!(top(&f), Some(Credentials), "{f:?}");
    let f = text("users", "api_token", &hashes);
    assert_eq!(top(&f), Some(Credentials), "{f:?}");
    let bcrypt = cycle(
        &["$2b$12$KIXQJh5Tz0cEYhXaJ6bY1eK0pV5z0x8yYl9y5f3c0B3m2Zq9W8a6G"],
        20,
    );
    assert_eq!(top(&text("t", "c6", &bcrypt)), Some(Credentials));
}

#[test]
fn product_and_company_names_are_not_people() {
    let products = cycle(
        &[
            "Wireless Mouse",
            "Garden Chair",
            "Espresso Machine Pro",
            "USB-C Cable 2m",
            "Oak Dining Table",
        ],
        200,
    );
    assert_none(&text("products", "name", &products), "products.name");
    assert_none(&text("orders", "product_name", &products), "product_name");
    assert_none(&text("t", "c8", &products), "opaque product names");
    let companies = cycle(
        &[
            "Acme GmbH",
            "Müller & Söhne KG",
            "Globex Inc.",
            "Initech Ltd",
            "Rossi S.p.A.",
        ],
        200,
    );
    assert_none(
        &text("suppliers", "company_name", &companies),
        "company_name",
    );
    // A product named after nobody, even under a person-ish table name, is not a name.
    assert_none(
        &text("products", "name", &[]),
        "products.name without values",
    );
}

#[test]
fn delivery_notes_without_people_stay_unflagged() {
    let notes = [
        "Leave the parcel at the back door please",
        "Ring the bell twice, the intercom is broken",
        "Fragile - handle with care, glass inside",
        "Deliver between 9 and 12 on weekdays only",
        "Bitte beim Nachbarn im zweiten Stock abgeben",
        "Laisser le colis devant la porte du garage",
    ];
    assert_none(
        &text("orders", "delivery_notes", &cycle(&notes, 120)),
        "delivery notes",
    );
}

// Misleading names: values outvote them.

#[test]
fn phone_column_holding_skus_is_not_phone() {
    let mut g = Gen(47);
    let skus: Vec<String> = (0..100).map(|_| format!("SKU-{}", g.digits(6))).collect();
    assert_none(&text("t", "phone", &skus), "phone of SKUs");
}

#[test]
fn email_column_holding_order_numbers_is_not_email() {
    let orders: Vec<String> = (0..100).map(|i| format!("ORD-{:08}", i * 7919)).collect();
    assert_none(&text("t", "email", &orders), "email of order numbers");
}

#[test]
fn name_cue_confirmed_by_values_is_very_confident() {
    let f = text("customers", "email", &emails(100));
    assert_eq!(top(&f), Some(Email));
    assert!(f[0].confidence >= 0.95);
    assert_eq!(f[0].evidence.name_cue.as_deref(), Some("name:email (en)"));
}

// Names only: empty tables.

#[test]
fn empty_columns_classify_from_their_names() {
    let none: Vec<String> = vec![];
    let f = text("customers", "email", &none);
    assert_eq!(top(&f), Some(Email));
    assert!((0.6..=0.8).contains(&f[0].confidence), "{f:?}");
    assert_eq!(top(&text("customers", "name", &none)), Some(Name));
    assert_eq!(
        top(&text("kunden", "Geburtsdatum", &none)),
        Some(DateOfBirth)
    );
    assert_eq!(top(&text("clients", "courriel", &none)), Some(Email));
    assert_eq!(top(&text("clientes", "telefono", &none)), Some(Phone));
    assert_eq!(top(&text("klanten", "bsn", &none)), Some(NationalId));
    assert_eq!(
        top(&text("clienti", "codice_fiscale", &none)),
        Some(NationalId)
    );
    assert_eq!(top(&text("klienci", "pesel", &none)), Some(NationalId));
    assert_none(&text("products", "name", &none), "products.name");
    assert_none(&text("orders", "status", &none), "status");
}

#[test]
fn bool_flags_only_speak_for_special_categories() {
    let vals = cycle(&["true", "false"], 20);
    assert_none(
        &classify("users", "email_verified", ValueKind::Bool, &vals),
        "email_verified",
    );
    let f = classify("patients", "has_diabetes_diagnosis", ValueKind::Bool, &vals);
    assert_eq!(top(&f), Some(Health), "{f:?}");
}

// Free text in several languages.

#[test]
fn free_text_mentioning_diagnoses_in_german_french_polish() {
    let de = [
        "Patient klagt über Kopfschmerzen, Verdacht auf Migräne",
        "Bekannter Diabetes mellitus Typ 2, Metformin weiter",
        "Kontrolle nach Lungenentzündung, Befund unauffällig",
        "Termin verschoben auf Wunsch",
    ];
    let f = text("t", "bemerkung", &cycle(&de, 80));
    assert_eq!(top(&f), Some(Health), "de: {f:?}");
    assert!(
        f[0].evidence
            .matched_share
            .expect("a value finding has a matched share")
            >= 0.5
    );

    let fr = [
        "Suivi du diabète, traitement inchangé",
        "Crise d'asthme la nuit dernière",
        "Consultation pour une grippe avec fièvre",
        "Rendez-vous annulé par téléphone",
    ];
    let f = text("t", "commentaire", &cycle(&fr, 80));
    assert_eq!(top(&f), Some(Health), "fr: {f:?}");

    let pl = [
        "Pacjent z cukrzycą typu 2, kontrola za miesiąc",
        "Nadciśnienie tętnicze, leki bez zmian",
        "Podejrzenie zapalenie płuc, skierowanie na RTG",
        "Wizyta kontrolna bez uwag",
    ];
    let f = text("t", "uwagi", &cycle(&pl, 80));
    assert_eq!(top(&f), Some(Health), "pl: {f:?}");
}

#[test]
fn notes_in_a_patients_table_are_health_data() {
    let none: Vec<String> = vec![];
    let f = text("patients", "notes", &none);
    assert_eq!(top(&f), Some(Health), "{f:?}");
    assert!(
        f[0].evidence
            .table_context
            .as_deref()
            .expect("the finding names its table context")
            .contains("health")
    );
    let f = text("Patienten", "Bemerkung", &none);
    assert_eq!(top(&f), Some(Health));
    let f = text("pacjenci", "uwagi", &none);
    assert_eq!(top(&f), Some(Health));
    assert_none(&text("orders", "notes", &none), "orders.notes");
}

// Demographics and dates.

#[test]
fn birth_dates_differ_from_event_dates() {
    let mut g = Gen(53);
    let dobs: Vec<String> = (0..300)
        .map(|_| {
            format!(
                "{}-{:02}-{:02}",
                1940 + g.below(65),
                1 + g.below(12),
                1 + g.below(28)
            )
        })
        .collect();
    let f = classify("t", "c10", ValueKind::Date, &dobs);
    assert_eq!(top(&f), Some(DateOfBirth), "{f:?}");
    let f = classify("customers", "dob", ValueKind::Date, &dobs);
    assert_eq!(top(&f), Some(DateOfBirth));
    assert!(f[0].confidence >= 0.9);
    let events: Vec<String> = (0..300)
        .map(|_| {
            format!(
                "202{}-{:02}-{:02}",
                3 + g.below(3),
                1 + g.below(12),
                1 + g.below(28)
            )
        })
        .collect();
    assert_none(
        &classify("orders", "order_date", ValueKind::Date, &events),
        "order dates",
    );
    assert_none(
        &classify("t", "dob", ValueKind::Date, &events),
        "dob of recent event dates",
    );
}

#[test]
fn gender_marital_religion_and_other_vocabularies() {
    let g = cycle(&["männlich", "weiblich", "divers"], 100);
    assert_eq!(top(&text("t", "c11", &g)), Some(Gender));
    let g = cycle(&["M", "F"], 100);
    assert_eq!(top(&text("t", "sex", &g)), Some(Gender));
    let sizes = cycle(&["S", "M", "L", "XL"], 100);
    assert_none(&text("products", "size", &sizes), "sizes");
    let m = cycle(&["ledig", "verheiratet", "geschieden", "verwitwet"], 100);
    assert_eq!(top(&text("t", "c12", &m)), Some(MaritalStatus));
    let r = cycle(
        &["katholisch", "evangelisch", "muslimisch", "konfessionslos"],
        100,
    );
    assert_eq!(top(&text("t", "c13", &r)), Some(Religion));
    let p = cycle(&["CDU", "SPD", "Grüne", "FDP", "Die Linke"], 100);
    assert_eq!(top(&text("t", "c14", &p)), Some(PoliticalOpinion));
    let langs = cycle(&["German", "French", "Spanish", "Dutch"], 100);
    assert_none(&text("products", "language", &langs), "languages");
    let cities = cycle(
        &[
            "Berlin",
            "München",
            "Paris",
            "Kraków",
            "Madrid",
            "Rotterdam",
        ],
        100,
    );
    assert_eq!(top(&text("t", "c15", &cities)), Some(City));
}

#[test]
fn numbers_under_personal_names() {
    let mut g = Gen(59);
    let ages: Vec<String> = (0..100).map(|_| (18 + g.below(70)).to_string()).collect();
    let f = classify("customers", "age", ValueKind::Integer, &ages);
    assert_eq!(top(&f), Some(Age));
    assert!(f[0].confidence >= 0.9);
    let plz: Vec<String> = (0..100)
        .map(|_| format!("{:05}", 1000 + g.below(98000)))
        .collect();
    assert_eq!(top(&text("kunden", "plz", &plz)), Some(PostalCode));
    assert_none(&text("t", "c16", &plz), "5-digit numbers without a name");
    let lat: Vec<String> = (0..100)
        .map(|_| format!("{:.5}", 35.0 + g.below(20_000) as f64 / 1000.0))
        .collect();
    assert_eq!(
        top(&classify("stores_visits", "lat", ValueKind::Float, &lat)),
        Some(GeoLocation)
    );
    let uk: Vec<String> = cycle(
        &[
            "SW1A 1AA", "M1 1AE", "EC1A 1BB", "B33 8TH", "CR2 6XH", "DN55 1PT",
        ],
        60,
    );
    assert_eq!(top(&text("t", "c17", &uk)), Some(PostalCode));
    let nl = cycle(&["1012 AB", "3011 CD", "2511 EF", "5611 GH"], 60);
    assert_eq!(top(&text("t", "c18", &nl)), Some(PostalCode));
}

#[test]
fn specials_from_values() {
    let mut g = Gen(61);
    let dna: Vec<String> = (0..50)
        .map(|_| {
            (0..40)
                .map(|_| ['A', 'C', 'G', 'T'][g.below(4) as usize])
                .collect()
        })
        .collect();
    assert_eq!(top(&text("t", "c19", &dna)), Some(Genetic));
    let gt = cycle(&["AG", "CT", "AA", "GG", "TT", "CC"], 60);
    assert_eq!(top(&text("t", "genotype", &gt)), Some(Genetic));
    let emb: Vec<String> = (0..30)
        .map(|_| {
            format!(
                "[{}]",
                (0..128)
                    .map(|_| format!("{:.4}", g.below(2000) as f32 / 1000.0 - 1.0))
                    .collect::<Vec<_>>()
                    .join(",")
            )
        })
        .collect();
    let f = classify("users", "face_embedding", ValueKind::Json, &emb);
    assert_eq!(top(&f), Some(Biometric), "{f:?}");
    assert!(f[0].confidence >= 0.85);
    let icd = cycle(&["E11.9", "J45.909", "I10", "F32.A", "M54.5", "K21.9"], 60);
    assert_eq!(top(&text("t", "c20", &icd)), Some(Health));
    let crimes = cycle(&["Diebstahl", "Betrug", "Körperverletzung", "Raub"], 60);
    assert_eq!(top(&text("t", "c21", &crimes)), Some(CriminalRecord));
}

#[test]
fn vins_and_plates() {
    let vins = cycle(
        &[
            "1M8GDM9AXKP042788",
            "1HGCM82633A004352",
            "JH4KA7561PC008269",
        ],
        60,
    );
    let f = text("t", "c22", &vins);
    assert_eq!(top(&f), Some(VehicleId), "{f:?}");
    let plates = cycle(
        &["B-MW 1234", "AB-123-CD", "M-XY 99", "WA 12345", "12-ABC-3"],
        60,
    );
    assert_eq!(top(&text("cars", "kennzeichen", &plates)), Some(VehicleId));
}

#[test]
fn table_classification_keeps_column_order() {
    let e = emails(50);
    let p = cycle(&["19.99", "5.00", "120.50"], 50);
    let n = person_names(50);
    let t = TableSample {
        schema: "public",
        table: "customers",
        columns: vec![
            ColumnSample {
                name: "email",
                kind: ValueKind::Text,
                values: &e,
                null_share: Some(0.0),
            },
            ColumnSample {
                name: "balance",
                kind: ValueKind::Decimal,
                values: &p,
                null_share: None,
            },
            ColumnSample {
                name: "name",
                kind: ValueKind::Text,
                values: &n,
                null_share: None,
            },
        ],
    };
    let out = Classifier::default().classify_table(&t);
    assert_eq!(out.len(), 3);
    assert_eq!(top(&out[0]), Some(Email));
    assert!(out[1].is_empty(), "{:?}", out[1]);
    assert_eq!(top(&out[2]), Some(Name));
    for col in &out {
        assert!(col.windows(2).all(|w| w[0].confidence >= w[1].confidence));
        for f in col {
            assert_eq!(f.confidence, (f.confidence * 100.0).round() / 100.0);
        }
    }
}

#[test]
fn min_confidence_drops_weak_findings() {
    let none: Vec<String> = vec![];
    let c = ColumnSample {
        name: "email",
        kind: ValueKind::Text,
        values: &none,
        null_share: None,
    };
    let strict = Classifier::new(Options {
        min_confidence: 0.9,
    });
    assert!(strict.classify_column("customers", &c).is_empty());
}

#[test]
fn street_addresses_from_values_in_several_locales() {
    let streets = [
        "Hauptstraße 12",
        "Kerkstraat 5",
        "12 Main Street",
        "221B Baker Street",
        "ul. Długa 3",
        "Via Roma 10",
        "Calle Mayor 5",
        "15 rue de la Paix",
    ];
    let f = text("t", "c1", &cycle(&streets, 80));
    assert_eq!(top(&f), Some(StreetAddress), "{f:?}");
    let full = [
        "Hauptstraße 12, 10115 Berlin",
        "Kerkstraat 5, 1017 GC Amsterdam",
    ];
    let f = text("t", "address", &cycle(&full, 80));
    assert_eq!(top(&f), Some(StreetAddress));
    assert!(f[0].confidence >= 0.9, "{f:?}");
}

#[test]
fn person_tables_keep_name_columns_with_unlisted_names() {
    // Names no vocabulary lists still are names in a customers table.
    let rare = cycle(&["Zoe Okafor", "Kai Lindqvist", "Nia Haddad"], 80);
    assert_eq!(top(&text("customers", "name", &rare)), Some(Name));
    // Lower-case names count when enough are known.
    let lower = cycle(
        &["anna müller", "jan kowalski", "john smith", "maria garcia"],
        80,
    );
    assert_eq!(top(&text("t", "c3", &lower)), Some(Name));
}

#[test]
fn non_personal_identifier_names_veto_lookalike_formats() {
    let versions = cycle(&["1.2.3.4", "10.0.1.2", "2.1.0.7"], 80);
    assert_none(
        &text("software", "version", &versions),
        "four-part versions",
    );
    assert_eq!(
        top(&text("t", "c2", &versions)),
        Some(IpAddress),
        "unnamed, they do read as IPs"
    );
}

#[test]
fn product_descriptions_mentioning_medicines_are_not_health_data() {
    let desc = [
        "Ibuprofen 400mg tablets for pain relief and fever",
        "Gluten free bread, allergy advice: contains nuts",
        "Herbal tea with chamomile, helps against insomnia",
    ];
    assert_none(
        &text("products", "description", &cycle(&desc, 80)),
        "product descriptions",
    );
    let reviews = [
        "Great product, fast shipping",
        "Arrived broken, asked for refund",
        "Would buy again",
    ];
    assert_none(
        &text("reviews", "comment", &cycle(&reviews, 80)),
        "reviews mentioning no one",
    );
}

#[test]
fn notes_naming_people_are_flagged_as_names() {
    let notes = [
        "Called Mr. Smith about the invoice",
        "Frau Müller asked for a callback",
        "Spoke with Anna Kowalski today",
    ];
    let f = text("tickets", "note", &cycle(&notes, 80));
    assert_eq!(top(&f), Some(Name), "{f:?}");
    assert_eq!(f[0].evidence.validators, ["mentions:person"]);
}

#[test]
fn more_identifiers_from_values_alone() {
    let mut g = Gen(67);
    let imeis: Vec<String> = (0..100)
        .map(|_| luhn_complete(&format!("35{}", g.digits(12))))
        .collect();
    let f = text("t", "c5", &imeis);
    assert_eq!(top(&f), Some(DeviceId), "{f:?}");
    assert_eq!(f[0].evidence.validators, ["imei_luhn"]);
    let nino = cycle(&["AB123456C", "CE654321A", "JG103759D"], 80);
    assert_eq!(top(&text("t", "c6", &nino)), Some(NationalId));
    let ssn = cycle(&["123-45-6789", "234-56-7890", "345-67-8901"], 80);
    assert_eq!(top(&text("t", "c7", &ssn)), Some(NationalId));
    let cf = cycle(&["RSSMRA85T10A562S"], 80);
    assert_eq!(top(&text("t", "c8", &cf)), Some(NationalId));
    let ll = cycle(
        &["52.5200,13.4050", "48.8566,2.3522", "40.4168,-3.7038"],
        80,
    );
    assert_eq!(top(&text("t", "c4", &ll)), Some(GeoLocation));
    let profiles = cycle(
        &[
            "https://www.linkedin.com/in/jdoe",
            "https://github.com/annam",
        ],
        80,
    );
    assert_eq!(top(&text("t", "c9", &profiles)), Some(UrlPersonal));
    let shop = cycle(
        &["https://shop.example.com/p/1", "https://example.org/about"],
        80,
    );
    assert_none(&text("t", "c10", &shop), "shop links");
    let colours = cycle(&["red", "green", "blue", "white", "black"], 80);
    assert_none(&text("t", "c11", &colours), "colours");
}

#[test]
fn us_and_national_phone_formats() {
    let us = cycle(&["(415) 438-2000", "+1 650 253 0000", "(212) 736-3100"], 80);
    assert_eq!(top(&text("t", "phone", &us)), Some(Phone));
    assert_eq!(top(&text("t", "c2", &us)), Some(Phone));
    let bare = cycle(&["0612345678", "0201234567", "030901820"], 80);
    let f = text("t", "tel", &bare);
    assert_eq!(top(&f), Some(Phone));
    assert!(f[0].confidence >= 0.9, "{f:?}");
}

#[test]
fn device_ids_and_geohashes_need_their_names() {
    let mut g = Gen(71);
    let uuids: Vec<String> = (0..100)
        .map(|_| {
            format!(
                "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
                g.below(1 << 32),
                g.below(1 << 16),
                g.below(1 << 12),
                g.below(1 << 12),
                g.below(1 << 48)
            )
        })
        .collect();
    assert_eq!(top(&text("sessions", "device_id", &uuids)), Some(DeviceId));
    assert_eq!(top(&text("users", "idfa", &uuids)), Some(DeviceId));
    let hashes = cycle(&["u33dc0", "gcpvj0", "u0nd9h", "sp3e9b"], 40);
    assert_eq!(top(&text("visits", "geohash", &hashes)), Some(GeoLocation));
    assert_none(&text("visits", "c1", &hashes), "geohashes without a name");
}

#[test]
fn garbage_never_panics() {
    let mut g = Gen(73);
    let alphabet: Vec<char> = "0123456789+-() ./#x:@ABCDEFabcdefäß€\u{0}\t\n,;[]{}\"'$"
        .chars()
        .collect();
    for round in 0..40 {
        let vals: Vec<String> = (0..200)
            .map(|_| {
                let len = g.below(40) as usize;
                (0..len)
                    .map(|_| alphabet[g.below(alphabet.len() as u64) as usize])
                    .collect()
            })
            .collect();
        for name in [
            "phone", "c1", "email", "dob", "notes", "iban", "lat", "age", "zip",
        ] {
            let _ = text(if round % 2 == 0 { "patients" } else { "t" }, name, &vals);
        }
    }
}

#[test]
fn name_cue_evidence_names_the_cue_and_its_language() {
    let none: Vec<String> = vec![];
    let cue = |table: &str, col: &str| {
        text(table, col, &none)[0]
            .evidence
            .name_cue
            .clone()
            .expect("the finding names its cue")
    };
    assert_eq!(cue("kunden", "Geburtsdatum"), "name:geburtsdatum (de)");
    assert_eq!(cue("clients", "courriel"), "name:courriel (fr)");
    assert_eq!(cue("clientes", "apellidos"), "name:apellidos (es)");
    assert_eq!(cue("klanten", "woonplaats"), "name:woonplaats (nl)");
    assert_eq!(cue("clienti", "codice_fiscale"), "name:codicefiscale (it)");
    assert_eq!(cue("klienci", "nazwisko"), "name:nazwisko (pl)");
    assert_eq!(cue("customers", "zip"), "name:zip (en)");
}

#[test]
fn city_names_that_are_also_first_names_stay_cities() {
    let cities = cycle(&["Charlotte", "Florence", "Berlin", "Paris", "Madrid"], 100);
    let f = text("t", "c1", &cities);
    assert_eq!(top(&f), Some(City), "{f:?}");
    assert!(!f.iter().any(|f| f.category == Name), "{f:?}");
}

#[test]
fn a_plain_name_column_of_products_is_not_a_person() {
    let products = cycle(
        &[
            "Wireless Mouse",
            "Garden Chair",
            "Espresso Machine",
            "Oak Table",
        ],
        100,
    );
    assert_none(&text("t", "name", &products), "t.name of products");
}

#[test]
fn patient_notes_naming_conditions_are_surer_than_silent_ones() {
    let medical = cycle(
        &[
            "Asthma worse at night, salbutamol prescribed",
            "Follow-up for diabetes next month",
        ],
        60,
    );
    let silent = cycle(
        &[
            "Prefers morning appointments",
            "Parking validated at reception",
        ],
        60,
    );
    let m = text("patients", "notes", &medical);
    let s = text("patients", "notes", &silent);
    assert_eq!(top(&m), Some(Health));
    assert_eq!(top(&s), Some(Health));
    assert!(m[0].confidence >= 0.85, "{m:?}");
    assert!(s[0].confidence < 0.6, "{s:?}");
    assert_eq!(
        s[0].evidence.table_context.as_deref(),
        Some("table:patients (health)")
    );
}

#[test]
fn json_payloads_are_classified_by_their_keys_and_values() {
    let docs: Vec<String> = emails(60)
        .iter()
        .enumerate()
        .map(|(i, e)| {
            format!(r#"{{"event": "signup", "user": {{"mail": "{e}", "plan": "pro"}}, "n": {i}}}"#)
        })
        .collect();
    let f = classify("events", "payload", ValueKind::Json, &docs);
    assert_eq!(top(&f), Some(Email), "{f:?}");
    assert!(
        f[0].evidence
            .name_cue
            .as_deref()
            .expect("the finding names its JSON key cue")
            .starts_with("json_key:mail")
    );
    // Keys of things only: nothing personal.
    let docs = cycle(
        &[
            r#"{"sku": "A-1", "qty": 2, "price": 9.99}"#,
            r#"{"sku": "B-7", "qty": 1, "price": 19.5}"#,
        ],
        60,
    );
    assert_none(
        &classify("orders", "payload", ValueKind::Json, &docs),
        "order payloads",
    );
}

fn conf_of(f: &[Finding], c: Category) -> f32 {
    f.iter()
        .find(|x| x.category == c)
        .map_or(0.0, |x| x.confidence)
}

#[test]
fn genetic_notation_is_found_under_any_name() {
    let mut g = Gen(7);
    let rs = [
        "rs4680",
        "rs1801133",
        "rs334",
        "rs6025",
        "rs429358",
        "rs7412",
    ];
    let gt = ["AG", "CT", "TT", "GG", "CA"];
    let lists: Vec<String> = (0..60)
        .map(|_| {
            (0..1 + g.below(3))
                .map(|_| format!("{}:{}", g.pick(&rs), g.pick(&gt)))
                .collect::<Vec<_>>()
                .join("; ")
        })
        .collect();
    assert!(
        conf_of(
            &classify("contacts", "remarks", ValueKind::Text, &lists),
            Genetic
        ) >= 0.8
    );
    assert!(conf_of(&classify("t", "c1", ValueKind::Text, &lists), Genetic) >= 0.8);
    let results: Vec<String> = [
        "BRCA1 c.68_69delAG pathogenic",
        "CFTR F508del heterozygous",
        "MTHFR C677T CT",
        "HLA-B*57:01 negative",
        "APOE ε3/ε4",
        "Factor V Leiden (rs6025) G/A",
    ]
    .iter()
    .cycle()
    .take(40)
    .map(|s| s.to_string())
    .collect();
    assert!(conf_of(&classify("t", "result", ValueKind::Text, &results), Genetic) >= 0.8);
    // A DNA sequence under a batch-code name is still DNA.
    let seqs: Vec<String> = (0..30)
        .map(|_| {
            (0..120)
                .map(|_| ['A', 'C', 'G', 'T'][g.below(4) as usize])
                .collect()
        })
        .collect();
    assert!(
        conf_of(
            &classify("orders", "batch_code", ValueKind::Text, &seqs),
            Genetic
        ) >= 0.8
    );
    // Part numbers and versions are not genetic.
    let parts: Vec<String> = (0..40).map(|i| format!("RS-{i:04} v{}", i % 5)).collect();
    assert_eq!(
        conf_of(&classify("t", "c1", ValueKind::Text, &parts), Genetic),
        0.0
    );
}

#[test]
fn biometric_templates_are_found_under_a_checksum_name() {
    let mut g = Gen(11);
    let hex: Vec<String> = (0..30)
        .map(|_| (0..256).map(|_| format!("{:x}", g.below(16))).collect())
        .collect();
    assert!(
        conf_of(
            &classify("payments", "checksum", ValueKind::Text, &hex),
            Biometric
        ) >= 0.8
    );
    // SHA-256 digests are checksums.
    let sha: Vec<String> = (0..30)
        .map(|_| (0..64).map(|_| format!("{:x}", g.below(16))).collect())
        .collect();
    assert_eq!(
        conf_of(
            &classify("payments", "checksum", ValueKind::Text, &sha),
            Biometric
        ),
        0.0
    );
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let fmr: Vec<String> = (0..30)
        .map(|_| {
            let body: String = (0..200)
                .map(|_| alphabet[g.below(64) as usize] as char)
                .collect();
            format!("Rk1SACAyMA{body}")
        })
        .collect();
    assert!(conf_of(&classify("t", "fp_tmpl", ValueKind::Text, &fmr), Biometric) >= 0.8);
}

#[test]
fn short_notes_that_mention_conditions_are_health() {
    let notes: Vec<String> = [
        "Type 2 diabetes, on metformin",
        "Major depressive disorder",
        "Asthma; salbutamol as needed",
        "Hypertension, lisinopril 10 mg",
        "no complaints",
        "Migräne, Ibuprofen bei Bedarf",
        "astma, inhalator",
    ]
    .iter()
    .cycle()
    .take(70)
    .map(|s| s.to_string())
    .collect();
    let f = classify("kunden", "notizen", ValueKind::Text, &notes);
    assert!(conf_of(&f, Health) >= 0.8, "{f:?}");
    // In a patients table they are surely medical.
    let f = classify("patients", "notes", ValueKind::Text, &notes);
    assert!(conf_of(&f, Health) >= 0.8, "{f:?}");
    // Notes about patients that name nothing medical stay lower.
    let plain: Vec<String> = ["called back", "prefers mornings", "new address on file"]
        .iter()
        .cycle()
        .take(60)
        .map(|s| s.to_string())
        .collect();
    let c = conf_of(
        &classify("patients", "notes", ValueKind::Text, &plain),
        Health,
    );
    assert!((0.5..0.8).contains(&c), "{c}");
    // Short labels that mention nothing medical are not health.
    let tags: Vec<String> = ["Office supplies", "Pet food", "Garden tools", "Kitchen"]
        .iter()
        .cycle()
        .take(40)
        .map(|s| s.to_string())
        .collect();
    assert_eq!(
        conf_of(&classify("leads", "notes", ValueKind::Text, &tags), Health),
        0.0
    );
}

#[test]
fn decoys_under_personal_names_are_contradicted_by_their_values() {
    let many = |xs: &[&str], n: usize| -> Vec<String> {
        xs.iter().cycle().take(n).map(|s| s.to_string()).collect()
    };
    let products = many(
        &[
            "Eco Router 3 Lite",
            "Smart Blender 9X",
            "Turbo Headphones 90",
        ],
        60,
    );
    let f = classify("customers", "username", ValueKind::Text, &products);
    assert_eq!(conf_of(&f, Username), 0.0, "{f:?}");
    let shop: Vec<String> = (0..60)
        .map(|i| format!("https://shop.example.com/en/p/{i}-yoga-mat"))
        .collect();
    assert_eq!(
        conf_of(
            &classify("catalogue", "profile_url", ValueKind::Text, &shop),
            UrlPersonal
        ),
        0.0
    );
    let handling = many(
        &[
            "Fragile - handle with care",
            "Do not stack",
            "Deliver on pallet",
        ],
        60,
    );
    let f = classify("shipments", "address", ValueKind::Text, &handling);
    assert_eq!(conf_of(&f, StreetAddress), 0.0, "{f:?}");
    let invoices: Vec<String> = (0..60)
        .map(|i| format!("INV-2025/{:05}", 9000 + i * 7))
        .collect();
    assert_eq!(
        conf_of(
            &classify("articles", "iban", ValueKind::Text, &invoices),
            BankAccount
        ),
        0.0
    );
    let cats = many(
        &["Sport", "Kitchen", "Garden", "Office supplies", "Toys"],
        100,
    );
    assert_eq!(
        conf_of(&classify("leads", "city", ValueKind::Text, &cats), City),
        0.0
    );
    // Real values under the same names still count.
    let logins = many(&["anna_k", "jdoe84", "pieter.devries", "@marta"], 60);
    assert!(
        conf_of(
            &classify("accounts", "username", ValueKind::Text, &logins),
            Username
        ) >= 0.5
    );
}

#[test]
fn beliefs_and_origins_in_seven_languages_are_read_from_values() {
    let many = |xs: &[&str]| -> Vec<String> {
        xs.iter().cycle().take(90).map(|s| s.to_string()).collect()
    };
    let cases: &[(&[&str], Category)] = &[
        (
            &[
                "römisch-katholisch",
                "evangelisch",
                "konfessionslos",
                "muslimisch",
                "neuapostolisch",
                "freikirchlich",
            ],
            Religion,
        ),
        (
            &[
                "protestanckie",
                "rzymskokatolickie",
                "prawosławne",
                "ateista",
            ],
            Religion,
        ),
        (
            &["centrosinistra", "centrodestra", "sinistra", "destra"],
            PoliticalOpinion,
        ),
        (
            &["centre gauche", "extrême droite", "droite", "écologiste"],
            PoliticalOpinion,
        ),
        (
            &["magrebí", "caucásico", "asiático", "latinoamericano"],
            EthnicOrigin,
        ),
        (
            &[
                "Black Caribbean",
                "Native American",
                "Mixed White and Asian",
                "Arab",
            ],
            EthnicOrigin,
        ),
        (
            &[
                "panseksueel",
                "heteroseksueel",
                "biseksueel",
                "homoseksueel",
            ],
            SexualOrientation,
        ),
        (
            &[
                "Unison",
                "RMT",
                "GMB",
                "Communication Workers Union",
                "Royal College of Nursing",
            ],
            TradeUnion,
        ),
    ];
    for (vals, cat) in cases {
        let f = classify("t", "c1", ValueKind::Text, &many(vals));
        assert!(conf_of(&f, *cat) >= 0.5, "{vals:?}: {f:?}");
    }
    // Everyday words in running text are not political mentions.
    let reviews = many(&[
        "Links in the email were broken, the green one arrived late",
        "Left it in the centre of the room, very moderate price",
    ]);
    let f = classify("reviews", "comment", ValueKind::Text, &reviews);
    assert_eq!(conf_of(&f, PoliticalOpinion), 0.0, "{f:?}");
}

#[test]
fn numbers_in_a_national_id_format_follow_the_name_they_are_under() {
    let mut g = Gen(23);
    let letters = b"TRWAGMYFPDXBNJZSQVHLCKE";
    let dnis: Vec<String> = (0..60)
        .map(|_| {
            let n: u32 = g.digits(8).parse().expect("eight generated digits parse");
            format!("{n:08}{}", letters[(n % 23) as usize] as char)
        })
        .collect();
    // A Spanish driving licence is the holder's DNI number.
    let f = classify(
        "empleados",
        "drivers_license_number",
        ValueKind::Text,
        &dnis,
    );
    assert!(conf_of(&f, DriversLicense) >= 0.5, "{f:?}");
    assert_eq!(conf_of(&f, NationalId), 0.0, "{f:?}");
    // A tax number column of DNIs is the national id, not a separate tax id.
    let f = classify(
        "empleados",
        "tax_identification_number",
        ValueKind::Text,
        &dnis,
    );
    assert!(conf_of(&f, NationalId) >= 0.8, "{f:?}");
    assert_eq!(conf_of(&f, TaxId), 0.0, "{f:?}");
    // Luhn-failing digits under a card name are no card numbers.
    let digits: Vec<String> = (0..60)
        .map(|_| g.digits(16))
        .filter(|s| !validators::credit_card(s))
        .collect();
    let f = classify("payments", "credit_card", ValueKind::Text, &digits);
    assert_eq!(conf_of(&f, CreditCard), 0.0, "{f:?}");
}

#[test]
fn job_titles_are_found_by_their_head_word() {
    let titles: Vec<String> = [
        "Therapist, art",
        "Accountant, chartered",
        "Counselling psychologist",
        "Hydrographic surveyor",
        "Operario en cemento armado",
        "Forstwirt",
        "architecte des systèmes d'information",
    ]
    .iter()
    .cycle()
    .take(70)
    .map(|s| s.to_string())
    .collect();
    let f = classify("employees", "c3", ValueKind::Text, &titles);
    assert!(conf_of(&f, Job) >= 0.5, "{f:?}");
    // Product names are not jobs, even with an -er word in them.
    let products: Vec<String> = ["Smart Blender 9X", "Eco Router 3 Lite", "Coffee Grinder 2"]
        .iter()
        .cycle()
        .take(60)
        .map(|s| s.to_string())
        .collect();
    assert_eq!(
        conf_of(&classify("t", "c3", ValueKind::Text, &products), Job),
        0.0
    );
}

#[test]
fn clinical_notes_and_belief_columns_count_in_any_table() {
    let notes: Vec<String> = [
        "Admitted with exacerbation of rheumatoid arthritis. Started on Methylphenidate 100 mg.",
        "Referred to specialist, suspected hypothyroidism. Blood type AB-.",
        "Controllo per asma; prosegue Omeprazole 20 mg. Nota allergia alla penicillina.",
    ]
    .iter()
    .cycle()
    .take(60)
    .map(|s| s.to_string())
    .collect();
    let f = classify("devices", "product_description", ValueKind::Text, &notes);
    assert!(conf_of(&f, Health) >= 0.8, "{f:?}");
    let beliefs: Vec<String> = [
        "buddhistisch",
        "muslimisch",
        "evangelisch",
        "jüdisch",
        "katholisch",
    ]
    .iter()
    .cycle()
    .take(60)
    .map(|s| s.to_string())
    .collect();
    let f = classify("orders", "category", ValueKind::Text, &beliefs);
    assert!(conf_of(&f, Religion) >= 0.7, "{f:?}");
}

#[test]
fn address_names_are_contradicted_by_values_that_hold_no_address() {
    let many = |xs: &[&str]| -> Vec<String> {
        xs.iter().cycle().take(60).map(|s| s.to_string()).collect()
    };
    let macs = many(&[
        "44-AB-15-A5-20-A4",
        "46:5d:8b:0f:15:ae",
        "4a:21:2c:7a:ef:f3",
    ]);
    let f = classify("dispositivi", "indirizzo_mac", ValueKind::Text, &macs);
    assert_eq!(conf_of(&f, StreetAddress), 0.0, "{f:?}");
    assert!(conf_of(&f, MacAddress) >= 0.9, "{f:?}");
    let instructions = many(&[
        "Deliver to loading dock B",
        "Ring twice, goods entrance at the back",
        "Leave at reception",
        "Gate code 4411",
    ]);
    let f = classify("patient_records", "address", ValueKind::Text, &instructions);
    assert_eq!(conf_of(&f, StreetAddress), 0.0, "{f:?}");
    // Streets named after people are addresses, not names.
    let streets = many(&[
        "Paseo Mauricio Plana 25",
        "Calle Ximena Aragonés 9",
        "Avenida Jaime Torrents 92",
    ]);
    let f = classify("clientes", "street_address", ValueKind::Text, &streets);
    assert!(conf_of(&f, StreetAddress) >= 0.8, "{f:?}");
    assert_eq!(conf_of(&f, Name), 0.0, "{f:?}");
    // Dosages are not addresses.
    let doses = many(&[
        "Escitalopram 100 mg al bisogno",
        "Adalimumab 40 mg ogni 8 ore",
        "Insulin 10 IU al giorno",
    ]);
    let f = classify("pazienti", "c4", ValueKind::Text, &doses);
    assert_eq!(conf_of(&f, StreetAddress), 0.0, "{f:?}");
}

#[test]
fn locale_forms_of_gender_marital_status_streets_and_checked_ids() {
    let many = |xs: &[&str]| -> Vec<String> {
        xs.iter().cycle().take(60).map(|s| s.to_string()).collect()
    };
    let f = classify(
        "t",
        "c1",
        ValueKind::Text,
        &many(&["K", "M", "kobieta", "niebinarna", "mężczyzna"]),
    );
    assert!(conf_of(&f, Gender) >= 0.5, "{f:?}");
    let f = classify(
        "t",
        "c1",
        ValueKind::Text,
        &many(&["casado/a", "soltero/a", "pareja de hecho", "viudo/a"]),
    );
    assert!(conf_of(&f, MaritalStatus) >= 0.5, "{f:?}");
    let f = classify(
        "t",
        "c1",
        ValueKind::Text,
        &many(&[
            "923 Jones Springs",
            "Flat 8\nRyan Ridge",
            "7 Cheryl Walks",
            "Ronda Evangelina 44 Piso 5",
        ]),
    );
    assert!(conf_of(&f, StreetAddress) >= 0.5, "{f:?}");
    let mut g = Gen(5);
    let letters = b"TRWAGMYFPDXBNJZSQVHLCKE";
    let dnis: Vec<String> = (0..60)
        .map(|_| {
            let n: u32 = g.digits(8).parse().expect("eight generated digits parse");
            format!("{n:08}{}", letters[(n % 23) as usize] as char)
        })
        .collect();
    let f = classify("pagos", "product_code", ValueKind::Text, &dnis);
    assert!(conf_of(&f, NationalId) >= 0.9, "{f:?}");
}

#[test]
fn mailboxes_hold_an_email_and_a_name() {
    let vals: Vec<String> = [
        "Leon Bell <yowen@example.com>",
        "Mr Liam Hunt <nwalker@example.net>",
        "\"Sophie Richards\" <esmith@example.org>",
    ]
    .iter()
    .cycle()
    .take(60)
    .map(|s| s.to_string())
    .collect();
    let f = classify("contacts", "val_1", ValueKind::Text, &vals);
    assert!(conf_of(&f, Email) >= 0.8, "{f:?}");
    assert!(conf_of(&f, Name) >= 0.8, "{f:?}");
}

#[test]
fn a_column_of_ethnic_origins_is_no_product_tag_but_cuisines_are() {
    let many = |xs: &[&str]| -> Vec<String> {
        xs.iter().cycle().take(60).map(|s| s.to_string()).collect()
    };
    let origins = many(&[
        "métis",
        "maghrébin",
        "asiatique",
        "caucasien",
        "afro-caribéen",
    ]);
    let f = classify("commandes", "tags", ValueKind::Text, &origins);
    assert!(conf_of(&f, EthnicOrigin) >= 0.7, "{f:?}");
    let cuisines = many(&["Italian", "Mexican", "Asian", "Indian", "French", "Greek"]);
    let f = classify("restaurants", "tags", ValueKind::Text, &cuisines);
    assert_eq!(conf_of(&f, EthnicOrigin), 0.0, "{f:?}");
}

#[test]
fn push_tokens_are_device_ids_under_any_name() {
    let mut g = Gen(3);
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut pick = |n: usize| -> String {
        (0..n)
            .map(|_| alphabet[g.below(64) as usize] as char)
            .collect()
    };
    let tokens: Vec<String> = (0..40)
        .map(|_| format!("{}:APA91b{}", pick(22), pick(134)))
        .collect();
    let f = classify("geraete", "c9", ValueKind::Text, &tokens);
    assert!(conf_of(&f, DeviceId) >= 0.85, "{f:?}");
}

#[test]
fn a_name_column_of_companies_holds_no_person_name() {
    let vals: Vec<String> = [
        "Linek-Choina S.A.",
        "Stowarzyszenie Nowek Sp.j.",
        "Grupa Hirsch",
        "Missoni s.r.l.",
        "Guibert S.A.R.L.",
    ]
    .iter()
    .cycle()
    .take(60)
    .map(|s| s.to_string())
    .collect();
    let f = classify("events", "name", ValueKind::Text, &vals);
    assert_eq!(conf_of(&f, Name), 0.0, "{f:?}");
}

fn random_uuids(g: &mut Gen, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let u = format!(
                "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
                g.below(1 << 32),
                g.below(1 << 16),
                g.below(1 << 12),
                g.below(1 << 12),
                g.below(1 << 48)
            );
            // IDFAs are upper case, GAIDs lower case: both kinds of column mix them.
            if i % 2 == 0 { u.to_uppercase() } else { u }
        })
        .collect()
}

#[test]
fn random_uuids_are_device_ids_only_under_a_device_name() {
    let mut g = Gen(97);
    let uuids = random_uuids(&mut g, 200);
    for (table, name) in [
        ("orders", "id"),
        ("events", "row_uuid"),
        ("customers", "c7"),
        ("devices", "c2"),
        ("appareils", "c2"),
        ("geraete", "attr_1"),
        ("sessions", "session_id"),
        ("payments", "transaction_uuid"),
    ] {
        assert_none(&text(table, name, &uuids), &format!("{table}.{name}"));
    }
    for name in [
        "device_id",
        "idfa",
        "gaid",
        "aaid",
        "ad_id",
        "advertising_id",
        "android_id",
        "installation_id",
        "push_token",
        "geraete_id",
        "werbe_id",
        "id_appareil",
        "id_dispositivo",
        "id_publicidad",
        "id_pubblicita",
        "apparaat_id",
        "id_urzadzenia",
        "id_reklamowy",
    ] {
        assert_eq!(top(&text("events", name, &uuids)), Some(DeviceId), "{name}");
    }
}

#[test]
fn country_codes_are_nationalities_only_under_a_nationality_name() {
    let alpha2 = cycle(
        &["DE", "FR", "NL", "PL", "ES", "IT", "GB", "US", "BE", "SE"],
        200,
    );
    let alpha3 = cycle(
        &["DEU", "FRA", "NLD", "POL", "ESP", "ITA", "GBR", "USA"],
        200,
    );
    for codes in [&alpha2, &alpha3] {
        for (table, name) in [
            ("customers", "country"),
            ("employees", "country"),
            ("orders", "ship_country"),
            ("shipments", "dest_country"),
            ("personnel", "c7"),
            ("customers", "country_code"),
        ] {
            assert_none(&text(table, name, codes), &format!("{table}.{name}"));
        }
        for name in [
            "nationality",
            "citizenship",
            "nationalite",
            "staatsangehoerigkeit",
            "nacionalidad",
            "nazionalita",
            "nationaliteit",
            "obywatelstwo",
            "natl",
            "citizen",
        ] {
            assert_eq!(
                top(&text("employees", name, codes)),
                Some(Nationality),
                "{name}"
            );
        }
    }
    // Nationality words say what they are without a name.
    let words = cycle(
        &["German", "française", "Polish", "niederländisch", "Italian"],
        200,
    );
    assert_eq!(top(&text("employees", "c7", &words)), Some(Nationality));
    let feminine = cycle(&["portugaise", "belge", "algérienne", "française"], 200);
    assert_eq!(
        top(&text("dossiers_rh", "citz", &feminine)),
        Some(Nationality)
    );
    let spanish = cycle(&["rumana", "española", "ecuatoriana", "venezolana"], 200);
    assert_eq!(top(&text("empleados", "natl", &spanish)), Some(Nationality));
}

#[test]
fn card_numbers_written_in_groups_and_maestro_lengths_are_cards() {
    let mut g = Gen(11);
    let grouped: Vec<String> = (0..300)
        .map(|_| {
            let n = luhn_complete(&format!("4{}", g.digits(14)));
            format!("{} {} {} {}", &n[..4], &n[4..8], &n[8..12], &n[12..])
        })
        .collect();
    let f = text("payments", "c3", &grouped);
    assert_eq!(top(&f), Some(CreditCard), "{f:?}");
    // Maestro's 12 digits, JCB's 15-digit 1800 range.
    let maestro: Vec<String> = (0..300)
        .map(|i| {
            if i % 2 == 0 {
                luhn_complete(&format!("6759{}", g.digits(7)))
            } else {
                luhn_complete(&format!("1800{}", g.digits(10)))
            }
        })
        .collect();
    assert_eq!(
        top(&text("payments", "card_no", &maestro)),
        Some(CreditCard)
    );
}

#[test]
fn phone_numbers_with_extensions_and_national_numbers_beside_international_ones() {
    let us = cycle(
        &[
            "001-729-805-7110x94420",
            "349.701.8511x81622",
            "+1-202-555-0143 ext. 12",
            "(233)380-9301",
            "+18894458718",
            "291.652.4890",
        ],
        300,
    );
    let f = text("patients", "sku", &us);
    assert_eq!(top(&f), Some(Phone), "{f:?}");
    // Half the numbers say +39; the bare ones are Italian numbers too.
    let it = cycle(
        &[
            "+393489498216",
            "0458220061",
            "+39 0118796437",
            "3287823812",
            "+39 0583945228",
            "0547274923",
        ],
        300,
    );
    let f = text("accessi", "sku", &it);
    assert_eq!(top(&f), Some(Phone), "{f:?}");
    // Bare digits alone are no phone numbers without a name saying so.
    let bare = cycle(
        &["0458220061", "3287823812", "0547274923", "0118796437"],
        300,
    );
    assert_none(&text("orders", "sku", &bare), "bare digits under sku");
}

#[test]
fn names_that_the_values_contradict_are_dropped() {
    // `nationality` holding currencies, `device_id` holding a dozen warehouse codes, `token`
    // holding HTTP statuses, `ssn` holding parcel numbers.
    let currencies = cycle(&["EUR", "USD", "GBP", "PLN", "CHF", "SEK"], 300);
    assert_none(
        &text("dossiers_rh", "nationality", &currencies),
        "currencies",
    );
    let mut g = Gen(5);
    let warehouses: Vec<String> = (0..1000)
        .map(|_| {
            let site = g.pick(&["BER", "AMS", "MAD", "LYS", "MXP", "WAW", "LHR", "JFK"]);
            format!("WH-{site}-{:02}", g.below(9) + 1)
        })
        .collect();
    assert_none(&text("absences", "device_id", &warehouses), "warehouses");
    let statuses = cycle(
        &["200", "200", "201", "204", "304", "401", "404", "500"],
        300,
    );
    assert_none(
        &classify("auth_events", "token", ValueKind::Integer, &statuses),
        "statuses",
    );
    let parcels: Vec<String> = (0..300)
        .map(|i| match i % 3 {
            0 => format!("1Z{}", g.digits(16)),
            1 => format!("JJD{}", g.digits(15)),
            _ => g.digits(20),
        })
        .collect();
    assert_none(&text("customer_accounts", "ssn", &parcels), "parcels");
    // The same names over values that fit them still count.
    let uuids: Vec<String> = (0..300)
        .map(|_| {
            let h = format!("{:016x}{:016x}", g.next(), g.next());
            format!(
                "{}-{}-4{}-a{}-{}",
                &h[..8],
                &h[8..12],
                &h[13..16],
                &h[17..20],
                &h[20..32]
            )
        })
        .collect();
    assert_eq!(top(&text("logins", "device_id", &uuids)), Some(DeviceId));
    let tokens: Vec<String> = (0..300)
        .map(|_| format!("{:016x}{:016x}", g.next(), g.next()))
        .collect();
    assert_eq!(top(&text("logins", "token", &tokens)), Some(Credentials));
}

#[test]
fn national_ids_with_structure_outvote_a_product_name() {
    let ssns = cycle(
        &[
            "387-28-9715",
            "026-31-1274",
            "492-24-7999",
            "635-83-5222",
            "219-23-1623",
        ],
        300,
    );
    assert_eq!(top(&text("staff", "product_code", &ssns)), Some(NationalId));
    let pesels = cycle(
        &[
            "79101174741",
            "90081272487",
            "71121061355",
            "75071206370",
            "02281298860",
        ],
        300,
    );
    assert!(
        pesels.iter().all(|p| validators::pl_pesel(p)),
        "the test's PESELs are valid"
    );
    assert_eq!(
        top(&text("klienci", "product_code", &pesels)),
        Some(NationalId)
    );
}

#[test]
fn names_with_particles_and_titles_are_names() {
    let dutch = cycle(
        &[
            "Lena van Mare-Koster",
            "Jordy van der Stael de Jonge",
            "Roos van Gemert",
            "Azra de Koning",
            "Elias Schotte",
            "Pepijn Gervais",
        ],
        300,
    );
    let f = text("klanten", "f1", &dutch);
    assert_eq!(top(&f), Some(Name), "{f:?}");
    let german = cycle(
        &[
            "Univ.Prof. Johanne Gorlitz B.A.",
            "Herr Hans-Jochen Wohlgemut",
            "Anastasia Hartmann",
            "Tim Klemm-Wohlgemut",
            "Gertrud Kensy B.Eng.",
            "Helena von und zu Carsten",
        ],
        300,
    );
    let f = text("patienten", "v3", &german);
    assert_eq!(top(&f), Some(Name), "{f:?}");
}

#[test]
fn vins_end_in_four_digits_and_common_abbreviations_are_cues() {
    // ISO 3779: the last four characters are digits; the ninth is the check digit.
    let mut g = Gen(3);
    let alphabet = b"ABCDEFGHJKLMNPRSTUVWXYZ0123456789";
    let vins: Vec<String> = (0..300)
        .map(|_| {
            let body: String = (0..13)
                .map(|_| alphabet[g.below(alphabet.len() as u64) as usize] as char)
                .collect();
            let serial = g.digits(4);
            "0123456789X"
                .chars()
                .map(|c| format!("{}{c}{}{serial}", &body[..8], &body[9..]))
                .find(|v| validators::vin(v) == Some(true))
                .expect("one check character completes a VIN")
        })
        .collect();
    assert_eq!(
        top(&text("shipments", "vehicle_identification_number", &vins)),
        Some(VehicleId)
    );
    for (name, cat) in [
        ("card_no", CreditCard),
        ("sal", Income),
        ("snm", Name),
        ("ppn", PassportNumber),
        ("pass_no", PassportNumber),
        ("kundenname", Name),
        ("tax_no", TaxId),
        ("sicherheitsantwort", Credentials),
        ("medicamentos", Health),
        ("straftat", CriminalRecord),
    ] {
        let cues = names::name_cues(name);
        assert_eq!(cues.cues.first().map(|c| c.0), Some(cat), "{name}");
    }
}

#[test]
fn logins_with_names_inside_are_usernames_and_json_keys_are_not_offences() {
    let logins = cycle(
        &[
            "noelle49",
            "willemde-keijser",
            "kosteraaron",
            "sven30",
            "@ctielemans",
            "anna.schmidt",
            "pierre_martin",
            "lena1987",
        ],
        400,
    );
    // Usernames are nearly unique; make them so.
    let logins: Vec<String> = logins
        .iter()
        .enumerate()
        .map(|(i, s)| format!("{s}{i}"))
        .collect();
    assert_eq!(
        top(&text("aanmeldingen", "attr_1", &logins)),
        Some(Username)
    );
    let events = cycle(
        &["page_view", "add_to_cart", "checkout", "login", "logout"],
        400,
    );
    assert_none(&text("web_events", "c3", &events), "event types");
    let sensors: Vec<String> = (0..300)
        .map(|i| {
            format!(
                r#"{{"temp_c":{}.5,"humidity":40.1,"battery":{}}}"#,
                i % 40,
                i % 100
            )
        })
        .collect();
    assert_none(
        &text("device_registry", "sensor_reading", &sensors),
        "sensor JSON",
    );
}

#[test]
fn towns_and_surnames_outside_the_curated_lists_come_from_the_wide_ones() {
    // Italian villages and Dutch places of a few hundred inhabitants.
    let towns = cycle(
        &[
            "Agnosine",
            "Casanova Elvo",
            "San Buono",
            "Ooltgensplaat",
            "Maarsbergen",
            "Zuidzande",
            "Heeswijk-Dinther",
            "Annone di Brianza",
        ],
        300,
    );
    let mut g = Gen(17);
    // Enough different towns for a diverse column.
    let more = [
        "Alkmaar",
        "Asso",
        "Beaulard",
        "Teeffelen",
        "Loozen",
        "Damwald",
        "Haarlem",
        "Utrecht",
        "Zwolle",
        "Delft",
        "Gouda",
        "Leiden",
        "Breda",
        "Tilburg",
        "Venlo",
        "Assen",
        "Emmen",
        "Hoorn",
        "Edam",
        "Sneek",
        "Weert",
        "Oss",
        "Uden",
        "Boxtel",
        "Veghel",
        "Goes",
    ];
    let towns: Vec<String> = towns
        .into_iter()
        .chain((0..300).map(|_| g.pick(&more).to_string()))
        .collect();
    let f = text("betalingen", "attr_1", &towns);
    assert_eq!(top(&f), Some(City), "{f:?}");
    // Spanish and German surnames on their own.
    let surnames = cycle(
        &[
            "Gascon",
            "Soriano",
            "Pardo",
            "Casals",
            "Oller",
            "Espejo",
            "Quevedo",
            "Blazquez",
            "Conesa",
            "Lerma",
            "Hartmann",
            "Klemm",
            "Haase",
            "Beckmann",
            "Fischer",
            "Koch",
            "Schneider",
            "Becker",
            "Wagner",
            "Schulz",
            "Ramos",
            "Tirado",
            "Mesa",
            "Vila",
            "Bernat",
            "Landa",
            "Garriga",
            "Armas",
            "Andres",
            "Moreno",
            "Serra",
            "Navarro",
        ],
        400,
    );
    let f = text("empleados", "data1", &surnames);
    assert_eq!(top(&f), Some(Name), "{f:?}");
    // A dozen departments or categories are neither.
    let labels = cycle(
        &[
            "Finance",
            "Marketing",
            "Sales",
            "Legal",
            "Support",
            "Garden",
            "Kitchen",
            "Toys",
        ],
        400,
    );
    assert_none(&text("staff", "c4", &labels), "labels");
}

#[test]
fn field_is_a_column_word_and_streets_with_people_in_their_names_are_streets() {
    // `field1` is as opaque as `c1`: first names under it are names.
    let first = cycle(
        &[
            "Krystal",
            "Stephanie",
            "Benjamin",
            "Michael",
            "Rebecca",
            "Tammy",
            "Matthew",
            "Paul",
        ],
        300,
    );
    assert_eq!(top(&text("leads", "field1", &first)), Some(Name));
    // `field_name` still holds no person's name.
    let fields = cycle(&["email", "phone", "created_at", "status"], 300);
    assert_none(&text("forms", "field_name", &fields), "field names");
    // English suffixes (USPS), Spanish street types named after people.
    let en = cycle(
        &[
            "0 Elliott Crossing",
            "Flat 8\nRyan Ridge",
            "243 Day Lights",
            "41 Anderson Junctions",
            "38 Joyce Rapid",
            "55 Dawson Stream",
        ],
        300,
    );
    assert_eq!(
        top(&text("customer_contacts", "x2", &en)),
        Some(StreetAddress)
    );
    let es = cycle(
        &[
            "Cañada Sosimo Conesa 34 Apt. 15",
            "Alameda de Ruy Lerma 30 Puerta 3",
            "Urbanización Joaquina Landa 4",
            "Callejón de Juan Manuel Espejo 18",
            "Calle Ximena Aragonés 9",
        ],
        300,
    );
    let f = text("envios", "str", &es);
    assert_eq!(top(&f), Some(StreetAddress), "{f:?}");
    assert!(!f.iter().any(|f| f.category == Name), "{f:?}");
}

/// EAN-13 codes built so that Luhn holds too, with a Visa-like leading 4: the worst case
/// for a card detector.
fn barcodes_passing_luhn(n: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut x: u64 = 400_638_133_393;
    while out.len() < n {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let body = format!("4{:011}", x % 100_000_000_000);
        let Some(ean) = (0..10)
            .map(|c| format!("{body}{c}"))
            .find(|s| validators::gs1(s))
        else {
            continue;
        };
        if validators::credit_card(&ean) {
            out.push(ean);
        }
    }
    out
}

/// Real EAN-13 codes: valid GS1 check digits, Luhn only by chance.
fn barcodes(n: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut x: u64 = 7;
    while out.len() < n {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let body = format!("{:012}", x % 1_000_000_000_000);
        if let Some(ean) = (0..10)
            .map(|c| format!("{body}{c}"))
            .find(|s| validators::gs1(s))
        {
            out.push(ean);
        }
    }
    out
}

#[test]
fn product_barcodes_are_not_card_numbers() {
    let real = barcodes(200);
    for name in ["ean", "gtin", "barcode", "c7", "code", "article"] {
        assert_none(&text("products", name, &real), name);
    }
    // Even when every value also passes Luhn with a card network's prefix, a barcode name
    // (and the GS1 check digits) outvote the card reading ...
    let both = barcodes_passing_luhn(200);
    for name in ["ean", "gtin13", "upc", "barcode"] {
        assert_none(&text("products", name, &both), name);
    }
    // ... and so does a product catalogue under an opaque name ...
    for table in ["products", "produits", "shop_artikel"] {
        assert_none(&text(table, "col2", &both), table);
    }
    // ... while under a card's name, or in an orders table, the same values stay a card:
    // masked by default.
    assert_eq!(
        top(&text("orders", "col2", &both)),
        Some(Category::CreditCard)
    );
    assert_eq!(
        top(&text("payments", "card_number", &both)),
        Some(Category::CreditCard)
    );
}

/// `wp_usermeta`: each attribute is classified as if it were a column of its own name.
#[test]
fn key_value_tables_are_classified_per_attribute() {
    let mut g = Gen(91);
    let mut keys = Vec::new();
    let mut values = Vec::new();
    for i in 0..120 {
        let (k, v) = match i % 4 {
            0 => (
                "billing_phone",
                format!("+44 20 7946 0{:03}", 100 + g.next() % 800),
            ),
            1 => ("billing_email", format!("user{i}@mailbox.org")),
            2 => ("show_admin_bar_front", "true".to_string()),
            _ => ("locale", "en_GB".to_string()),
        };
        keys.push(k.to_string());
        values.push(v);
    }
    let ids: Vec<String> = (0..120).map(|i| i.to_string()).collect();
    let columns = [
        ColumnSample {
            name: "umeta_id",
            kind: ValueKind::Integer,
            values: &ids,
            null_share: None,
        },
        ColumnSample {
            name: "meta_key",
            kind: ValueKind::Text,
            values: &keys,
            null_share: None,
        },
        ColumnSample {
            name: "meta_value",
            kind: ValueKind::Text,
            values: &values,
            null_share: None,
        },
    ];
    let kv = key_value_columns(&columns).expect("a key-value pair");
    assert_eq!((kv.key, kv.value), (1, 2));
    let pairs: Vec<(String, String)> = keys.iter().cloned().zip(values.iter().cloned()).collect();
    let found = Classifier::new(Options::default()).classify_attributes("wp_usermeta", &pairs);
    let top = |a: &str| found.attributes[a].first().map(|f| f.category);
    assert_eq!(top("billing_phone"), Some(Phone), "{found:?}");
    assert_eq!(top("billing_email"), Some(Email));
    assert_eq!(top("show_admin_bar_front"), None);
    assert_eq!(top("locale"), None);
    let column: Vec<Category> = found.column().iter().map(|f| f.category).collect();
    assert_eq!(column, [Email, Phone], "{column:?}");
    // A table of names and values that do not repeat is no key-value table.
    let distinct: Vec<String> = (0..120).map(|i| format!("n{i}")).collect();
    let plain = [
        ColumnSample {
            name: "name",
            kind: ValueKind::Text,
            values: &distinct,
            null_share: None,
        },
        ColumnSample {
            name: "value",
            kind: ValueKind::Text,
            values: &values,
            null_share: None,
        },
    ];
    assert_eq!(key_value_columns(&plain), None);
}

/// PostgreSQL `inet::text` keeps a host's prefix length; networks are nobody's address.
#[test]
fn hosts_with_a_prefix_length_are_addresses_and_networks_are_not() {
    let hosts: Vec<String> = (1..80)
        .map(|i| format!("81.{}.{}.{}/32", i % 200, i * 7 % 250, i % 250 + 1))
        .collect();
    assert_eq!(top(&text("sessions", "a1", &hosts)), Some(IpAddress));
    let nets: Vec<String> = (1..80).map(|i| format!("10.{i}.0.0/16")).collect();
    assert_none(&text("sessions", "a1", &nets), "networks");
}

/// A company's or a warehouse's address, phone and mailbox are nobody's: by the table's
/// name, or by its other columns (an industry and a revenue, a contact person). The contact
/// person's own name stays personal.
#[test]
fn organisations_and_places_are_not_people() {
    let streets = cycle(
        &[
            "12 Harbour Road",
            "7 Mill Lane",
            "220 King Street",
            "5 Quay Street",
        ],
        60,
    );
    let names = person_names(60);
    let revenue = cycle(&["1200000", "530000", "98000000"], 60);
    let industry = cycle(&["Retail", "Banking", "Logistics"], 60);
    let sample = |name, kind, values| ColumnSample {
        name,
        kind,
        values,
        null_share: None,
    };
    let accounts = TableSample {
        schema: "public",
        table: "accounts",
        columns: vec![
            sample("billing_address_street", ValueKind::Text, &streets),
            sample("industry", ValueKind::Text, &industry),
            sample("annual_revenue", ValueKind::Text, &revenue),
        ],
    };
    let found = Classifier::default().classify_table(&accounts);
    assert_none(&found[0], "a company's street");
    assert_none(&found[2], "a company's revenue");

    let sources = TableSample {
        schema: "public",
        table: "inventory_source",
        columns: vec![
            sample("street", ValueKind::Text, &streets),
            sample("contact_name", ValueKind::Text, &names),
        ],
    };
    let found = Classifier::default().classify_table(&sources);
    assert_none(&found[0], "a warehouse's street");
    assert_eq!(top(&found[1]), Some(Name));
    assert_none(
        &text("warehouses", "street", &streets),
        "by the table's name",
    );
    assert_eq!(
        top(&text("customers", "street", &streets)),
        Some(StreetAddress)
    );
    let role_mailboxes: Vec<String> = ["info", "sales", "contact", "office"]
        .iter()
        .cycle()
        .take(60)
        .enumerate()
        .map(|(i, role)| format!("{role}@firm{i}.example.com"))
        .collect();
    assert_none(
        &text("leads", "companyemail", &role_mailboxes),
        "a company's mailbox",
    );
}

/// The SHA-256 of an email is a pseudonymous identifier (ad networks match on it), not a
/// file hash; a content hash stays nothing.
#[test]
fn hashed_emails_are_identifiers_and_file_hashes_are_not() {
    let mut g = Gen(5);
    let hashes: Vec<String> = (0..60)
        .map(|_| (0..4).map(|_| format!("{:016x}", g.next())).collect())
        .collect();
    assert_eq!(
        top(&text("app_devices", "email_sha256", &hashes)),
        Some(DeviceId)
    );
    assert_none(&text("files", "sha256", &hashes), "a content hash");
}

/// Names of in-house systems in the Nordic languages and Portuguese, and legacy
/// abbreviations.
#[test]
fn nordic_portuguese_and_legacy_names_are_read() {
    for (name, category) in [
        ("fld_fnamn", Name),
        ("etternavn", Name),
        ("sukunimi", Name),
        ("fld_persnr", NationalId),
        ("hetu", NationalId),
        ("cpr_nr", NationalId),
        ("cli_morada", StreetAddress),
        ("postinumero", PostalCode),
        ("cli_telemovel", Phone),
        ("sahkoposti", Email),
        ("dt_nasc", DateOfBirth),
        ("cust_nm", Name),
        ("dob_dt", DateOfBirth),
        ("ifa", DeviceId),
        ("verzuimreden", Health),
        ("situation_famille", MaritalStatus),
    ] {
        let cues = name_categories(name);
        assert_eq!(
            cues.first().map(|c| c.0),
            Some(category),
            "{name}: {cues:?}"
        );
    }
}

/// Test data describes nobody; keys, timestamps and product versions are not what their
/// names or shapes suggest.
#[test]
fn fixtures_keys_timestamps_and_versions_are_not_personal() {
    let fixtures = cycle(
        &[
            "checkout-bot@example.com",
            "testuser33@example.net",
            "qa-run@example.org",
        ],
        60,
    );
    assert_none(&text("quote", "customer_email", &fixtures), "test accounts");
    let placeholders = cycle(&["QA TESTER", "JANE DOE", "TEST CARD"], 60);
    assert_none(
        &text("payments", "cardholder", &placeholders),
        "placeholders",
    );
    let ips = cycle(
        &["203.0.113.18", "2001:db8::f2d7", "::1", "198.51.100.7"],
        60,
    );
    assert_none(&text("quote", "remote_ip", &ips), "documentation addresses");
    // People at documentation domains (as generators make them) are still people.
    let people = cycle(&["anna.berg@example.com", "jacques13@example.org"], 60);
    assert_eq!(top(&text("prospects", "courriel", &people)), Some(Email));

    let keys: Vec<String> = (1..=200).map(|i| i.to_string()).collect();
    assert_none(
        &classify("personalstamm", "pers_nr", ValueKind::Integer, &keys),
        "a surrogate key",
    );
    let stamps = cycle(&["2024-09-15 09:47:48", "2021-12-13 09:27:40"], 60);
    assert_none(
        &classify(
            "users",
            "ts_password_modified",
            ValueKind::Timestamp,
            &stamps,
        ),
        "when a password changed",
    );
    let agents = cycle(
        &[
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
            "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
        ],
        60,
    );
    assert_none(
        &text("page_hits", "user_agent", &agents),
        "browser versions",
    );
    let exts = cycle(&["798", "537", "182"], 60);
    assert_none(&text("staff", "phone_ext", &exts), "an extension");
}

/// Names introduced by a role (`Ansprechpartnerin ist`, `Yhteyshenkilö`, `replaced by`)
/// are names, whatever the first name.
#[test]
fn names_after_a_role_word_are_found_in_text() {
    let found = |t: &str| {
        crate::text::spans(t)
            .iter()
            .filter(|s| s.category == Name)
            .map(|s| t[s.start..s.end].to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        found("Vertretung durch Oxana Bolnbach. Klagt über Kopfschmerzen."),
        ["Oxana Bolnbach"]
    );
    assert_eq!(found("Yhteyshenkilö Eila Saarinen."), ["Eila Saarinen"]);
    assert_eq!(found("Kontaktperson är Lina Karlsson."), ["Lina Karlsson"]);
    assert!(found("Kontaktperson är okänd.").is_empty());
}

/// Opaque imports decided by their values alone: Portuguese citizen cards, harvester-proof
/// emails, bare national numbers beside international ones, Nordic streets.
#[test]
fn opaque_imports_are_read_by_their_values() {
    let cards = cycle(&["71455769 2 ZX5", "14707617 0 ZX7", "26021703 4 ZX6"], 60);
    assert_eq!(top(&text("x_upload_tmp", "f_02", &cards)), Some(NationalId));
    let emails = cycle(
        &[
            "nova.astrom96 [at] live [dot] se",
            "harald.isaksson93(at)gmail.com",
            "m.jacobsson at hotmail dot com",
        ],
        60,
    );
    assert_eq!(top(&text("import_2019_07", "col7", &emails)), Some(Email));
    let phones = cycle(
        &[
            "210 069 250",
            "220 440 369",
            "229 648 189",
            "+351 226 434 471",
        ],
        60,
    );
    assert_eq!(top(&text("x_upload_tmp", "f_07", &phones)), Some(Phone));
    let streets = cycle(
        &[
            "Kirkevej 20",
            "Sveavägen 101A",
            "Olav Tryggvasons gate 151",
            "Storgatan 4",
        ],
        60,
    );
    assert_eq!(
        top(&text("import_2019_07", "col6", &streets)),
        Some(StreetAddress)
    );
}
