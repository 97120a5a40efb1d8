//! Binary columns that hold addresses or identifiers in packed form (MySQL's `INET6_ATON`
//! into `VARBINARY(16)`, UUIDs in `BINARY(16)`), which scans hand over as base64: read as
//! the text they stand for, so the values can speak.

use std::net::{Ipv4Addr, Ipv6Addr};

use base64::Engine;

/// The values as IP addresses or UUIDs in their usual text, when (nearly) every one is 4 or
/// 16 bytes. Four-byte values make a column of addresses; 16-byte values alone are
/// addresses only under an address name, else UUIDs.
pub(crate) fn as_text(values: &[String], ip_named: bool) -> Option<Vec<String>> {
    let b64 = base64::engine::general_purpose::STANDARD;
    let decoded: Vec<Vec<u8>> = values
        .iter()
        .filter_map(|v| b64.decode(v.trim()).ok())
        .collect();
    if decoded.is_empty() || decoded.len() * 10 < values.len() * 9 {
        return None;
    }
    let short = decoded.iter().filter(|b| b.len() == 4).count();
    let long = decoded.iter().filter(|b| b.len() == 16).count();
    if short + long != decoded.len() {
        return None;
    }
    let as_ip = short > 0 || ip_named;
    Some(
        decoded
            .iter()
            .map(|b| {
                match (
                    <[u8; 4]>::try_from(b.as_slice()),
                    <[u8; 16]>::try_from(b.as_slice()),
                ) {
                    (Ok(v4), _) => Ipv4Addr::from(v4).to_string(),
                    (_, Ok(v6)) if as_ip => Ipv6Addr::from(v6).to_string(),
                    (_, Ok(v6)) => uuid_text(&v6),
                    _ => String::new(),
                }
            })
            .collect(),
    )
}

fn uuid_text(b: &[u8; 16]) -> String {
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_addresses_and_uuids_read_as_text() {
        let b64 = base64::engine::general_purpose::STANDARD;
        let v4 = b64.encode([192, 0, 2, 17]);
        let v6 = b64.encode(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1).octets());
        let got = as_text(&[v4.clone(), v6.clone()], false).expect("addresses");
        assert_eq!(got, ["192.0.2.17", "2001:db8::1"]);
        let got = as_text(std::slice::from_ref(&v6), false).expect("uuid");
        assert_eq!(got, ["20010db8-0000-0000-0000-000000000001"]);
        assert_eq!(as_text(&[b64.encode([1, 2, 3])], true), None);
    }
}
