//! Vocabularies (names, cities, conditions, beliefs, …) from `vocab/*.txt`, folded once into
//! one lookup table.

use std::collections::HashMap;
use std::sync::LazyLock;

/// The word lists a value (or a word in free text) can belong to; one bit each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum Kind {
    FirstName = 1 << 0,
    Surname = 1 << 1,
    City = 1 << 2,
    Health = 1 << 3,
    Religion = 1 << 4,
    Political = 1 << 5,
    Ethnic = 1 << 6,
    Sexual = 1 << 7,
    Union = 1 << 8,
    Criminal = 1 << 9,
    Gender = 1 << 10,
    Marital = 1 << 11,
    Nationality = 1 << 12,
    Job = 1 << 13,
}

impl Kind {
    pub const fn bit(self) -> u32 {
        self as u32
    }
}

const LISTS: &[(Kind, &str)] = &[
    (Kind::FirstName, include_str!("../vocab/first_names.txt")),
    (Kind::Surname, include_str!("../vocab/surnames.txt")),
    (Kind::City, include_str!("../vocab/cities.txt")),
    (Kind::Health, include_str!("../vocab/health.txt")),
    (Kind::Religion, include_str!("../vocab/religion.txt")),
    (Kind::Political, include_str!("../vocab/political.txt")),
    (Kind::Ethnic, include_str!("../vocab/ethnic.txt")),
    (
        Kind::Sexual,
        include_str!("../vocab/sexual_orientation.txt"),
    ),
    (Kind::Union, include_str!("../vocab/trade_union.txt")),
    (Kind::Criminal, include_str!("../vocab/criminal.txt")),
    (Kind::Gender, include_str!("../vocab/gender.txt")),
    (Kind::Marital, include_str!("../vocab/marital_status.txt")),
    (Kind::Nationality, include_str!("../vocab/nationality.txt")),
    (Kind::Job, include_str!("../vocab/jobs.txt")),
];

/// Wide lists of real names, kept apart from the curated vocabularies: tens of thousands of
/// towns and surnames include everyday words (`Park`, `Price`, `Bath`), so they only weigh
/// in where a column's values are mostly one or the other (see `values::towns_and_surnames`).
pub struct Wide {
    /// Populated places of 500+ inhabitants (GeoNames, CC BY 4.0), folded.
    pub towns: std::collections::HashSet<Box<str>>,
    /// Surnames of the 1990 US Census (public domain), folded.
    pub surnames: std::collections::HashSet<Box<str>>,
}

pub static WIDE: LazyLock<Wide> = LazyLock::new(|| {
    let set = |text: &str| {
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(Box::from)
            .collect()
    };
    Wide {
        towns: set(include_str!("../vocab/towns.txt")),
        surnames: set(include_str!("../vocab/surnames_census.txt")),
    }
});

/// The folded vocabularies.
pub struct Vocab {
    /// Folded term (single word or phrase) → kinds.
    terms: HashMap<Box<str>, u32>,
    /// Terms that count only as a whole value (`links`, `centre`, `green`): everyday words
    /// in running text. Marked with a leading `=` in the lists.
    whole_only: HashMap<Box<str>, u32>,
    /// Folded single-word terms of 6+ characters less their last character → kinds, so that
    /// inflected forms (`cukrzycy`, `diagnosed`) still match in free text.
    stems: HashMap<Box<str>, u32>,
}

pub static VOCAB: LazyLock<Vocab> = LazyLock::new(Vocab::load);

impl Vocab {
    fn load() -> Vocab {
        let mut terms: HashMap<Box<str>, u32> = HashMap::new();
        let mut stems: HashMap<Box<str>, u32> = HashMap::new();
        let mut whole_only: HashMap<Box<str>, u32> = HashMap::new();
        let mut buf = String::new();
        for (kind, text) in LISTS {
            for line in text.lines() {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                if let Some(word) = line.strip_prefix('=') {
                    fold_into(word, &mut buf);
                    *whole_only.entry(buf.as_str().into()).or_default() |= kind.bit();
                    continue;
                }
                fold_into(line, &mut buf);
                *terms.entry(buf.as_str().into()).or_default() |= kind.bit();
                let n = buf.chars().count();
                if !buf.contains(' ') && n >= 6 {
                    let stem: String = buf.chars().take(n - 1).collect();
                    *stems.entry(stem.into()).or_default() |= kind.bit();
                }
            }
        }
        Vocab {
            terms,
            whole_only,
            stems,
        }
    }

