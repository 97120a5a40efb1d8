//! Value validators: checksums and formats, byte-level and allocation-free where it matters.
//!
//! Each returns whether one value has the shape (and, where there is one, the check digit) of
//! an identifier. None of them keeps or reports the value.

/// Digits of `s`, skipping spaces and dashes; `None` when anything else appears or there are
/// more than `N` digits.
fn digits<const N: usize>(s: &str) -> Option<([u8; N], usize)> {
    let mut out = [0u8; N];
    let mut n = 0;
    for &b in s.as_bytes() {
        match b {
            b'0'..=b'9' => {
                if n == N {
                    return None;
                }
                out[n] = b - b'0';
                n += 1;
            }
            b' ' | b'-' => {}
            _ => return None,
        }
    }
    Some((out, n))
}

/// The Luhn (mod 10) check over digit values.
pub fn luhn(d: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, &x) in d.iter().rev().enumerate() {
        let mut v = x as u32;
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    !d.is_empty() && sum.is_multiple_of(10)
}

/// Whether the leading digits and length are those of a payment card network (IIN ranges of
/// Visa, Mastercard, Amex, Discover, JCB, Diners, Maestro, UnionPay).
fn card_iin(d: &[u8]) -> bool {
    let n = d.len();
    let p2 = d[0] as u32 * 10 + d[1] as u32;
    let p4 = p2 * 100 + d[2] as u32 * 10 + d[3] as u32;
    let p3 = p4 / 10;
    match d[0] {
        4 => n == 13 || n == 16 || n == 19,
        5 => {
            ((51..=55).contains(&p2) && n == 16)
                || ((p2 == 50 || p2 >= 56) && (12..=19).contains(&n))
        }
        2 if n == 15 => p4 == 2131,
        2 => (2221..=2720).contains(&p4) && n == 16,
        // JCB is 3528-3589 today; numbers from the rest of 35xx (older and test ranges)
        // are still read as cards: the column's share decides, not one number.
        3 => {
            ((p2 == 34 || p2 == 37) && n == 15)
                || (p2 == 35 && (16..=19).contains(&n))
                || (((300..=305).contains(&p3) || p2 == 36 || p2 == 38) && (14..=19).contains(&n))
        }
        // Discover, UnionPay and Maestro; Maestro numbers run from 12 to 19 digits.
        6 => (12..=19).contains(&n),
        // JCB's 15-digit ranges.
        1 => n == 15 && p4 == 1800,
        _ => false,
    }
}

/// A payment card number: 12–19 digits (spaces or dashes allowed), a card network's IIN and
/// length, and the Luhn check.
pub fn credit_card(s: &str) -> bool {
    if s.len() < 12 || s.len() > 23 {
        return false;
    }
    match digits::<19>(s) {
        Some((d, n)) if (12..=19).contains(&n) => card_iin(&d[..n]) && luhn(&d[..n]),
        _ => false,
    }
}

/// A GS1 key (EAN-8, UPC-A, EAN-13, GTIN-14): 8, 12, 13 or 14 digits, no separators, whose
/// last digit is the GS1 mod-10 check digit (weights 3 and 1 from the right).
pub fn gs1(s: &str) -> bool {
    let b = s.as_bytes();
    if !matches!(b.len(), 8 | 12 | 13 | 14) || !b.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let (body, check) = b.split_at(b.len() - 1);
    let sum: u32 = body
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &c)| u32::from(c - b'0') * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    (10 - sum % 10) % 10 == u32::from(check[0] - b'0')
}

/// An IMEI: 15 digits with the Luhn check (separators allowed).
pub fn imei(s: &str) -> bool {
    match digits::<15>(s) {
        Some((d, 15)) => luhn(&d),
        _ => false,
    }
}

/// The IBAN length of a country (ISO 13616 registry), or 0 when unknown.
fn iban_len(cc: [u8; 2]) -> usize {
    match &cc {
        b"NO" => 15,
        b"BE" => 16,
        b"DK" | b"FI" | b"FO" | b"GL" | b"NL" => 18,
        b"MK" | b"SI" => 19,
        b"AT" | b"BA" | b"EE" | b"KZ" | b"LT" | b"LU" | b"XK" => 20,
        b"CH" | b"CR" | b"HR" | b"LI" | b"LV" => 21,
        b"BG" | b"BH" | b"DE" | b"GB" | b"GE" | b"IE" | b"ME" | b"RS" => 22,
        b"AE" | b"GI" | b"IL" | b"TL" => 23,
        b"AD" | b"CZ" | b"ES" | b"MD" | b"PK" | b"RO" | b"SA" | b"SE" | b"SK" | b"TN" | b"VG" => 24,
        b"PT" | b"ST" => 25,
        b"IS" | b"TR" => 26,
        b"FR" | b"GR" | b"IT" | b"MC" | b"MR" | b"SM" => 27,
        b"AL" | b"AZ" | b"BY" | b"CY" | b"DO" | b"GT" | b"HU" | b"LB" | b"PL" | b"SV" => 28,
        b"BR" | b"EG" | b"PS" | b"QA" | b"UA" => 29,
        b"JO" | b"KW" | b"MU" => 30,
        b"MT" | b"SC" => 31,
        b"LC" => 32,
        _ => 0,
    }
}

/// An IBAN: country code, per-country length and the ISO 7064 mod-97 check (spaces allowed).
pub fn iban(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 15 || b.len() > 42 {
        return false;
    }
    let mut buf = [0u8; 34];
    let mut n = 0;
    for &c in b {
        if c == b' ' {
            continue;
        }
        if n == 34 || !c.is_ascii_alphanumeric() {
            return false;
        }
        buf[n] = c.to_ascii_uppercase();
        n += 1;
    }
    let a = &buf[..n];
    if !(a[0].is_ascii_uppercase()
        && a[1].is_ascii_uppercase()
        && a[2].is_ascii_digit()
        && a[3].is_ascii_digit())
        || iban_len([a[0], a[1]]) != n
    {
        return false;
    }
    mod97(a[4..].iter().chain(&a[..4])) == 1
}

/// ISO 7064 MOD 97-10 over upper-case letters (A = 10 … Z = 35) and digits.
fn mod97<'a>(chars: impl Iterator<Item = &'a u8>) -> u32 {
    chars.fold(0u32, |rem, &c| {
        if c.is_ascii_digit() {
            (rem * 10 + (c - b'0') as u32) % 97
        } else {
            (rem * 100 + (c.to_ascii_uppercase() - b'A') as u32 + 10) % 97
        }
    })
}

/// `country` + check digits + `bban`: the IBAN whose check digits are right. For test data
/// and benchmarks; `None` unless `country` is two letters and `bban` alphanumeric.
pub fn iban_with_check_digits(country: &str, bban: &str) -> Option<String> {
    let ok = country.len() == 2
        && country.bytes().all(|c| c.is_ascii_uppercase())
        && !bban.is_empty()
        && bban.bytes().all(|c| c.is_ascii_alphanumeric());
    ok.then(|| {
        let rem = mod97(
            bban.as_bytes()
                .iter()
                .chain(country.as_bytes())
                .chain(b"00"),
        );
        format!("{country}{:02}{bban}", 98 - rem)
    })
}

