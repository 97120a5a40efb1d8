//! Personal data inside running text: the spans of a note, ticket or message that hold an
//! email address, a phone number, a person's name, an identifier or a special-category
//! term. One scanner serves both ends: a free-text column is classified by the share of its
//! values that mention each category, and a caller without the `pii` capability reads the
//! same text with those spans masked.
//!
//! Validated formats (emails, phone numbers through libphonenumber, Luhn-valid cards,
//! mod-97 IBANs, national numbers with their checksums) stand on their own; names need to
//! be written as names (a known first name before a capitalised word, a title or a
//! greeting before one); special-category terms come from the curated vocabularies.

use std::borrow::Cow;

use crate::Category::{self, *};
use crate::phone::{phone_shape, valid_phone};
use crate::validators as v;
use crate::vocab::{Kind, VOCAB, fold_into};

/// Where a category is mentioned, as byte offsets into the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub category: Category,
    /// Identifies nobody in particular: a test fixture (`@example.com`, a reserved 555-01xx
    /// number, a test card) or a role mailbox (`support@`). Masked all the same, but not
    /// counted as evidence that a column holds personal data.
    pub impersonal: bool,
}

/// Finds the spans of one text after another, reusing its buffers.
pub struct Scanner {
    spans: Vec<Span>,
    tokens: Vec<(usize, usize)>,
    folded: Vec<String>,
    pair: String,
    regions: [phonenumber::country::Id; 8],
}

/// What the previous token means for a name starting or going on here.
#[derive(Default)]
struct NameState {
    /// A capitalised first name, and where it starts and ends.
    first_name: Option<(usize, usize)>,
    /// A title (`Mr.`, `Frau`) ending here.
    title_end: Option<usize>,
    /// A greeting or sign-off (`Dear`, `Regards`) ending here.
    greeting_end: Option<usize>,
    /// A word introducing a person (`Ansprechpartnerin ist`, `Kontaktperson är`,
    /// `replaced by`) ending here: the capitalised words after it are a name.
    introducer_end: Option<usize>,
}

impl Default for Scanner {
    fn default() -> Self {
        Scanner {
            spans: Vec::new(),
            tokens: Vec::new(),
            folded: Vec::new(),
            pair: String::new(),
            regions: crate::phone::REGIONS,
        }
    }
}

/// The spans of `text`, in order, not overlapping.
pub fn spans(text: &str) -> Vec<Span> {
    Scanner::default().scan(text).to_vec()
}

/// `text` with each span replaced by `[<category id>]` (special categories and criminal
/// records by `[redacted]`, which does not say which). With `whole_on_special`, a text that
/// mentions a special category at all becomes `[redacted]`.
pub fn mask(text: &str, whole_on_special: bool) -> Cow<'_, str> {
    Scanner::default().mask(text, whole_on_special)
}

/// The placeholder a masked span becomes.
pub fn placeholder(c: Category) -> &'static str {
    if c.is_special() || c == CriminalRecord {
        return "[redacted]";
    }
    match c {
        Name => "[name]",
        Email => "[email]",
        Phone => "[phone]",
        IpAddress => "[ip_address]",
        CreditCard => "[credit_card]",
        BankAccount => "[bank_account]",
        NationalId => "[national_id]",
        DateOfBirth => "[date_of_birth]",
        _ => "[personal]",
    }
}

impl Scanner {
    pub fn new() -> Self {
        Self::default()
    }

    /// The spans of `text`, in order, not overlapping.
    pub fn scan(&mut self, text: &str) -> &[Span] {
        self.spans.clear();
        if text.len() >= 3 {
            self.numbers(text);
            self.tokenize(text);
            self.words(text);
            self.spans
                .sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
            let mut end = 0;
            self.spans.retain(|s| {
                let keep = s.start >= end;
                if keep {
                    end = s.end;
                }
                keep
            });
        }
        &self.spans
    }

