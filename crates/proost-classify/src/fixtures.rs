//! Test data: the checkout fixtures, seed rows and QA accounts every application keeps
//! beside real ones. A column filled with documentation addresses, reserved numbers, test
//! cards and placeholder names describes nobody, whatever its name says.

use std::net::IpAddr;

use crate::text::{ROLE_MAILBOXES, impersonal_email, reserved_phone, test_card};
use crate::validators as v;
use crate::vocab::fold_into;

/// Words of placeholder names and notes (`QA Tester`, `Jane Doe`, `Teste Automação`).
const PLACEHOLDER_WORDS: &[&str] = &[
    "test",
    "tester",
    "teste",
    "testuser",
    "qa",
    "automation",
    "automated",
    "dummy",
    "sample",
    "example",
    "exemplo",
    "ejemplo",
    "exemple",
    "beispiel",
    "voorbeeld",
    "demo",
    "doe",
    "placeholder",
    "fixture",
    "selenium",
    "cypress",
    "playwright",
    "e2e",
    "checkout",
    "cardholder",
    "holder",
    "bot",
    "lorem",
    "ipsum",
    "foo",
    "bar",
    "asdf",
];

/// The share of `vals` (at most the first 1,000) that are test data.
pub(crate) fn share(vals: &[&str]) -> f32 {
    let vals = &vals[..vals.len().min(1000)];
    if vals.is_empty() {
        return 0.0;
    }
    let mut buf = String::new();
    let hits = vals.iter().filter(|s| fixture(s, &mut buf)).count();
    hits as f32 / vals.len() as f32
}

fn fixture(s: &str, buf: &mut String) -> bool {
    let s = s.trim();
    if s.len() > 64 {
        return false;
    }
    if s.contains('@') {
        // Generated people get documentation domains too (`jane42@example.org`); a role
        // mailbox or a test account (`checkout-bot@example.com`) is test data.
        return v::email(s) && impersonal_email(s) && {
            let local = s.rsplit_once('@').map_or(s, |(l, _)| l);
            ROLE_MAILBOXES.contains(&local.to_ascii_lowercase().as_str())
                || local.split(|c: char| !c.is_ascii_alphabetic()).any(|w| {
                    fold_into(w, buf);
                    PLACEHOLDER_WORDS.contains(&buf.as_str()) || buf.starts_with("test")
                })
        };
    }
    if let Ok(ip) = s.parse::<IpAddr>() {
        return documentation_address(ip);
    }
    let digits = s.bytes().filter(u8::is_ascii_digit).count();
    if digits >= 7 {
        return test_card(s) || reserved_phone(s);
    }
    // Placeholder names: a few words, one of them a placeholder.
    let words: Vec<&str> = s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    !words.is_empty()
        && words.len() <= 3
        && words.iter().any(|w| {
            fold_into(w, buf);
            PLACEHOLDER_WORDS.contains(&buf.as_str())
        })
}

/// Loopback, unspecified and the documentation ranges (RFC 5737, RFC 3849).
fn documentation_address(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(a) => {
            let o = a.octets();
            a.is_loopback()
                || a.is_unspecified()
                || (o[0], o[1], o[2]) == (192, 0, 2)
                || (o[0], o[1], o[2]) == (198, 51, 100)
                || (o[0], o[1], o[2]) == (203, 0, 113)
        }
        IpAddr::V6(a) => {
            let s = a.segments();
            a.is_loopback() || a.is_unspecified() || (s[0], s[1]) == (0x2001, 0x0db8)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixtures_are_told_from_people() {
        let fixtures = [
            "checkout-bot@example.com",
            "203.0.113.7",
            "2001:db8::1",
            "::1",
            "(312) 555-0151",
            "07700 900874",
            "4242 4242 4242 4242",
            "QA TESTER",
            "Jane Doe",
            "Teste",
        ];
        let people = [
            "anna.berg@gmail.com",
            "81.2.69.160",
            "2a02:a45f:5b49::1",
            "(312) 555-7123",
            "4929 1234 5678 9012",
            "Anna Berg",
            "João Silva",
        ];
        for f in fixtures {
            assert_eq!(share(&[f]), 1.0, "{f}");
        }
        assert_eq!(share(&people), 0.0);
    }
}