/// `body` followed by the digit that makes it pass Luhn. For test data and benchmarks;
/// `None` unless `body` is digits.
pub fn luhn_complete(body: &str) -> Option<String> {
    if body.is_empty() || !body.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut d: Vec<u8> = body.bytes().map(|b| b - b'0').collect();
    d.push(0);
    (0..10u8).find_map(|c| {
        if let Some(last) = d.last_mut() {
            *last = c;
        }
        luhn(&d).then(|| format!("{body}{c}"))
    })
}

/// A US Social Security number `AAA-GG-SSSS` (or 9 bare digits when `bare` is allowed): area
/// not 000, 666 or 9xx, group not 00, serial not 0000.
pub fn us_ssn(s: &str, bare: bool) -> bool {
    let b = s.as_bytes();
    let d: [u8; 9] = match b.len() {
        11 if b[3] == b'-' && b[6] == b'-' => {
            let mut d = [0u8; 9];
            for (i, &j) in [0, 1, 2, 4, 5, 7, 8, 9, 10].iter().enumerate() {
                if !b[j].is_ascii_digit() {
                    return false;
                }
                d[i] = b[j] - b'0';
            }
            d
        }
        9 if bare && b.iter().all(u8::is_ascii_digit) => {
            let mut d = [0u8; 9];
            for i in 0..9 {
                d[i] = b[i] - b'0';
            }
            d
        }
        _ => return false,
    };
    let area = d[0] as u32 * 100 + d[1] as u32 * 10 + d[2] as u32;
    let group = d[3] * 10 + d[4];
    let serial = d[5..].iter().fold(0u32, |a, &x| a * 10 + x as u32);
    area != 0 && area != 666 && area < 900 && group != 0 && serial != 0
}

/// A UK National Insurance number `QQ123456C` (spaces allowed), with the HMRC prefix rules.
pub fn uk_nino(s: &str) -> bool {
    let mut a = [0u8; 9];
    let mut n = 0;
    for &c in s.as_bytes() {
        if c == b' ' {
            continue;
        }
        if n == 9 {
            return false;
        }
        a[n] = c.to_ascii_uppercase();
        n += 1;
    }
    if n != 9 {
        return false;
    }
    let (p1, p2) = (a[0], a[1]);
    p1.is_ascii_uppercase()
        && p2.is_ascii_uppercase()
        && !b"DFIQUV".contains(&p1)
        && !b"DFIOQUV".contains(&p2)
        && !matches!(
            &a[..2],
            b"BG" | b"GB" | b"KN" | b"NK" | b"NT" | b"TN" | b"ZZ"
        )
        && a[2..8].iter().all(u8::is_ascii_digit)
        && (b'A'..=b'D').contains(&a[8])
}

/// A Dutch BSN: 9 digits (8 with a leading zero dropped) passing the 11-test.
pub fn nl_bsn(s: &str) -> bool {
    let b = s.as_bytes();
    if !(b.len() == 9 || b.len() == 8) || !b.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let mut d = [0u8; 9];
    let off = 9 - b.len();
    for (i, &c) in b.iter().enumerate() {
        d[off + i] = c - b'0';
    }
    let mut sum: i32 = 0;
    for (i, &x) in d[..8].iter().enumerate() {
        sum += (9 - i as i32) * x as i32;
    }
    sum -= d[8] as i32;
    sum != 0 && sum % 11 == 0
}

/// A French NIR (numéro de sécurité sociale): 13 digits + 2-digit key, `key = 97 - n mod 97`,
/// Corsican departments 2A/2B allowed; spaces allowed.
pub fn fr_nir(s: &str) -> bool {
    let mut a = [0u8; 15];
    let mut n = 0;
    for &c in s.as_bytes() {
        if c == b' ' {
            continue;
        }
        if n == 15 {
            return false;
        }
        a[n] = c.to_ascii_uppercase();
        n += 1;
    }
    if n != 15 || !matches!(a[0], b'1' | b'2' | b'3' | b'4' | b'7' | b'8') {
        return false;
    }
    // Corsica: 2A counts as 19, 2B as 18 in the key computation.
    let mut corsica: u64 = 0;
    if a[5] == b'2' && (a[6] == b'A' || a[6] == b'B') {
        corsica = if a[6] == b'A' { 1_000_000 } else { 2_000_000 };
        a[6] = b'0';
    }
    if !a.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let month = (a[3] - b'0') * 10 + (a[4] - b'0');
    if !(1..=12).contains(&month) && !(20..=42).contains(&month) && !(50..=99).contains(&month) {
        return false;
    }
    let num = a[..13]
        .iter()
        .fold(0u64, |x, &c| x * 10 + (c - b'0') as u64);
    let num = num.wrapping_sub(corsica);
    let key = (a[13] - b'0') as u64 * 10 + (a[14] - b'0') as u64;
    key == 97 - num % 97
}

const DNI_LETTERS: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";

/// A Spanish DNI (`12345678Z`) or NIE (`X1234567L`) with its control letter.
pub fn es_dni(s: &str) -> bool {
    let src = s.as_bytes();
    let mut a = [0u8; 9];
    let mut n = 0;
    for &c in src {
        if c == b'-' || c == b' ' {
            continue;
        }
        if n == 9 {
            return false;
        }
        a[n] = c.to_ascii_uppercase();
        n += 1;
    }
    if n != 9 {
        return false;
    }
    let lead = match a[0] {
        b'X' => 0,
        b'Y' => 1,
        b'Z' => 2,
        c if c.is_ascii_digit() => c - b'0',
        _ => return false,
    } as u32;
    if !a[1..8].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let num = a[1..8]
        .iter()
        .fold(lead, |x, &c| x * 10 + (c - b'0') as u32);
    DNI_LETTERS[(num % 23) as usize] == a[8]
}

/// An Italian Codice Fiscale: 16 characters `LLLLLLDDLDDLDDDL` (digits may be replaced by the
/// omocodia letters) with its check character.
pub fn it_codice_fiscale(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 16 {
        return false;
    }
    const ODD: [u32; 36] = [
        1, 0, 5, 7, 9, 13, 15, 17, 19, 21, // 0-9
        1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24,
        23, // A-Z
    ];
    let mut sum = 0u32;
    for (i, &c) in b[..15].iter().enumerate() {
        let c = c.to_ascii_uppercase();
        let letter_pos = matches!(i, 0..=5 | 8 | 11);
        let idx = if c.is_ascii_digit() {
            if letter_pos {
                return false;
            }
            (c - b'0') as usize
        } else if c.is_ascii_uppercase() {
            // In digit positions only the omocodia letters LMNPQRSTUV may stand for digits.
            if !letter_pos && !b"LMNPQRSTUV".contains(&c) {
                return false;
            }
            (c - b'A') as usize + 10
        } else {
            return false;
        };
        // Positions are 1-based in the specification: odd positions are i = 0, 2, 4, ...
        sum += if i % 2 == 0 {
            ODD[idx]
        } else if idx < 10 {
            idx as u32
        } else {
            (idx - 10) as u32
        };
    }
    let check = b'A' + (sum % 26) as u8;
    b[15].to_ascii_uppercase() == check
}