    /// See [`mask`].
    pub fn mask<'t>(&mut self, text: &'t str, whole_on_special: bool) -> Cow<'t, str> {
        let spans = self.scan(text);
        if spans.is_empty() {
            return Cow::Borrowed(text);
        }
        if whole_on_special
            && spans
                .iter()
                .any(|s| s.category.is_special() || s.category == CriminalRecord)
        {
            return Cow::Borrowed("[redacted]");
        }
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for s in spans {
            out.push_str(&text[at..s.start]);
            out.push_str(placeholder(s.category));
            at = s.end;
        }
        out.push_str(&text[at..]);
        Cow::Owned(out)
    }

    fn push(&mut self, start: usize, end: usize, category: Category, impersonal: bool) {
        self.spans.push(Span {
            start,
            end,
            category,
            impersonal,
        });
    }

    fn covered(&self, start: usize, end: usize) -> bool {
        self.spans.iter().any(|s| s.start < end && start < s.end)
    }

    /// Runs of digits with separators: phone numbers, cards, dates of birth, IPv4
    /// addresses, national numbers.
    fn numbers(&mut self, text: &str) {
        let b = text.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            let opener = matches!(c, b'+' | b'(') && b.get(i + 1).is_some_and(u8::is_ascii_digit);
            if !(c.is_ascii_digit() || opener) || (i > 0 && word_byte(b[i - 1])) {
                i += 1;
                continue;
            }
            let mut j = i;
            let mut last = i;
            let mut digits = 0;
            while j < b.len() {
                match b[j] {
                    b'0'..=b'9' => {
                        digits += 1;
                        last = j;
                    }
                    b'-' | b'.' | b'/' | b'(' | b')' => {}
                    b'+' if j == i => {}
                    b' ' if b[j - 1] != b' '
                        && b.get(j + 1)
                            .is_some_and(|n| n.is_ascii_digit() || *n == b'(') => {}
                    _ => break,
                }
                j += 1;
            }
            let end = last + 1;
            let next = j.max(i + 1);
            if digits >= 6 && !(end < b.len() && word_byte(b[end])) {
                let run = &text[i..end];
                if !self.number(text, i, run) && run.contains(' ') {
                    // `born 12.03.1985 in Lyon, tel 030 1234567`: try the parts.
                    let mut at = i;
                    for part in run.split(' ') {
                        if part.len() >= 6 && part.bytes().any(|c| c.is_ascii_digit()) {
                            self.number(text, at, part);
                        }
                        at += part.len() + 1;
                    }
                }
            }
            i = next;
        }
    }

    /// Classifies one run of digits starting at byte `at`; whether it was a span.
    fn number(&mut self, text: &str, at: usize, run: &str) -> bool {
        let end = at + run.len();
        let before = cue_window(text, at);
        let digits = run.bytes().filter(u8::is_ascii_digit).count();
        let only = |allowed: &[u8]| {
            run.bytes()
                .all(|c| c.is_ascii_digit() || allowed.contains(&c))
        };
        // Dates: personal only as a date of birth.
        if (run.len() == 10 || (run.len() == 8 && only(b""))) && v::date(run).is_some() {
            if has_cue(before, BIRTH_CUES) {
                self.push(at, end, DateOfBirth, false);
                return true;
            }
            return false;
        }
        if only(b".") && run.bytes().filter(|&c| c == b'.').count() == 3 {
            // `Chrome/124.0.0.0`: a product's version, not a host (nor is an address
            // ending in .0, a network's).
            let product_version = text[..at].ends_with('/') && !text[..at].ends_with("//");
            if v::ip(run)
                && !run.ends_with(".0")
                && !product_version
                && !has_cue(before, VERSION_CUES)
            {
                self.push(at, end, IpAddress, false);
                return true;
            }
            return false;
        }
        if (13..=19).contains(&digits) && only(b" -") && v::credit_card(run) {
            self.push(at, end, CreditCard, test_card(run));
            return true;
        }
        let id_cue = has_cue(before, ID_CUES);
        let formatted_id = v::us_ssn(run, false)
            || (run.bytes().any(|c| matches!(c, b'-' | b'+')) && v::se_personnummer(run))
            || (run.contains('.') && (v::br_cpf(run) || v::be_national_number(run)))
            || (id_cue
                && (v::dk_cpr(run)
                    || v::nl_bsn(run)
                    || v::no_fodselsnummer(run)
                    || v::pt_nif(run)
                    || v::pl_pesel(run)
                    || v::de_steuer_id(run)
                    || v::se_personnummer(run)
                    || v::br_cpf(run)
                    || v::be_national_number(run)
                    || v::fr_nir(run)
                    || v::us_ssn(run, true)));
        if formatted_id {
            self.push(at, end, NationalId, false);
            return true;
        }
        if (7..=15).contains(&digits) {
            let cued = has_cue(before, PHONE_CUES);
            if phone_shape(run, cued) && valid_phone(run, &mut self.regions) {
                self.push(at, end, Phone, reserved_phone(run));
                return true;
            }
        }
        false
    }

    /// Words: runs of characters between white space and punctuation that never sits inside
    /// an address or a name.
    fn tokenize(&mut self, text: &str) {
        self.tokens.clear();
        let mut start = None;
        for (i, c) in text.char_indices() {
            let sep = c.is_whitespace()
                || matches!(
                    c,
                    ',' | ';'
                        | ':'
                        | '!'
                        | '?'
                        | '('
                        | ')'
                        | '['
                        | ']'
                        | '{'
                        | '}'
                        | '<'
                        | '>'
                        | '"'
                        | '“'
                        | '”'
                        | '„'
                        | '«'
                        | '»'
                        | '|'
                        | '/'
                        | '\\'
                        | '*'
                        | '='
                );
            match (sep, start) {
                (true, Some(s)) => {
                    self.push_token(text, s, i);
                    start = None;
                }
                (false, None) => start = Some(i),
                _ => {}
            }
        }
        if let Some(s) = start {
            self.push_token(text, s, text.len());
        }
    }

    fn push_token(&mut self, text: &str, start: usize, end: usize) {
        let t = &text[start..end];
        let trimmed = t.trim_matches(TRIM);
        if trimmed.is_empty() {
            return;
        }
        let s = start + (t.len() - t.trim_start_matches(TRIM).len());
        self.tokens.push((s, s + trimmed.len()));
    }

    fn words(&mut self, text: &str) {
        let n = self.tokens.len();
        if self.folded.len() < n {
            self.folded.resize(n, String::new());
        }
        for i in 0..n {
            let (start, end) = self.tokens[i];
            fold_into(&text[start..end], &mut self.folded[i]);
        }
        let mut names = NameState::default();
        let mut i = 0;
        while i < n {
            let (start, end) = self.tokens[i];
            let word = &text[start..end];
            let mut next = i + 1;
            if self.covered(start, end) {
                names = NameState::default();
            } else if word.contains('@') {
                if v::email(word) {
                    self.push(start, end, Email, impersonal_email(word));
                }
                names = NameState::default();
            } else if let Some(last) = self
                .iban(text, i)
                .or_else(|| self.obfuscated_email(text, i))
            {
                next = last + 1;
                names = NameState::default();
            } else if (9..=16).contains(&word.len()) && structured_id(word) {
                self.push(start, end, NationalId, false);
                names = NameState::default();
            } else {
                self.name_and_terms(text, i, &mut names);
            }
            i = next;
        }
    }

    /// Special-category terms and names at token `i`; `names` is the state the previous
    /// token left.
    fn name_and_terms(&mut self, text: &str, i: usize, names: &mut NameState) {
        let vocab = &*VOCAB;
        let (start, end) = self.tokens[i];
        let word = &text[start..end];
        let prev = (i > 0).then(|| self.tokens[i - 1]);
        let prev_end = prev.map(|p| p.1);
        let gap = prev.map_or("", |p| &text[p.1..start]);
        let spaced = !gap.is_empty() && gap.chars().all(char::is_whitespace);
        let capital = word.chars().next().is_some_and(char::is_uppercase);
        let upper = !word.chars().any(char::is_lowercase);
        let name_word = capital
            && (!upper || word.chars().count() <= 1)
            && word
                .chars()
                .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’'));
        let Scanner {
            folded,
            pair,
            spans,
            ..
        } = self;
        let f = folded[i].as_str();
        let stop = STOP_WORDS.contains(&f);
        let after_title = names.title_end.is_some() && names.title_end == prev_end;
        let after_first = names.first_name.filter(|n| spaced && Some(n.1) == prev_end);
        let after_introducer = names.introducer_end.is_some() && names.introducer_end == prev_end;

        // Special-category terms: one word, or two.
        let n = f.chars().count();
        let mut kinds = if n >= 4 || (n == 3 && upper) {
            vocab.get_word(f) & SPECIAL_KINDS
        } else {
            0
        };
        let mut term_start = start;
        if spaced && i > 0 && !folded[i - 1].is_empty() {
            pair.clear();
            pair.push_str(&folded[i - 1]);
            pair.push(' ');
            pair.push_str(f);
            let k = vocab.get_text(pair) & SPECIAL_KINDS;
            if k != 0 {
                kinds |= k;
                if let Some(p) = prev
                    && !spans.iter().any(|s| s.start < start && p.0 < s.end)
                {
                    term_start = p.0;
                }
            }
        }
        // `Dr. Parkinson` is a name; `Parkinson` after a verb is a condition.
        if let Some(cat) = special_category(kinds)
            && !(name_word && (after_title || after_first.is_some()))
        {
            spans.push(Span {
                start: term_start,
                end,
                category: cat,
                impersonal: false,
            });
            *names = NameState::default();
            return;
        }

        // Names: a first name and a capitalised word, a title and one, a greeting and a
        // first name.
        let is_first = vocab.get_text(f) & Kind::FirstName.bit() != 0;
        let mut span = None;
        if name_word && !stop {
            if let Some((fs, _)) = after_first {
                spans.retain(|s| !(s.category == Name && s.start == fs));
                span = Some((fs, true));
            } else if after_title
                || after_introducer
                || (names.greeting_end == prev_end && is_first)
            {
                span = Some((start, false));
            }
        }
        if let Some((s, _)) = span {
            spans.push(Span {
                start: s,
                end,
                category: Name,
                impersonal: false,
            });
        }
        *names = NameState {
            // A full name ends here; a first name (alone, or after a title or greeting) may
            // go on with a surname.
            first_name: match span {
                Some((_, true)) => None,
                _ if name_word && (is_first || after_introducer) && !stop => Some((start, end)),
                _ => None,
            },
            title_end: (capital && TITLES.contains(&f)).then_some(end),
            greeting_end: GREETINGS.contains(&f).then_some(end),
            introducer_end: (INTRODUCERS.contains(&f)
                || (after_introducer && !capital && CONNECTORS.contains(&f)))
            .then_some(end),
        };
    }

    /// An IBAN starting at token `i`, possibly written in groups of four; the index of its
    /// last token.
    fn iban(&mut self, text: &str, i: usize) -> Option<usize> {
        let (start, end) = self.tokens[i];
        let w = &text.as_bytes()[start..end];
        if w.len() < 4
            || !(w[0].is_ascii_uppercase()
                && w[1].is_ascii_uppercase()
                && w[2].is_ascii_digit()
                && w[3].is_ascii_digit())
        {
            return None;
        }
        let mut last = i;
        let mut candidates = vec![(i, end)];
        while last + 1 < self.tokens.len() && candidates.len() < 9 {
            let (s, e) = self.tokens[last + 1];
            let group = &text[s..e];
            if &text[self.tokens[last].1..s] != " "
                || group.len() > 4
                || !group
                    .bytes()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            {
                break;
            }
            last += 1;
            candidates.push((last, e));
        }
        for &(k, e) in candidates.iter().rev() {
            if v::iban(&text[start..e]) {
                self.push(start, e, BankAccount, false);
                return Some(k);
            }
        }
        None
    }

    /// `jane [at] example [dot] com`, `jane(at)example.com`, `jane at example dot com`; the
    /// index of the last token.
    fn obfuscated_email(&mut self, text: &str, i: usize) -> Option<usize> {
        let t = &self.tokens;
        if i + 2 >= t.len() {
            return None;
        }
        let word = |k: usize| &text[t[k].0..t[k].1];
        let local = word(i);
        if !local
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-' | b'+'))
        {
            return None;
        }
        let at = word(i + 1).to_ascii_lowercase();
        let bracketed = |k: usize| {
            let before = text[..t[k].0].chars().next_back();
            let after = text[t[k].1..].chars().next();
            matches!(before, Some('[' | '(' | '{' | '<'))
                && matches!(after, Some(']' | ')' | '}' | '>'))
        };
        let at_bracketed = matches!(
            at.as_str(),
            "at" | "ät" | "arroba" | "chez" | "snabela" | "malpa"
        ) && bracketed(i + 1);
        let at_plain = at == "at";
        if !at_bracketed && !at_plain {
            return None;
        }
        // The domain: labels, joined by dots or dot words.
        let mut k = i + 2;
        let mut labels = 0;
        let mut dot_words = 0;
        let mut tld_ok = false;
        let mut expect_label = true;
        while k < t.len() {
            let w = word(k);
            let lw = w.to_ascii_lowercase();
            if expect_label {
                let parts: Vec<&str> = w.split('.').collect();
                if parts.iter().any(|p| {
                    p.is_empty() || !p.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
                }) {
                    break;
                }
                labels += parts.len();
                tld_ok = parts.last().is_some_and(|p| {
                    (2..=6).contains(&p.len()) && p.bytes().all(|c| c.is_ascii_alphabetic())
                }) && (parts.len() > 1 || labels > 1);
                expect_label = false;
                k += 1;
            } else if matches!(
                lw.as_str(),
                "dot" | "punkt" | "point" | "punto" | "ponto" | "kropka"
            ) && k + 1 < t.len()
            {
                dot_words += 1;
                expect_label = true;
                k += 1;
            } else {
                break;
            }
        }
        let last = k - 1;
        if expect_label || !tld_ok || labels < 2 || last < i + 2 {
            return None;
        }
        // A plain ` at ` needs the dots spelled out too: `meet at home.com` is no address.
        if at_plain && !at_bracketed && dot_words == 0 {
            return None;
        }
        let (start, end) = (t[i].0, t[last].1);
        self.push(start, end, Email, false);
        Some(last)
    }
}

