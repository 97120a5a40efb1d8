//! IBAN construction with correct ISO 13616 check digits, plus the national check digits
//! of the French (clé RIB) and Spanish (dígitos de control) BBANs.

/// ISO 7064 mod 97-10 remainder of an alphanumeric string (letters count as 10..=35).
/// Returns `None` if the string contains anything but ASCII digits and upper-case letters.
pub(crate) fn mod97(s: &str) -> Option<u32> {
    let mut r: u32 = 0;
    for b in s.bytes() {
        r = match b {
            b'0'..=b'9' => (r * 10 + u32::from(b - b'0')) % 97,
            b'A'..=b'Z' => (r * 100 + u32::from(b - b'A') + 10) % 97,
            _ => return None,
        };
    }
    Some(r)
}

/// Builds the IBAN `CCkkBBAN` with check digits `kk` computed per ISO 13616.
pub(crate) fn iban(country: &str, bban: &str) -> String {
    let rearranged = format!("{bban}{country}00");
    // Only ASCII digits/letters are passed in by this crate; a remainder of 0 keeps the
    // function total without unwrap.
    let check = 98 - mod97(&rearranged).unwrap_or(0);
    format!("{country}{check:02}{bban}")
}

/// True if `s` (spaces allowed) is a structurally valid IBAN with correct check digits.
#[cfg(test)]
pub(crate) fn is_valid_iban(s: &str) -> bool {
    let compact: String = s.chars().filter(|c| *c != ' ').collect();
    if compact.len() < 15 || compact.len() > 34 || !compact.is_ascii() {
        return false;
    }
    let (head, tail) = compact.split_at(4);
    mod97(&format!("{tail}{head}")) == Some(1)
}

/// French clé RIB over numeric bank, branch and account codes.
pub(crate) fn fr_rib_key(bank: u64, branch: u64, account: u64) -> u64 {
    97 - ((89 * bank + 15 * branch + 3 * account) % 97)
}

/// One Spanish control digit over ten digits with weights 1,2,4,8,5,10,9,7,3,6.
pub(crate) fn es_control_digit(ten_digits: &str) -> u32 {
    const WEIGHTS: [u32; 10] = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6];
    let sum: u32 = ten_digits
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b.wrapping_sub(b'0')) * w)
        .sum();
    match 11 - sum % 11 {
        11 => 0,
        10 => 1,
        d => d,
    }
}

/// Groups an IBAN in blocks of four for the printed form (`DE89 3704 0044 ...`).
pub(crate) fn grouped(iban: &str) -> String {
    let mut out = String::with_capacity(iban.len() + iban.len() / 4);
    for (i, c) in iban.chars().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_ibans_validate_and_are_rebuilt_exactly() {
        // Published example IBANs.
        for (cc, bban, full) in [
            ("DE", "370400440532013000", "DE89370400440532013000"),
            ("GB", "NWBK60161331926819", "GB29NWBK60161331926819"),
            ("NL", "ABNA0417164300", "NL91ABNA0417164300"),
            (
                "FR",
                "20041010050500013M02606",
                "FR1420041010050500013M02606",
            ),
            ("ES", "21000418450200051332", "ES9121000418450200051332"),
        ] {
            assert_eq!(iban(cc, bban), full);
            assert!(is_valid_iban(full));
            assert!(is_valid_iban(&grouped(full)));
        }
        assert!(!is_valid_iban("DE88370400440532013000"));
    }

    #[test]
    fn spanish_control_digits_match_published_example() {
        // ES91 2100 0418 45 0200051332: control digits "45".
        assert_eq!(es_control_digit("0021000418"), 4);
        assert_eq!(es_control_digit("0200051332"), 5);
    }

    #[test]
    fn french_rib_key_matches_published_example() {
        // FR76 3000 6000 0112 3456 7890 189: key 89.
        assert_eq!(fr_rib_key(30006, 1, 12345678901), 89);
    }
}