/// A Polish PESEL: 11 digits, a valid month (with its century offset) and day, and the
/// weighted checksum.
pub fn pl_pesel(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 11 || !b.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let d: Vec<u32> = b.iter().map(|&c| (c - b'0') as u32).collect();
    let month = d[2] * 10 + d[3];
    let day = d[4] * 10 + d[5];
    if month.is_multiple_of(20) || month % 20 > 12 || day == 0 || day > 31 {
        return false;
    }
    const W: [u32; 10] = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
    let sum: u32 = W.iter().zip(&d).map(|(w, x)| w * x).sum();
    (10 - sum % 10) % 10 == d[10]
}

/// A German Steuer-Identifikationsnummer: 11 digits, no leading zero, among the first ten one
/// digit appearing two or three times, and the ISO 7064 MOD 11,10 check digit.
pub fn de_steuer_id(s: &str) -> bool {
    let (d, n) = match digits::<11>(s) {
        Some(x) => x,
        None => return false,
    };
    if n != 11 || d[0] == 0 || s.len() > 14 {
        return false;
    }
    let mut counts = [0u8; 10];
    for &x in &d[..10] {
        counts[x as usize] += 1;
    }
    let repeated = counts.iter().filter(|&&c| c >= 2).count();
    let max = counts.iter().copied().max().unwrap_or(0);
    if repeated != 1 || max > 3 {
        return false;
    }
    steuer_check_digit(&d[..10]) == d[10]
}

/// ISO 7064 MOD 11,10 check digit of the Steuer-ID.
pub fn steuer_check_digit(d: &[u8]) -> u8 {
    let mut product = 10u32;
    for &x in d {
        let mut sum = (x as u32 + product) % 10;
        if sum == 0 {
            sum = 10;
        }
        product = (sum * 2) % 11;
    }
    let check = 11 - product;
    if check == 10 { 0 } else { check as u8 }
}

const VIN_WEIGHTS: [u32; 17] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

fn vin_value(c: u8) -> Option<u32> {
    Some(match c {
        b'0'..=b'9' => (c - b'0') as u32,
        b'A' | b'J' => 1,
        b'B' | b'K' | b'S' => 2,
        b'C' | b'L' | b'T' => 3,
        b'D' | b'M' | b'U' => 4,
        b'E' | b'N' | b'V' => 5,
        b'F' | b'W' => 6,
        b'G' | b'P' | b'X' => 7,
        b'H' | b'Y' => 8,
        b'R' | b'Z' => 9,
        _ => return None, // I, O, Q and anything else
    })
}

/// VIN shape: 17 characters of the VIN alphabet (no I, O, Q), with letters and digits.
/// Returns `Some(check_digit_ok)` for a VIN shape, `None` otherwise.
pub fn vin(s: &str) -> Option<bool> {
    let b = s.as_bytes();
    if b.len() != 17 {
        return None;
    }
    let mut sum = 0;
    let mut letters = 0;
    let mut digits = 0;
    for (i, &c) in b.iter().enumerate() {
        let c = c.to_ascii_uppercase();
        let v = vin_value(c)?;
        if c.is_ascii_digit() {
            digits += 1;
        } else {
            letters += 1;
        }
        sum += v * VIN_WEIGHTS[i];
    }
    // The last four characters of a VIN are digits (ISO 3779's serial number), and hex-only
    // strings are ids, not VINs.
    if letters == 0 || digits < 4 || !b[13..].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let r = sum % 11;
    let expected = if r == 10 { b'X' } else { b'0' + r as u8 };
    Some(b[8].to_ascii_uppercase() == expected)
}

// Sorted, for a binary search: this runs for every three-letter value sampled.
const CURRENCIES: &[&str] = &[
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD",
    "CDF", "CHF", "CLP", "CNY", "COP", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD",
    "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ",
    "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD",
    "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR",
    "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR",
    "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN",
    "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR",
    "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB",
    "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS",
    "VED", "VES", "VND", "VUV", "WST", "XAF", "XAG", "XAU", "XCD", "XDR", "XOF", "XPD", "XPF",
    "XPT", "YER", "ZAR", "ZMW", "ZWG",
];

/// An ISO 4217 currency code in capitals (`EUR`, `USD`, `PLN`): active codes, and the
/// precious metals and funds codes a ledger may hold.
pub fn currency_code(s: &str) -> bool {
    s.len() == 3
        && s.bytes().all(|c| c.is_ascii_uppercase())
        && CURRENCIES.binary_search(&s).is_ok()
}

/// A syntactically plausible email address (one `@`, a dotted domain with an alphabetic TLD).
pub fn email(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 6 || b.len() > 254 {
        return false;
    }
    let at = match memchr(b'@', b) {
        Some(i) => i,
        None => return false,
    };
    let (local, domain) = (&b[..at], &b[at + 1..]);
    if local.is_empty() || local.len() > 64 || domain.len() < 4 {
        return false;
    }
    if !local
        .iter()
        .all(|&c| c.is_ascii_alphanumeric() || b".!#$%&'*+/=?^_`{|}~-".contains(&c) || c >= 0x80)
        || local[0] == b'.'
        || local[local.len() - 1] == b'.'
    {
        return false;
    }
    let mut last_dot = None;
    for (i, &c) in domain.iter().enumerate() {
        match c {
            b'.' => {
                if i == 0 || domain[i - 1] == b'.' {
                    return false;
                }
                last_dot = Some(i);
            }
            b'-' => {}
            c if c.is_ascii_alphanumeric() || c >= 0x80 => {}
            _ => return false,
        }
    }
    match last_dot {
        Some(i) => {
            let tld = &domain[i + 1..];
            tld.len() >= 2 && tld.iter().all(|c| c.is_ascii_alphabetic() || *c >= 0x80)
        }
        None => false,
    }
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&c| c == needle)
}

/// An IPv4 or IPv6 address.
pub fn ip(s: &str) -> bool {
    // PostgreSQL's `inet::text` writes a host's prefix length (`10.1.2.3/32`); a network
    // (`10.0.0.0/8`) is nobody's address.
    let s = s
        .strip_suffix("/32")
        .filter(|h| !h.contains(':'))
        .or_else(|| s.strip_suffix("/128").filter(|h| h.contains(':')))
        .unwrap_or(s);
    let b = s.as_bytes();
    if b.len() < 2 || b.len() > 45 {
        return false;
    }
    // Cheap pre-filter: only hex digits, dots, colons (and % for zones).
    if !b
        .iter()
        .all(|c| c.is_ascii_hexdigit() || *c == b'.' || *c == b':')
    {
        return false;
    }
    if memchr(b':', b).is_some() {
        s.parse::<std::net::Ipv6Addr>().is_ok()
    } else {
        s.parse::<std::net::Ipv4Addr>().is_ok()
    }
}

/// A MAC address: `aa:bb:cc:dd:ee:ff`, `aa-bb-…` or Cisco `aabb.ccdd.eeff`.
pub fn mac(s: &str) -> bool {
    let b = s.as_bytes();
    match b.len() {
        17 => {
            let sep = b[2];
            (sep == b':' || sep == b'-')
                && b.iter().enumerate().all(|(i, &c)| {
                    if i % 3 == 2 {
                        c == sep
                    } else {
                        c.is_ascii_hexdigit()
                    }
                })
        }
        14 => b.iter().enumerate().all(|(i, &c)| {
            if i % 5 == 4 {
                c == b'.'
            } else {
                c.is_ascii_hexdigit()
            }
        }),
        _ => false,
    }
}