/// What the values of a free-text column mention: for each category, the values with at
/// least one span of it that identifies someone.
pub(crate) struct Mentions {
    pub values: usize,
    pub rows: Vec<(Category, usize)>,
    /// Values naming two or more conditions or medicines: a clinical narrative.
    pub clinical: usize,
}

pub(crate) fn mentions(vals: &[&str]) -> Mentions {
    let mut scanner = Scanner::default();
    let mut counts = [0usize; Category::ALL.len()];
    let mut clinical = 0;
    for s in vals {
        let spans = scanner.scan(s);
        let mut seen = 0u64;
        let mut health = 0;
        for sp in spans.iter().filter(|s| !s.impersonal) {
            seen |= 1 << sp.category as u64;
            health += usize::from(sp.category == Health);
        }
        clinical += usize::from(health >= 2);
        for (i, c) in counts.iter_mut().enumerate() {
            *c += usize::from(seen & (1 << i) != 0);
        }
    }
    Mentions {
        values: vals.len(),
        rows: Category::ALL
            .iter()
            .zip(counts)
            .filter(|(_, n)| *n > 0)
            .map(|(c, n)| (*c, n))
            .collect(),
        clinical,
    }
}

/// Punctuation trimmed off a word's ends.
const TRIM: [char; 7] = ['.', '-', '\'', '’', '_', '+', '%'];