    /// Kinds of a folded term or phrase as a whole value (exact).
    pub fn get(&self, folded: &str) -> u32 {
        self.get_text(folded) | self.whole_only.get(folded).copied().unwrap_or(0)
    }

    /// Kinds of a folded term or phrase met in running text (exact).
    pub fn get_text(&self, folded: &str) -> u32 {
        self.terms.get(folded).copied().unwrap_or(0)
    }

    /// Kinds of a folded word in running text: exact, or an inflection of a known stem.
    pub fn get_word(&self, folded: &str) -> u32 {
        let exact = self.get_text(folded);
        if exact != 0 {
            return exact;
        }
        let chars: Vec<(usize, char)> = folded.char_indices().collect();
        if chars.len() < 6 {
            return 0;
        }
        for k in 0..=3 {
            let keep = chars.len() - k;
            if keep < 5 {
                break;
            }
            let end = chars.get(keep).map_or(folded.len(), |c| c.0);
            if let Some(&v) = self.stems.get(&folded[..end]) {
                return v;
            }
        }
        0
    }
}

/// Lowercases and strips diacritics (ä→a, ß→ss, ł→l, é→e …), collapsing runs of whitespace.
pub fn fold_into(s: &str, out: &mut String) {
    out.clear();
    let mut space = false;
    for c in s.trim().chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        match c {
            'ä' | 'Ä' | 'à' | 'À' | 'á' | 'Á' | 'â' | 'Â' | 'ą' | 'Ą' | 'ã' | 'å' => {
                out.push('a')
            }
            'ö' | 'Ö' | 'ò' | 'Ò' | 'ó' | 'Ó' | 'ô' | 'Ô' | 'õ' | 'ø' | 'Ø' => {
                out.push('o')
            }
            'ü' | 'Ü' | 'ù' | 'Ù' | 'ú' | 'Ú' | 'û' | 'Û' => out.push('u'),
            'é' | 'É' | 'è' | 'È' | 'ê' | 'Ê' | 'ë' | 'Ë' | 'ę' | 'Ę' => out.push('e'),
            'í' | 'Í' | 'ì' | 'Ì' | 'î' | 'Î' | 'ï' | 'Ï' => out.push('i'),
            'ç' | 'Ç' | 'ć' | 'Ć' => out.push('c'),
            'ñ' | 'Ñ' | 'ń' | 'Ń' => out.push('n'),
            'ł' | 'Ł' => out.push('l'),
            'ś' | 'Ś' => out.push('s'),
            'ż' | 'Ż' | 'ź' | 'Ź' => out.push('z'),
            'ß' => out.push_str("ss"),
            'œ' | 'Œ' => out.push_str("oe"),
            'æ' | 'Æ' => out.push_str("ae"),
            '’' => out.push('\''),
            c => out.extend(c.to_lowercase()),
        }
    }
}

pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_strips_accents_and_case() {
        assert_eq!(fold("  Müller  Łódź "), "muller lodz");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("Diabète"), "diabete");
    }

    #[test]
    fn vocab_finds_terms_in_every_list() {
        let v = &*VOCAB;
        assert!(v.get("maria") & Kind::FirstName.bit() != 0);
        assert!(v.get("kowalski") & Kind::Surname.bit() != 0);
        assert!(v.get("krakow") & Kind::City.bit() != 0);
        assert!(v.get("diabetes") & Kind::Health.bit() != 0);
        assert!(v.get("zapalenie pluc") & Kind::Health.bit() != 0);
        assert!(v.get("katholisch") & Kind::Religion.bit() != 0);
        assert!(v.get("cdu") & Kind::Political.bit() != 0);
        assert!(v.get("ig metall") & Kind::Union.bit() != 0);
        assert!(v.get("diebstahl") & Kind::Criminal.bit() != 0);
        assert!(v.get("weiblich") & Kind::Gender.bit() != 0);
        assert!(v.get("verheiratet") & Kind::Marital.bit() != 0);
        assert!(v.get("deutsch") & Kind::Nationality.bit() != 0);
        assert!(v.get("krankenschwester") & Kind::Job.bit() != 0);
        assert!(v.get("bisexual") & Kind::Sexual.bit() != 0);
        assert!(v.get("hispanic") & Kind::Ethnic.bit() != 0);
    }

    #[test]
    fn inflected_words_match_their_stem() {
        let v = &*VOCAB;
        assert!(v.get_word("cukrzycy") & Kind::Health.bit() != 0);
        assert!(v.get_word("diagnosed") & Kind::Health.bit() != 0);
        assert_eq!(v.get_word("delivery"), 0);
    }
}