/// A UUID in its canonical 8-4-4-4-12 form.
pub fn uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                c == b'-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

/// A hex digest of an MD5, SHA-1 or SHA-256 length.
pub fn hex_hash(s: &str) -> bool {
    let b = s.as_bytes();
    matches!(b.len(), 32 | 40 | 64 | 128) && b.iter().all(u8::is_ascii_hexdigit)
}

/// A password hash in modular crypt or PHC format (bcrypt, argon2, scrypt, pbkdf2, sha-crypt).
pub fn password_hash(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 20 || b[0] != b'$' {
        return false;
    }
    (b.len() == 60 && (s.starts_with("$2a$") || s.starts_with("$2b$") || s.starts_with("$2y$")))
        || s.starts_with("$argon2")
        || s.starts_with("$scrypt$")
        || s.starts_with("$s0$")
        || s.starts_with("$pbkdf2")
        || s.starts_with("$5$")
        || s.starts_with("$6$")
        || s.starts_with("$1$")
}

/// An ICD-10 code (`E11`, `E11.9`, `J45.909`, `F32.A`).
pub fn icd10(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 3 || b.len() > 8 {
        return false;
    }
    let c0 = b[0].to_ascii_uppercase();
    if !c0.is_ascii_uppercase() || c0 == b'U' || !b[1].is_ascii_digit() {
        return false;
    }
    if !(b[2].is_ascii_digit() || b[2] == b'A' || b[2] == b'B') {
        return false;
    }
    match b.len() {
        3 => true,
        4 => false,
        _ => {
            b[3] == b'.'
                && b[4..]
                    .iter()
                    .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        }
    }
}

/// A genotype call: `AG`, `CT`, `A/G`, `--` style SNP pair, or an rs id (`rs12345`).
pub fn genotype(s: &str) -> bool {
    let b = s.as_bytes();
    let base = |c: u8| matches!(c, b'A' | b'C' | b'G' | b'T');
    match b.len() {
        2 => base(b[0]) && base(b[1]),
        3 => base(b[0]) && b[1] == b'/' && base(b[2]),
        _ => {
            b.len() >= 4
                && b.len() <= 14
                && (b[0] == b'r' || b[0] == b'R')
                && (b[1] == b's' || b[1] == b'S')
                && b[2..].iter().all(u8::is_ascii_digit)
        }
    }
}

/// Gene symbols that genetic test results name (`BRCA1 c.68_69delAG`, `MTHFR C677T`).
const GENES: &[&str] = &[
    "BRCA1", "BRCA2", "CFTR", "MTHFR", "APOE", "HFE", "TP53", "LCT", "CYP2C19", "CYP2D6", "CYP2C9",
    "VKORC1", "SLCO1B1", "TPMT", "DPYD", "FMR1", "HTT", "SMN1", "PALB2", "MLH1", "MSH2", "MSH6",
    "PMS2", "APC", "KRAS", "EGFR", "ATM", "CHEK2", "LDLR", "PCSK9", "HBB", "G6PD", "F5", "F2",
    "ACTN3", "FTO", "COMT", "OXTR",
];

/// One token of genetic notation: an rs-id (`rs6025`), optionally with its genotype
/// (`rs4680:AG`), an HGVS variant (`c.3541delAG`, `p.Gly12Asp`), an HLA allele
/// (`HLA-B*57:01`), an APOE allele pair (`ε3/ε4`), a gene symbol or a point mutation next to
/// one (`C677T`, `F508del`).
pub fn genetic_token(t: &str) -> bool {
    let b = t.as_bytes();
    if b.len() >= 4 && (b[0] | 0x20) == b'r' && (b[1] | 0x20) == b's' && b[2].is_ascii_digit() {
        let digits = b[2..].iter().take_while(|c| c.is_ascii_digit()).count();
        let rest = &t[2 + digits..];
        return digits >= 2
            && (rest.is_empty()
                || rest
                    .strip_prefix(':')
                    .or_else(|| rest.strip_prefix('='))
                    .is_some_and(|g| {
                        !g.is_empty() && g.len() <= 3 && g.bytes().all(|c| b"ACGT/-".contains(&c))
                    }));
    }
    if let Some(v) = t
        .strip_prefix("c.")
        .or_else(|| t.strip_prefix("p."))
        .or_else(|| t.strip_prefix("g."))
    {
        return v.len() >= 3
            && v.bytes().any(|c| c.is_ascii_digit())
            && (v.contains("del")
                || v.contains("dup")
                || v.contains("ins")
                || v.contains('>')
                || v.as_bytes()[0].is_ascii_uppercase());
    }
    if t.starts_with("HLA-") && t.contains('*') {
        return true;
    }
    if t.starts_with('ε') && t.contains('/') {
        return true;
    }
    GENES.contains(&t)
}

/// A value written in genetic notation: a genotype, an rs-id list (`rs4680:AG; rs334:TT`), or
/// a test result naming a gene and its variant (`CFTR F508del heterozygous`).
pub fn genetic_notation(s: &str) -> bool {
    if genotype(s) {
        return true;
    }
    let mut tokens = 0;
    let mut genetic = 0;
    for t in s.split(|c: char| c.is_whitespace() || matches!(c, ';' | ',' | '(' | ')' | '|')) {
        if t.is_empty() {
            continue;
        }
        tokens += 1;
        if genetic_token(t) {
            genetic += 1;
        }
    }
    genetic > 0 && tokens <= 3 * genetic + 3
}

/// A biometric template: base64 of an ISO/IEC 19794 or ANSI 378 record (its `FMR`, `FIR`,
/// `IIR`, `FAC` magic), or a long hex blob of 1024 bits or more, longer than any digest.
pub fn biometric_template(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() >= 64
        && ["Rk1SA", "RklSA", "SUlSA", "RkFDA"]
            .iter()
            .any(|m| s.starts_with(m))
    {
        return b
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'='));
    }
    b.len() >= 256 && b.len().is_multiple_of(2) && b.iter().all(u8::is_ascii_hexdigit)
}

/// A nucleotide sequence of at least 20 bases (ACGT/U/N).
pub fn dna_sequence(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 20
        && b.iter().all(|c| {
            matches!(
                c,
                b'A' | b'C' | b'G' | b'T' | b'U' | b'N' | b'a' | b'c' | b'g' | b't'
            )
        })
}

/// A vector embedding: a JSON/pgvector array of at least 32 numbers, or base64 of at least 32
/// little-endian f32s that are finite and small.
pub fn embedding(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 64 {
        return false;
    }
    if b[0] == b'[' || b[0] == b'{' {
        let commas = b.iter().filter(|&&c| c == b',').count();
        if commas < 31 {
            return false;
        }
        let inner = s[1..].trim_end_matches([']', '}']);
        return inner
            .split(',')
            .take(8)
            .all(|x| x.trim().parse::<f32>().is_ok_and(f32::is_finite));
    }
    base64_floats(b)
}

fn b64_value(c: u8) -> Option<u32> {
    Some(match c {
        b'A'..=b'Z' => (c - b'A') as u32,
        b'a'..=b'z' => (c - b'a') as u32 + 26,
        b'0'..=b'9' => (c - b'0') as u32 + 52,
        b'+' | b'-' => 62,
        b'/' | b'_' => 63,
        _ => return None,
    })
}