/// Bytes that continue a word: a number glued to letters is a code, not a number.
fn word_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c >= 0x80 || c == b'_'
}

/// Up to 32 bytes before `at`, where a cue word would be (`tel.`, `DOB:`, `SSN`).
fn cue_window(text: &str, at: usize) -> &str {
    let mut from = at.saturating_sub(32);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    &text[from..at]
}

fn has_cue(window: &str, cues: &[&str]) -> bool {
    let lower = window.to_lowercase();
    // The last three words before the number.
    lower
        .split(|c: char| !c.is_alphanumeric() && c != '.')
        .filter(|w| !w.is_empty())
        .rev()
        .take(3)
        .any(|w| cues.contains(&w.trim_end_matches('.')))
}

const PHONE_CUES: &[&str] = &[
    "tel",
    "tel.",
    "phone",
    "ph",
    "mobile",
    "mob",
    "cell",
    "call",
    "fax",
    "ring",
    "whatsapp",
    "telefon",
    "telephone",
    "telefoon",
    "téléphone",
    "tél",
    "teléfono",
    "telefono",
    "telefone",
    "handy",
    "mobil",
    "móvil",
    "celular",
    "portable",
    "gsm",
    "puhelin",
    "puh",
    "tlf",
    "numer",
    "nummer",
    "number",
    "no",
    "nr",
    "callback",
    "sms",
    "contact",
    "reach",
];

