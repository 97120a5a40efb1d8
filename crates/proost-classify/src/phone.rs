//! Phone numbers: a cheap shape test first, then libphonenumber's verdict.

/// Plausible phone number characters and digit count. Bare digit strings pass only under a
/// phone name or with a trunk prefix, since random numbers are everywhere.
pub(crate) fn phone_shape(s: &str, cued: bool) -> bool {
    let b = s.as_bytes();
    if b.len() < 7 || b.len() > 24 {
        return false;
    }
    let mut digits = 0;
    let mut seps = 0;
    for &c in b {
        match c {
            b'0'..=b'9' => digits += 1,
            b' ' | b'-' | b'(' | b')' | b'.' | b'/' => seps += 1,
            b'+' => {}
            _ => return false,
        }
    }
    if !(7..=15).contains(&digits) {
        return false;
    }
    if b[1..].contains(&b'+') {
        return false;
    }
    cued || b[0] == b'+' || b[0] == b'(' || (b[0] == b'0' && seps > 0) || b.starts_with(b"00")
}

pub(crate) const REGIONS: [phonenumber::country::Id; 8] = {
    use phonenumber::country::Id::*;
    [US, GB, DE, FR, ES, NL, IT, PL]
};

pub(crate) fn valid_phone(s: &str, order: &mut [phonenumber::country::Id; 8]) -> bool {
    let intl = if let Some(rest) = s.strip_prefix("00") {
        Some(format!("+{rest}"))
    } else if s.starts_with('+') {
        Some(s.to_string())
    } else {
        None
    };
    if let Some(x) = intl {
        return parse_valid(None, &x);
    }
    for i in 0..order.len() {
        let region = order[i];
        if parse_valid(Some(region), s) {
            // The region that matched goes first for the next value.
            order[..=i].rotate_right(1);
            return true;
        }
    }
    false
}

/// The country most international numbers among `vals` belong to: bare numbers beside
/// `+351 226 434 471` are read as Portuguese even where the usual regions do not know them.
pub(crate) fn home_region(vals: &[&str]) -> Option<phonenumber::country::Id> {
    let mut counts: Vec<(phonenumber::country::Id, usize)> = Vec::new();
    for s in vals.iter().take(300) {
        let s = s.trim();
        if !(s.starts_with('+') && phone_shape(s, false)) {
            continue;
        }
        let id = std::panic::catch_unwind(|| {
            phonenumber::parse(None, s)
                .ok()
                .and_then(|p| p.country().id())
        })
        .unwrap_or(None);
        if let Some(id) = id {
            match counts.iter_mut().find(|c| c.0 == id) {
                Some(c) => c.1 += 1,
                None => counts.push((id, 1)),
            }
        }
    }
    counts.into_iter().max_by_key(|c| c.1).map(|c| c.0)
}

/// Whether `s` is a valid number of `region`.
pub(crate) fn valid_in(region: phonenumber::country::Id, s: &str) -> bool {
    parse_valid(Some(region), s)
}

/// libphonenumber's verdict. Older releases of the port panicked on some malformed input; a
/// sampled value must never take the classifier (or the server) down, so a panic counts as
/// "not a phone number".
fn parse_valid(region: Option<phonenumber::country::Id>, s: &str) -> bool {
    std::panic::catch_unwind(|| {
        phonenumber::parse(region, s).is_ok_and(|p| phonenumber::is_valid(&p))
    })
    .unwrap_or(false)
}