fn base64_floats(b: &[u8]) -> bool {
    let body = b
        .strip_suffix(b"==")
        .or_else(|| b.strip_suffix(b"="))
        .unwrap_or(b);
    if body.len() < 172 {
        return false;
    }
    // Decode the first 64 bytes (16 floats) and check they look like vector components.
    let mut bytes = Vec::with_capacity(66);
    for chunk in body.chunks(4).take(22) {
        if chunk.len() < 4 {
            break;
        }
        let mut v = 0u32;
        for &c in chunk {
            v = (v << 6) | b64_value(c).map_or(u32::MAX, |x| x);
            if v == u32::MAX {
                return false;
            }
        }
        bytes.extend_from_slice(&[(v >> 16) as u8, (v >> 8) as u8, v as u8]);
    }
    if !body.iter().all(|&c| b64_value(c).is_some()) {
        return false;
    }
    let floats: Vec<f32> = bytes
        .chunks_exact(4)
        .take(16)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    // Text encoded as base64 decodes to printable bytes; float mantissas are noise.
    let printable = bytes.iter().filter(|b| (0x20..0x7f).contains(*b)).count();
    floats.len() == 16
        && printable * 10 < bytes.len() * 7
        && floats.iter().all(|x| x.is_finite() && x.abs() < 1000.0)
        && floats.iter().filter(|x| x.abs() > 1e-6).count() >= 12
}

/// A UK postcode (`SW1A 1AA`, `M1 1AE`, `EC1A1BB`).
pub fn uk_postcode(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 5 || b.len() > 8 {
        return false;
    }
    let compact: Vec<u8> = b
        .iter()
        .filter(|&&c| c != b' ')
        .map(u8::to_ascii_uppercase)
        .collect();
    let n = compact.len();
    if !(5..=7).contains(&n) {
        return false;
    }
    // Inward code: digit + two letters.
    let inward = &compact[n - 3..];
    if !(inward[0].is_ascii_digit()
        && inward[1].is_ascii_uppercase()
        && inward[2].is_ascii_uppercase())
    {
        return false;
    }
    let out = &compact[..n - 3];
    out[0].is_ascii_uppercase()
        && out.iter().any(u8::is_ascii_digit)
        && out.iter().all(u8::is_ascii_alphanumeric)
        && match out.len() {
            2 => out[1].is_ascii_digit(),
            3 => out[1].is_ascii_alphanumeric() && (out[2].is_ascii_alphanumeric()),
            4 => out[1].is_ascii_uppercase() && out[2].is_ascii_digit(),
            _ => false,
        }
}

/// A Dutch postcode `1234 AB`.
pub fn nl_postcode(s: &str) -> bool {
    let b = s.as_bytes();
    let (d, l) = match b.len() {
        7 if b[4] == b' ' => (&b[..4], &b[5..]),
        6 => (&b[..4], &b[4..]),
        _ => return false,
    };
    d[0] != b'0' && d.iter().all(u8::is_ascii_digit) && l.iter().all(u8::is_ascii_uppercase)
}

/// A Polish postcode `12-345`.
pub fn pl_postcode(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 6
        && b[2] == b'-'
        && b[..2].iter().all(u8::is_ascii_digit)
        && b[3..].iter().all(u8::is_ascii_digit)
}

/// A US ZIP+4 `12345-6789`.
pub fn us_zip4(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[5] == b'-'
        && b[..5].iter().all(u8::is_ascii_digit)
        && b[6..].iter().all(u8::is_ascii_digit)
}

/// Four or five digits (US, DE, FR, ES, IT postcodes; NL/BE/AT without letters): only with a
/// name cue, since such numbers are everywhere.
pub fn numeric_postcode(s: &str) -> bool {
    let b = s.as_bytes();
    (b.len() == 5 || b.len() == 4) && b.iter().all(u8::is_ascii_digit)
}

/// A geohash of 5–12 characters (base32 without a, i, l, o).
pub fn geohash(s: &str) -> bool {
    let b = s.as_bytes();
    (5..=12).contains(&b.len())
        && b.iter().all(
            |c| matches!(c, b'0'..=b'9' | b'b'..=b'h' | b'j' | b'k' | b'm' | b'n' | b'p'..=b'z'),
        )
}

/// A `lat,lon` pair (or `lat lon`, `POINT(lon lat)`), both in range with decimals.
pub fn lat_lon_pair(s: &str) -> bool {
    let t = s.trim();
    let (t, swapped) = match t
        .strip_prefix("POINT(")
        .or_else(|| t.strip_prefix("POINT ("))
        .and_then(|x| x.strip_suffix(')'))
    {
        Some(inner) => (inner, true),
        None => (t, false),
    };
    let mut parts = t.split([',', ' ', ';']).filter(|p| !p.is_empty());
    let (a, b) = match (parts.next(), parts.next(), parts.next()) {
        (Some(a), Some(b), None) => (a, b),
        _ => return false,
    };
    if !a.contains('.') || !b.contains('.') {
        return false;
    }
    let (lat, lon) = match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) if swapped => (y, x),
        (Ok(x), Ok(y)) => (x, y),
        _ => return false,
    };
    lat.abs() <= 90.0 && lon.abs() <= 180.0
}

/// A licence plate shape: 4–10 letters and digits (both present), with optional `-`/space.
pub fn licence_plate(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 4 || b.len() > 12 {
        return false;
    }
    let mut letters = 0;
    let mut digits = 0;
    for &c in b {
        if c.is_ascii_uppercase() {
            letters += 1;
        } else if c.is_ascii_digit() {
            digits += 1;
        } else if !matches!(c, b'-' | b' ' | b'.') {
            return false;
        }
    }
    letters > 0 && digits > 0 && (4..=10).contains(&(letters + digits))
}

/// A date at the start of the value: `YYYY-MM-DD`, `YYYY/MM/DD`, `DD.MM.YYYY`, `DD/MM/YYYY`,
/// `MM/DD/YYYY`, `DD-MM-YYYY`; returns (year, month, day, has_nonzero_time).
pub fn date(s: &str) -> Option<(u16, u8, u8, bool)> {
    let b = s.as_bytes();
    if b.len() < 8 {
        return None;
    }
    let num = |x: &[u8]| -> Option<u32> {
        if x.is_empty() || !x.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(x.iter().fold(0u32, |a, &c| a * 10 + (c - b'0') as u32))
    };
    let (y, m, d, rest) = if b.len() >= 10 && matches!(b[4], b'-' | b'/') && b[7] == b[4] {
        (num(&b[..4])?, num(&b[5..7])?, num(&b[8..10])?, &b[10..])
    } else if b.len() >= 10 && matches!(b[2], b'.' | b'/' | b'-') && b[5] == b[2] {
        let (p, q) = (num(&b[..2])?, num(&b[3..5])?);
        let y = num(&b[6..10])?;
        // Day-first unless that is impossible (US month-first).
        if q <= 12 {
            (y, q, p, &b[10..])
        } else {
            (y, p, q, &b[10..])
        }
    } else if b.len() == 8 && b.iter().all(u8::is_ascii_digit) {
        (num(&b[..4])?, num(&b[4..6])?, num(&b[6..8])?, &b[8..])
    } else {
        return None;
    };
    if !(1800..=2200).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let has_time = rest.len() > 1
        && matches!(rest[0], b' ' | b'T')
        && rest[1..].iter().any(|c| (b'1'..=b'9').contains(c));
    Some((y as u16, m as u8, d as u8, has_time))
}