const BIRTH_CUES: &[&str] = &[
    "born",
    "dob",
    "d.o.b",
    "birth",
    "birthday",
    "geb",
    "geboren",
    "geburtsdatum",
    "né",
    "née",
    "naissance",
    "nacido",
    "nacida",
    "nacimiento",
    "geboortedatum",
    "nato",
    "nata",
    "urodzony",
    "urodzona",
    "urodzenia",
    "født",
    "fødselsdato",
    "född",
    "födelsedatum",
    "syntynyt",
    "nascido",
    "nascida",
    "nascimento",
];

const ID_CUES: &[&str] = &[
    "ssn",
    "sin",
    "bsn",
    "nir",
    "insee",
    "nino",
    "dni",
    "nie",
    "nif",
    "cpf",
    "pesel",
    "cpr",
    "personnummer",
    "personnr",
    "fødselsnummer",
    "fnr",
    "hetu",
    "henkilötunnus",
    "steuer-id",
    "steuerid",
    "idnr",
    "rijksregisternummer",
    "national",
    "id",
    "citizen",
    "burgerservicenummer",
    "sofinummer",
    "identificação",
    "social",
    "security",
];

const VERSION_CUES: &[&str] = &["version", "ver", "v", "release", "build", "firmware", "fw"];

/// Titles before a surname.
const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "prof",
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
    "sig",
    "sigra",
    "pan",
    "pani",
    "patient",
    "patientin",
    "hr",
    "fr",
    "fru",
    "sra",
    "dona",
    "dom",
    "doktor",
    "monsieur",
    "madame",
    "señor",
    "señora",
    "signor",
    "signora",
    "mister",
    "sir",
    "madam",
];