/// Digits of `s` with the given separators skipped, when there are exactly `N`.
fn exact_digits<const N: usize>(s: &str, seps: &[u8]) -> Option<[u8; N]> {
    let mut out = [0u8; N];
    let mut n = 0;
    for &c in s.as_bytes() {
        if c.is_ascii_digit() {
            *out.get_mut(n)? = c - b'0';
            n += 1;
        } else if !seps.contains(&c) {
            return None;
        }
    }
    (n == N).then_some(out)
}

fn num(d: &[u8]) -> u32 {
    d.iter().fold(0, |a, &x| a * 10 + u32::from(x))
}

/// A day and month that exist in some year (29 February allowed).
fn day_month(day: u32, month: u32) -> bool {
    const DAYS: [u32; 12] = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    (1..=12).contains(&month) && day >= 1 && day <= DAYS[month as usize - 1]
}

/// A Swedish personnummer (or samordningsnummer, day + 60): `YYMMDD-NNNC`, `YYMMDD+NNNC`,
/// `YYYYMMDDNNNC` or 10 bare digits; the Luhn check over the last ten digits.
pub fn se_personnummer(s: &str) -> bool {
    let b = s.as_bytes();
    let ten: [u8; 10] = match b.len() {
        11 if matches!(b[6], b'-' | b'+') => match exact_digits::<10>(s, b"-+") {
            Some(d) => d,
            None => return false,
        },
        10 => match exact_digits::<10>(s, b"") {
            Some(d) => d,
            None => return false,
        },
        12 | 13 => match (b.len() == 12 || matches!(b[8], b'-' | b'+'))
            .then(|| exact_digits::<12>(s, b"-+"))
            .flatten()
        {
            Some(d) if (18..=20).contains(&num(&d[..2])) => {
                let mut t = [0u8; 10];
                t.copy_from_slice(&d[2..]);
                t
            }
            _ => return false,
        },
        _ => return false,
    };
    let day = num(&ten[4..6]);
    day_month(if day > 60 { day - 60 } else { day }, num(&ten[2..4])) && luhn(&ten)
}

/// A Danish CPR number `DDMMYY-SSSS` (the dash required: since 2007 there is no check
/// digit, so only the birth date and the shape speak).
pub fn dk_cpr(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 11
        && b[6] == b'-'
        && exact_digits::<10>(s, b"-").is_some_and(|d| day_month(num(&d[..2]), num(&d[2..4])))
}

/// A Norwegian fødselsnummer (or D-number, day + 40): 11 digits `DDMMYYIIIKK` with two
/// mod-11 check digits.
pub fn no_fodselsnummer(s: &str) -> bool {
    let Some(d) = exact_digits::<11>(s, b" ") else {
        return false;
    };
    let day = num(&d[..2]);
    let month = num(&d[2..4]);
    let day = if day > 40 { day - 40 } else { day };
    let month = if month > 40 { month - 40 } else { month };
    if !day_month(day, month) {
        return false;
    }
    let check = |w: &[u32], digits: &[u8]| -> Option<u8> {
        let sum: u32 = w.iter().zip(digits).map(|(w, &x)| w * u32::from(x)).sum();
        match 11 - sum % 11 {
            11 => Some(0),
            10 => None,
            k => Some(k as u8),
        }
    };
    check(&[3, 7, 6, 1, 8, 9, 4, 5, 2], &d[..9]) == Some(d[9])
        && check(&[5, 4, 3, 2, 7, 6, 5, 4, 3, 2], &d[..10]) == Some(d[10])
}

/// A Finnish henkilötunnus `DDMMYYCZZZQ`: a century sign (`+`, `-`, `A`–`F`, `U`–`Y`), and
/// the mod-31 check character over the nine digits.
pub fn fi_hetu(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 11 || !b"+-ABCDEFUVWXY".contains(&b[6].to_ascii_uppercase()) {
        return false;
    }
    let mut d = [0u8; 9];
    for (i, &j) in [0, 1, 2, 3, 4, 5, 7, 8, 9].iter().enumerate() {
        if !b[j].is_ascii_digit() {
            return false;
        }
        d[i] = b[j] - b'0';
    }
    if !day_month(num(&d[..2]), num(&d[2..4])) {
        return false;
    }
    const CHECK: &[u8; 31] = b"0123456789ABCDEFHJKLMNPRSTUVWXY";
    CHECK[(num(&d) % 31) as usize] == b[10].to_ascii_uppercase()
}

/// The document number of a Portuguese Cartão de Cidadão (`71455769 2 ZX5`): the civil
/// number, its check digit, two letters of the card's version and a check character, mod 10
/// over all twelve with every second from the right doubled (letters A=10 … Z=35).
pub fn pt_cartao_cidadao(s: &str) -> bool {
    let c: Vec<u8> = s.bytes().filter(|b| *b != b' ' && *b != b'-').collect();
    if c.len() != 12
        || !c[..9].iter().all(u8::is_ascii_digit)
        || !c[9..11].iter().all(u8::is_ascii_alphabetic)
        || !c[11].is_ascii_alphanumeric()
    {
        return false;
    }
    let mut sum = 0u32;
    for (i, b) in c.iter().rev().enumerate() {
        let mut v = match b {
            b'0'..=b'9' => u32::from(b - b'0'),
            _ => u32::from(b.to_ascii_uppercase() - b'A') + 10,
        };
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum.is_multiple_of(10)
}

/// A Portuguese NIF (número de identificação fiscal) of a person: 9 digits starting with 1,
/// 2 or 3 (45 for non-residents), mod-11 check digit.
pub fn pt_nif(s: &str) -> bool {
    let Some(d) = exact_digits::<9>(s, b" ") else {
        return false;
    };
    if !matches!(d[0], 1..=3) && num(&d[..2]) != 45 {
        return false;
    }
    let sum: u32 = d[..8]
        .iter()
        .enumerate()
        .map(|(i, &x)| (9 - i as u32) * u32::from(x))
        .sum();
    let check = match 11 - sum % 11 {
        10 | 11 => 0,
        k => k,
    };
    check == u32::from(d[8])
}

/// A Brazilian CPF: 11 digits (`123.456.789-09` or bare), two mod-11 check digits, not all
/// one digit.
pub fn br_cpf(s: &str) -> bool {
    let Some(d) = exact_digits::<11>(s, b".-") else {
        return false;
    };
    if d.iter().all(|&x| x == d[0]) {
        return false;
    }
    let check = |n: usize| -> u8 {
        let sum: u32 = d[..n]
            .iter()
            .enumerate()
            .map(|(i, &x)| (n as u32 + 1 - i as u32) * u32::from(x))
            .sum();
        ((sum * 10) % 11 % 10) as u8
    };
    check(9) == d[9] && check(10) == d[10]
}

/// A Belgian national register number `YY.MM.DD-SSS.CC` (or 11 bare digits): a birth date
/// (month and day may be 0 when unknown) and `97 - n mod 97` over the first nine digits,
/// with a leading 2 for births from 2000.
pub fn be_national_number(s: &str) -> bool {
    let Some(d) = exact_digits::<11>(s, b".- ") else {
        return false;
    };
    let (month, day) = (num(&d[2..4]), num(&d[4..6]));
    if month > 12 || day > 31 {
        return false;
    }
    let body = u64::from(num(&d[..9]));
    let check = u64::from(num(&d[9..]));
    97 - body % 97 == check || 97 - (2_000_000_000 + body) % 97 == check
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Appends the Luhn check digit to `body`.
    fn with_luhn(body: &str) -> String {
        for c in 0..10 {
            let s = format!("{body}{c}");
            let d: Vec<u8> = s.bytes().map(|b| b - b'0').collect();
            if luhn(&d) {
                return s;
            }
        }
        unreachable!()
    }

    #[test]
    fn currency_codes_are_looked_up_in_a_sorted_list() {
        assert!(CURRENCIES.is_sorted());
        for c in ["AED", "EUR", "PLN", "USD", "ZWG"] {
            assert!(currency_code(c), "{c}");
        }
        for c in ["eur", "EUX", "DE", "EURO", "USA"] {
            assert!(!currency_code(c), "{c}");
        }
    }

    #[test]
    fn check_digits_are_completed() {
        assert_eq!(luhn_complete("7992739871").as_deref(), Some("79927398713"));
        assert_eq!(luhn_complete("12a"), None);
        assert_eq!(
            iban_with_check_digits("DE", "370400440532013000").as_deref(),
            Some("DE89370400440532013000")
        );
        assert_eq!(
            iban_with_check_digits("GB", "WEST12345698765432").as_deref(),
            Some("GB82WEST12345698765432")
        );
        assert_eq!(iban_with_check_digits("de", "1"), None);
    }

    #[test]
    fn credit_cards_need_luhn_and_a_network_prefix() {
        assert!(credit_card("4111111111111111"));
        assert!(credit_card("4111 1111 1111 1111"));
        assert!(credit_card("5555-5555-5555-4444"));
        assert!(credit_card("378282246310005"));
        assert!(credit_card("6011111111111117"));
        assert!(credit_card(&with_luhn("222100000000000")));
        assert!(!credit_card("4111111111111112"), "bad check digit");
        // Luhn-valid but no card network starts with 9 or 1.
        assert!(!credit_card(&with_luhn("912345678901234")));
        assert!(!credit_card(&with_luhn("123456789012345")));
        assert!(!credit_card("4111-1111-1111-111a"));
        assert!(!credit_card("411111111111"));
    }

    #[test]
    fn imei_is_15_digits_with_luhn() {
        assert!(imei("490154203237518"));
        assert!(!imei("490154203237519"));
        assert!(!imei("49015420323751"));
    }

    #[test]
    fn iban_checks_country_length_and_mod97() {
        assert!(iban("DE89370400440532013000"));
        assert!(iban("GB82 WEST 1234 5698 7654 32"));
        assert!(iban("NL91ABNA0417164300"));
        assert!(iban("FR1420041010050500013M02606"));
        // GS1: a real EAN-13 (4006381333931), UPC-A (036000291452), EAN-8 (96385074).
        assert!(gs1("4006381333931"));
        assert!(gs1("036000291452"));
        assert!(gs1("96385074"));
        assert!(!gs1("4006381333932"));
        assert!(!gs1("4006-381333931"));
        assert!(iban("ES9121000418450200051332"));
        assert!(iban("IT60X0542811101000000123456"));
        assert!(iban("PL61109010140000071219812874"));
        assert!(!iban("DE89370400440532013001"), "bad checksum");
        assert!(!iban("DE8937040044053201300"), "wrong length for DE");
        assert!(!iban("XX89370400440532013000"), "unknown country");
    }

    #[test]
    fn ssn_rules() {
        assert!(us_ssn("123-45-6789", false));
        assert!(!us_ssn("000-45-6789", false));
        assert!(!us_ssn("666-45-6789", false));
        assert!(!us_ssn("900-45-6789", false));
        assert!(!us_ssn("123-00-6789", false));
        assert!(!us_ssn("123-45-0000", false));
        assert!(!us_ssn("123456789", false));
        assert!(us_ssn("123456789", true));
    }

    #[test]
    fn nino_rules() {
        assert!(uk_nino("AB123456C"));
        assert!(uk_nino("AB 12 34 56 C"));
        assert!(!uk_nino("GB123456C"));
        assert!(!uk_nino("DA123456C"));
        assert!(!uk_nino("AB123456E"));
        assert!(!uk_nino("AB12345C"));
    }

    #[test]
    fn bsn_eleven_test() {
        assert!(nl_bsn("111222333"));
        assert!(nl_bsn("123456782"));
        assert!(!nl_bsn("123456789"));
        assert!(!nl_bsn("000000000"));
    }

    #[test]
    fn nir_key() {
        // 1 85 05 78 006 084, key = 97 - (1850578006084 mod 97)
        let body = 1_850_578_006_084u64;
        let key = 97 - body % 97;
        assert!(fr_nir(&format!("{body}{key:02}")));
        assert!(!fr_nir(&format!("{body}{:02}", (key % 97) + 1)));
        assert!(!fr_nir("185057800608"));
        // Corsica: department 2A counts as 19 in the key.
        let corse = format!(
            "285022A006084{:02}",
            97 - (2_850_220_006_084u64 - 1_000_000) % 97
        );
        assert!(fr_nir(&corse));
    }

    #[test]
    fn dni_and_nie_letters() {
        assert!(es_dni("12345678Z"));
        assert!(es_dni("X1234567L"));
        assert!(!es_dni("12345678A"));
        assert!(!es_dni("1234567Z"));
    }

    #[test]
    fn codice_fiscale_check_character() {
        assert!(it_codice_fiscale("RSSMRA85T10A562S"));
        assert!(!it_codice_fiscale("RSSMRA85T10A562T"));
        assert!(!it_codice_fiscale("RSSMRA85T10A56"));
        assert!(!it_codice_fiscale("1SSMRA85T10A562S"));
    }

    #[test]
    fn pesel_checksum_and_date() {
        assert!(pl_pesel("44051401359"));
        assert!(pl_pesel("02070803628"));
        assert!(!pl_pesel("44051401358"));
        assert!(!pl_pesel("44151401359"), "month 15 is no month");
    }

    #[test]
    fn steuer_id_check_digit() {
        let body = [8u8, 6, 0, 9, 5, 7, 4, 2, 7, 1];
        let c = steuer_check_digit(&body);
        let s: String = body
            .iter()
            .chain(&[c])
            .map(|d| (b'0' + d) as char)
            .collect();
        assert!(de_steuer_id(&s), "{s}");
        let bad: String = body
            .iter()
            .chain(&[(c + 1) % 10])
            .map(|d| (b'0' + d) as char)
            .collect();
        assert!(!de_steuer_id(&bad));
        // Every digit distinct: not a Steuer-ID whatever the check digit.
        let distinct = [1u8, 2, 3, 4, 5, 6, 7, 8, 9, 0];
        let c = steuer_check_digit(&distinct);
        let s: String = distinct
            .iter()
            .chain(&[c])
            .map(|d| (b'0' + d) as char)
            .collect();
        assert!(!de_steuer_id(&s));
    }

    #[test]
    fn vin_check_digit_and_shape() {
        assert_eq!(vin("1M8GDM9AXKP042788"), Some(true));
        assert_eq!(vin("11111111111111111"), None, "no letters");
        assert_eq!(
            vin("1M8GDM9A1KP042788"),
            Some(false),
            "EU-style, check digit unused"
        );
        assert_eq!(
            vin("1M8GDM9AXKP04278O"),
            None,
            "O is not in the VIN alphabet"
        );
    }

    #[test]
    fn emails() {
        assert!(email("jane.doe@example.com"));
        assert!(email("j+tag@sub.example.co.uk"));
        assert!(!email("jane.doe@example"));
        assert!(!email("ORD-2024-000123"));
        assert!(!email("@example.com"));
        assert!(!email("a@b.c"));
    }

    #[test]
    fn ips_and_macs() {
        assert!(ip("192.168.1.20"));
        assert!(ip("2001:db8::1"));
        assert!(!ip("999.1.1.1"));
        assert!(!ip("1.2.3"));
        assert!(mac("00:1A:2b:3C:4d:5E"));
        assert!(mac("00-1A-2B-3C-4D-5E"));
        assert!(mac("001a.2b3c.4d5e"));
        assert!(!mac("00:1A:2B:3C:4D"));
    }

    #[test]
    fn hashes_uuids_and_password_hashes() {
        assert!(uuid("550e8400-e29b-41d4-a716-446655440000"));
        assert!(hex_hash("d41d8cd98f00b204e9800998ecf8427e"));
        assert!(!hex_hash("d41d8cd98f00b204e9800998ecf8427g"));
        assert!(password_hash(
            "$2b$12$KIXQJh5Tz0cEYhXaJ6bY1eK0pV5z0x8yYl9y5f3c0B3m2Zq9W8a6G"
        ));
        assert!(password_hash(
            "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g"
        ));
        assert!(!password_hash("hunter2"));
    }

    #[test]
    fn icd10_genotypes_dna() {
        assert!(icd10("E11"));
        assert!(icd10("E11.9"));
        assert!(icd10("J45.909"));
        assert!(!icd10("E1"));
        assert!(!icd10("123"));
        assert!(!icd10("U07.1"), "U codes are reserved");
        assert!(genotype("AG"));
        assert!(genotype("C/T"));
        assert!(genotype("rs53576"));
        assert!(!genotype("AX"));
        assert!(dna_sequence("ACGTACGTTAGCCGATAGCATCG"));
        assert!(!dna_sequence("ACGT"));
    }

    #[test]
    fn embeddings_as_arrays_and_base64() {
        let arr = format!(
            "[{}]",
            (0..128)
                .map(|i| format!("{:.4}", (i as f32 * 0.37).sin()))
                .collect::<Vec<_>>()
                .join(",")
        );
        assert!(embedding(&arr));
        assert!(!embedding("[1,2,3]"));
        let mut bytes = Vec::new();
        for i in 0..128 {
            bytes.extend_from_slice(&((i as f32 * 0.11).cos() * 0.5).to_le_bytes());
        }
        assert!(embedding(&b64(&bytes)));
        assert!(
            !embedding(&"QUJD".repeat(60)),
            "base64 of text is not floats"
        );
    }

    fn b64(data: &[u8]) -> String {
        const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for c in data.chunks(3) {
            let v = (c[0] as u32) << 16
                | (*c.get(1).unwrap_or(&0) as u32) << 8
                | *c.get(2).unwrap_or(&0) as u32;
            out.push(A[(v >> 18) as usize & 63] as char);
            out.push(A[(v >> 12) as usize & 63] as char);
            out.push(if c.len() > 1 {
                A[(v >> 6) as usize & 63] as char
            } else {
                '='
            });
            out.push(if c.len() > 2 {
                A[v as usize & 63] as char
            } else {
                '='
            });
        }
        out
    }

    #[test]
    fn postcodes_geo_plates_dates() {
        assert!(uk_postcode("SW1A 1AA"));
        assert!(uk_postcode("M1 1AE"));
        assert!(uk_postcode("EC1A1BB"));
        assert!(!uk_postcode("12345"));
        assert!(nl_postcode("1234 AB"));
        assert!(!nl_postcode("0234 AB"));
        assert!(pl_postcode("00-950"));
        assert!(us_zip4("94105-1234"));
        assert!(geohash("u33dc0"));
        assert!(!geohash("hello"));
        assert!(lat_lon_pair("52.5200,13.4050"));
        assert!(lat_lon_pair("POINT(13.405 52.52)"));
        assert!(!lat_lon_pair("152.5,13.4"));
        assert!(!lat_lon_pair("12,13"));
        assert!(licence_plate("B-MW 1234"));
        assert!(licence_plate("AB-123-CD"));
        assert!(!licence_plate("ABCD"));
        assert_eq!(date("1985-04-12"), Some((1985, 4, 12, false)));
        assert_eq!(date("12.04.1985"), Some((1985, 4, 12, false)));
        assert_eq!(date("04/25/1985"), Some((1985, 4, 25, false)));
        assert_eq!(date("2024-03-01T10:15:00Z"), Some((2024, 3, 1, true)));
        assert_eq!(date("2024-03-01 00:00:00"), Some((2024, 3, 1, false)));
        assert_eq!(date("hello world"), None);
    }

    /// Valid numbers from python-stdnum (an independent implementation), and near misses.
    #[test]
    fn national_numbers_of_more_countries() {
        for n in ["811218-9876", "890605-5481", "19960107-2979", "7010208259"] {
            assert!(se_personnummer(n), "{n}");
        }
        for n in ["811218-9875", "811318-9876", "12345"] {
            assert!(!se_personnummer(n), "{n}");
        }
        for n in ["02089962008", "22038895439", "24058597364", "17110958684"] {
            assert!(no_fodselsnummer(n), "{n}");
        }
        assert!(!no_fodselsnummer("02089962009"));
        for n in ["280960-838U", "260967A1239", "090865-0942", "210245A152N"] {
            assert!(fi_hetu(n), "{n}");
        }
        assert!(!fi_hetu("280960-838V"));
        for n in ["200640100", "123479690", "384144462", "374831904"] {
            assert!(pt_nif(n), "{n}");
        }
        assert!(!pt_nif("200640101"));
        assert!(!pt_nif("500640100"), "companies start with 5");
        assert!(pt_cartao_cidadao("71455769 2 ZX5"));
        assert!(pt_cartao_cidadao("147076170ZX7"));
        assert!(!pt_cartao_cidadao("71455769 2 ZX6"));
        assert!(!pt_cartao_cidadao("71455769 2 125"));
        for n in [
            "38457613006",
            "342.938.624-12",
            "39029048360",
            "59841625474",
        ] {
            assert!(br_cpf(n), "{n}");
        }
        assert!(!br_cpf("111.111.111-11"));
        assert!(!br_cpf("38457613007"));
        for n in [
            "83011597930",
            "57.05.09-923.39",
            "18050530753",
            "11020382340",
        ] {
            assert!(be_national_number(n), "{n}");
        }
        assert!(!be_national_number("83011597931"));
        for n in ["210955-3526", "240412-5277"] {
            assert!(dk_cpr(n), "{n}");
        }
        assert!(!dk_cpr("2109553526"), "the dash is required");
        assert!(!dk_cpr("321355-3526"));
    }
}