/// Words naming a person's role towards the record (contact, substitute, relative, family
/// doctor), after which capitalised words are that person's name.
const INTRODUCERS: &[&str] = &[
    "contactperson",
    "contactpersoon",
    "ansprechpartner",
    "ansprechpartnerin",
    "vertretung",
    "kontaktperson",
    "kontaktpersonen",
    "yhteyshenkilo",
    "omainen",
    "parorende",
    "naermeste",
    "fastlege",
    "huisarts",
    "hausarzt",
    "hausarztin",
    "interlocuteur",
    "interlocutrice",
    "remplace",
    "remplacee",
    "substituido",
    "substituida",
    "replaced",
    "covered",
    "kollege",
    "kollegin",
    "kollega",
    "colleague",
];

/// Short words between an introducer and the name (`ist`, `är`, `durch`, `par`).
const CONNECTORS: &[&str] = &[
    "is", "ist", "ar", "er", "on", "est", "es", "e", "by", "durch", "par", "por", "av", "af",
    "door", "da", "van",
];

/// Words after which a capitalised first name is someone addressed or signing.
const GREETINGS: &[&str] = &[
    "hi",
    "hello",
    "hey",
    "dear",
    "thanks",
    "thank",
    "regards",
    "cheers",
    "best",
    "bye",
    "greetings",
    "sincerely",
    "hallo",
    "liebe",
    "lieber",
    "gruss",
    "grusse",
    "danke",
    "bonjour",
    "salut",
    "merci",
    "cordialement",
    "hola",
    "gracias",
    "saludos",
    "estimado",
    "estimada",
    "hej",
    "hei",
    "moi",
    "tack",
    "takk",
    "tak",
    "kiitos",
    "ola",
    "obrigado",
    "obrigada",
    "cumprimentos",
    "beste",
    "groeten",
    "bedankt",
    "ciao",
    "grazie",
    "saluti",
    "gentile",
    "czesc",
    "pozdrawiam",
    "dziekuje",
    "from",
    "by",
    "with",
    "colleague",
    "contact",
];

/// Capitalised words that start sentences or titles and are no surnames.
const STOP_WORDS: &[&str] = &[
    "the",
    "and",
    "or",
    "but",
    "if",
    "then",
    "please",
    "thanks",
    "thank",
    "is",
    "was",
    "has",
    "had",
    "will",
    "would",
    "can",
    "could",
    "should",
    "may",
    "might",
    "called",
    "said",
    "asked",
    "from",
    "to",
    "of",
    "in",
    "on",
    "at",
    "for",
    "with",
    "team",
    "support",
    "ltd",
    "inc",
    "gmbh",
    "i",
    "we",
    "you",
    "he",
    "she",
    "they",
    "it",
    "this",
    "that",
    "today",
    "tomorrow",
    "yesterday",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "der",
    "die",
    "das",
    "und",
    "le",
    "la",
    "les",
    "el",
    "los",
    "las",
    "de",
    "van",
    "den",
    "het",
    "och",
    "og",
    "ja",
    "e",
    "y",
    "und",
];

const SPECIAL_KINDS: u32 = Kind::Health.bit()
    | Kind::Religion.bit()
    | Kind::Political.bit()
    | Kind::Sexual.bit()
    | Kind::Union.bit()
    | Kind::Criminal.bit();

/// The special category of vocabulary kinds met in running text.
fn special_category(kinds: u32) -> Option<Category> {
    [
        (Kind::Health, Health),
        (Kind::Criminal, CriminalRecord),
        (Kind::Religion, Religion),
        (Kind::Political, PoliticalOpinion),
        (Kind::Sexual, SexualOrientation),
        (Kind::Union, TradeUnion),
    ]
    .into_iter()
    .find(|(k, _)| kinds & k.bit() != 0)
    .map(|(_, c)| c)
}

/// National numbers whose letters and checksum make them unmistakable in any text.
fn structured_id(w: &str) -> bool {
    v::fi_hetu(w)
        || v::uk_nino(w)
        || (w.len() == 9 && v::es_dni(w))
        || (w.len() == 16 && v::it_codice_fiscale(w))
}

/// Addresses that identify nobody: documentation domains and role mailboxes.
pub(crate) fn impersonal_email(e: &str) -> bool {
    let e = e.to_ascii_lowercase();
    let Some((local, domain)) = e.rsplit_once('@') else {
        return false;
    };
    matches!(
        domain,
        "example.com" | "example.org" | "example.net" | "localhost"
    ) || domain.ends_with(".example")
        || domain.ends_with(".test")
        || domain.ends_with(".invalid")
        || ROLE_MAILBOXES.contains(&local)
}

pub(crate) const ROLE_MAILBOXES: &[&str] = &[
    "info",
    "sales",
    "support",
    "help",
    "helpdesk",
    "contact",
    "kontakt",
    "admin",
    "office",
    "hello",
    "hr",
    "jobs",
    "careers",
    "billing",
    "invoices",
    "accounts",
    "noreply",
    "no-reply",
    "donotreply",
    "postmaster",
    "webmaster",
    "abuse",
    "security",
    "privacy",
    "press",
    "media",
    "marketing",
    "service",
    "team",
    "orders",
    "shop",
    "booking",
    "reception",
    "kundenservice",
    "kundeservice",
    "kundservice",
    "kundtjanst",
    "klantenservice",
    "asiakaspalvelu",
    "atendimento",
    "customerservice",
    "customercare",
    "care",
    "servicedesk",
    "it-support",
    "itsupport",
    "vertrieb",
    "verkoop",
    "ventas",
    "ventes",
    "vendas",
    "myynti",
    "salg",
    "contato",
    "contacto",
    "enquiries",
    "inquiries",
    "feedback",
    "newsletter",
    "news",
    "events",
    "partners",
    "legal",
    "dpo",
    "gdpr",
    "finance",
    "accounting",
    "buchhaltung",
    "compta",
    "facturacion",
    "facturation",
    "rechnung",
    "payroll",
    "purchasing",
    "einkauf",
    "returns",
    "retouren",
    "retours",
    "shipping",
    "versand",
    "logistics",
    "logistik",
    "warehouse",
    "lager",
    "bewerbung",
    "recrutement",
];

/// North American numbers reserved for fiction: 555-0100 to 555-0199.
pub(crate) fn reserved_phone(run: &str) -> bool {
    let d: Vec<u8> = run.bytes().filter(u8::is_ascii_digit).collect();
    // Ofcom's numbers for drama: 07700 900000-900999, 01632 960000-960999.
    if (d.len() == 11 && (d.starts_with(b"07700900") || d.starts_with(b"01632960")))
        || (d.len() == 12 && (d.starts_with(b"447700900") || d.starts_with(b"441632960")))
    {
        return true;
    }
    let local = match d.len() {
        10 => &d[3..],
        11 if d[0] == b'1' => &d[4..],
        7 => &d[..],
        _ => return false,
    };
    local.starts_with(b"55501")
}

/// The card numbers of payment providers' documentation.
pub(crate) fn test_card(run: &str) -> bool {
    let d: String = run.chars().filter(char::is_ascii_digit).collect();
    matches!(
        d.as_str(),
        "4111111111111111"
            | "4242424242424242"
            | "4012888888881881"
            | "4000056655665556"
            | "5555555555554444"
            | "5105105105105100"
            | "5200828282828210"
            | "378282246310005"
            | "371449635398431"
            | "6011111111111117"
            | "6011000990139424"
            | "3530111333300000"
            | "30569309025904"
            | "38520000023237"
            | "3056930009020004"
            | "36227206271667"
            | "3566002020360505"
            | "6200000000000005"
            | "2223003122003222"
            | "4000000000000002"
            | "4000000000009995"
            | "4000002500003155"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(String, Category)> {
        spans(text)
            .into_iter()
            .map(|s| (text[s.start..s.end].to_string(), s.category))
            .collect()
    }

    #[test]
    fn emails_phones_and_cards_in_a_ticket() {
        let t =
            "Customer jane.doe@gmail.com called from +49 30 901820 about card 4556 7375 8689 9855.";
        let f = found(t);
        assert!(f.contains(&("jane.doe@gmail.com".into(), Email)), "{f:?}");
        assert!(f.contains(&("+49 30 901820".into(), Phone)), "{f:?}");
        assert!(
            f.contains(&("4556 7375 8689 9855".into(), CreditCard)),
            "{f:?}"
        );
        assert_eq!(
            mask(t, false),
            "Customer [email] called from [phone] about card [credit_card]."
        );
    }

    #[test]
    fn obfuscated_addresses() {
        for t in [
            "write to jane.doe [at] gmail [dot] com please",
            "mail: jane.doe(at)gmail.com",
            "jane at gmail dot com",
        ] {
            assert!(
                found(t).iter().any(|(_, c)| *c == Email),
                "{t}: {:?}",
                found(t)
            );
        }
        assert!(found("we meet at home.com").is_empty());
    }

    #[test]
    fn names_written_as_names() {
        let f = found("Spoke with Anna Berg today. Dear Mr. Okafor, thanks. Regards, Lukas");
        let names: Vec<&str> = f
            .iter()
            .filter(|(_, c)| *c == Name)
            .map(|(s, _)| s.as_str())
            .collect();
        assert_eq!(names, ["Anna Berg", "Okafor", "Lukas"], "{f:?}");
        // Months, weekdays and sentence starts are not names.
        assert!(found("Will it ship in May? March Madness sale.").is_empty());
    }

    #[test]
    fn special_category_terms() {
        let f = found("Patient reports type 2 diabetes, takes metformin. Member of IG Metall.");
        let cats: Vec<Category> = f.iter().map(|(_, c)| *c).collect();
        assert!(cats.contains(&Health), "{f:?}");
        assert_eq!(
            mask("Employee is off with depression since Monday.", false),
            "Employee is off with [redacted] since Monday."
        );
        assert_eq!(
            mask("Employee is off with depression since Monday.", true),
            "[redacted]"
        );
    }

    #[test]
    fn identifiers_and_dates_of_birth() {
        let f = found(
            "SSN 123-45-6789, born 12.03.1985, personnummer 811218-9876, IBAN DE89 3704 0044 0532 0130 00",
        );
        let cats: Vec<Category> = f.iter().map(|(_, c)| *c).collect();
        assert_eq!(
            cats,
            [NationalId, DateOfBirth, NationalId, BankAccount],
            "{f:?}"
        );
        // A date without a birth cue, an order number, a version: nothing.
        assert!(found("Shipped 2024-03-05, order 48213377, firmware version 10.2.0.11").is_empty());
    }

    #[test]
    fn fixtures_identify_nobody() {
        let s = spans("test@example.com, support@acme.io, (212) 555-0123, 4111 1111 1111 1111");
        assert_eq!(s.len(), 4, "{s:?}");
        assert!(s.iter().all(|s| s.impersonal), "{s:?}");
    }

    #[test]
    fn text_without_personal_data_is_borrowed() {
        assert!(matches!(
            mask("The parcel left the warehouse on time.", false),
            Cow::Borrowed(_)
        ));
    }
}
