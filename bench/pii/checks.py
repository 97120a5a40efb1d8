"""Checksum validators and generators for the identifiers of the PII benchmark.

Faker's per-locale `ssn()` providers are used where they produce valid numbers (checked
here for every value); the ones it gets wrong or lacks (German Steuer-ID, UK NINO, IMEI,
VIN, Polish NIP) are computed here.
"""

import re
import string

# --- Luhn ---------------------------------------------------------------------------

def luhn_ok(digits: str) -> bool:
    d = [int(c) for c in digits if c.isdigit()]
    if len(d) < 2:
        return False
    total = 0
    for i, x in enumerate(reversed(d)):
        if i % 2 == 1:
            x *= 2
            if x > 9:
                x -= 9
        total += x
    return total % 10 == 0


def luhn_complete(body: str) -> str:
    """`body` plus the Luhn check digit."""
    for c in "0123456789":
        if luhn_ok(body + c):
            return body + c
    raise AssertionError


# --- national ids --------------------------------------------------------------------

def us_ssn_ok(s: str) -> bool:
    m = re.fullmatch(r"(\d{3})-?(\d{2})-?(\d{4})", s)
    if not m:
        return False
    a, g, n = m.groups()
    return a not in ("000", "666") and not a.startswith("9") and g != "00" and n != "0000"


NINO_BAD_FIRST = set("DFIQUV")
NINO_BAD_SECOND = set("DFIOQUV")
NINO_BAD_PREFIX = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}


def uk_nino_ok(s: str) -> bool:
    s = s.replace(" ", "").upper()
    m = re.fullmatch(r"([A-Z])([A-Z])(\d{6})([A-D])", s)
    if not m:
        return False
    a, b = m.group(1), m.group(2)
    return a not in NINO_BAD_FIRST and b not in NINO_BAD_SECOND and a + b not in NINO_BAD_PREFIX


def uk_nino_make(r) -> str:
    while True:
        a = r.choice(string.ascii_uppercase)
        b = r.choice(string.ascii_uppercase)
        if a in NINO_BAD_FIRST or b in NINO_BAD_SECOND or a + b in NINO_BAD_PREFIX:
            continue
        digits = "".join(r.choice(string.digits) for _ in range(6))
        s = f"{a}{b} {digits[:2]} {digits[2:4]} {digits[4:]} {r.choice('ABCD')}"
        assert uk_nino_ok(s)
        return s


def steuer_id_check(first10: str) -> int:
    product = 10
    for c in first10:
        s = (int(c) + product) % 10
        if s == 0:
            s = 10
        product = (s * 2) % 11
    check = 11 - product
    return 0 if check == 10 else check


def de_steuer_id_ok(s: str) -> bool:
    s = s.replace(" ", "")
    if not re.fullmatch(r"[1-9]\d{10}", s):
        return False
    counts = sorted((s[:10].count(d) for d in set(s[:10])), reverse=True)
    if counts[0] not in (2, 3) or counts[1] != 1:
        return False
    return steuer_id_check(s[:10]) == int(s[10])


def de_steuer_id_make(r) -> str:
    while True:
        digits = list("0123456789")
        r.shuffle(digits)
        keep = digits[:9]  # one digit missing
        keep.append(r.choice(keep))  # one digit twice
        r.shuffle(keep)
        if keep[0] == "0":
            continue
        body = "".join(keep)
        s = body + str(steuer_id_check(body))
        if de_steuer_id_ok(s):
            return s


def fr_nir_ok(s: str) -> bool:
    s = s.replace(" ", "")
    if not re.fullmatch(r"[12]\d{2}(0[1-9]|1[0-2]|[2-9]\d)\d[0-9AB]\d{3}\d{3}\d{2}", s):
        return False
    body = s[:13].replace("2A", "19").replace("2B", "18")
    return 97 - int(body) % 97 == int(s[13:])


DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def es_dni_ok(s: str) -> bool:
    s = s.upper().replace("-", "")
    m = re.fullmatch(r"([XYZ]?)(\d{7,8})([A-Z])", s)
    if not m:
        return False
    prefix, num, letter = m.groups()
    if prefix:
        num = str("XYZ".index(prefix)) + num
    return DNI_LETTERS[int(num) % 23] == letter


def nl_bsn_ok(s: str) -> bool:
    s = s.replace(".", "").replace(" ", "")
    if not re.fullmatch(r"\d{9}", s):
        return False
    total = sum(int(c) * w for c, w in zip(s[:8], range(9, 1, -1))) - int(s[8])
    return total % 11 == 0 and s != "000000000"


CF_ODD = {
    **{str(i): v for i, v in enumerate([1, 0, 5, 7, 9, 13, 15, 17, 19, 21])},
    **dict(zip(string.ascii_uppercase,
               [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23])),
}


def it_cf_ok(s: str) -> bool:
    s = s.upper()
    if not re.fullmatch(r"[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-EHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]", s):
        return False
    total = 0
    for i, c in enumerate(s[:15]):
        if i % 2 == 0:
            total += CF_ODD[c]
        else:
            total += int(c) if c.isdigit() else ord(c) - 65
    return chr(65 + total % 26) == s[15]


def pl_pesel_ok(s: str) -> bool:
    if not re.fullmatch(r"\d{11}", s):
        return False
    w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3]
    total = sum(int(c) * x for c, x in zip(s[:10], w))
    return (10 - total % 10) % 10 == int(s[10])


def pl_nip_ok(s: str) -> bool:
    s = s.replace("-", "")
    if not re.fullmatch(r"\d{10}", s):
        return False
    w = [6, 5, 7, 2, 3, 4, 5, 6, 7]
    c = sum(int(a) * b for a, b in zip(s[:9], w)) % 11
    return c != 10 and c == int(s[9])


NATIONAL_ID_OK = {
    "en_US": us_ssn_ok,
    "en_GB": uk_nino_ok,
    "de_DE": de_steuer_id_ok,
    "fr_FR": fr_nir_ok,
    "es_ES": es_dni_ok,
    "nl_NL": nl_bsn_ok,
    "it_IT": it_cf_ok,
    "pl_PL": pl_pesel_ok,
}


# --- other identifiers -----------------------------------------------------------------

def iban_ok(s: str) -> bool:
    s = s.replace(" ", "").upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", s):
        return False
    moved = s[4:] + s[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def imei_make(r) -> str:
    body = "".join(r.choice(string.digits) for _ in range(14))
    body = r.choice(["35", "86", "01", "99"]) + body[2:]
    return luhn_complete(body)


VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
VIN_VAL = {**{str(i): i for i in range(10)},
           **dict(zip("ABCDEFGH", range(1, 9))), **dict(zip("JKLMN", range(1, 6))), "P": 7, "R": 9,
           **dict(zip("STUVWXYZ", range(2, 10)))}
VIN_W = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]


def vin_ok(s: str) -> bool:
    if not re.fullmatch(r"[A-HJ-NPR-Z0-9]{17}", s):
        return False
    c = sum(VIN_VAL[ch] * w for ch, w in zip(s, VIN_W)) % 11
    return s[8] == ("X" if c == 10 else str(c))


def vin_make(r) -> str:
    wmi = r.choice(["WVW", "WBA", "VF1", "ZFA", "SAL", "1HG", "VSS", "SUP", "YV1", "JTD"])
    # ISO 3779: the last four characters (the serial number's end) are digits
    rest = "".join(r.choice(VIN_CHARS) for _ in range(10)) + "".join(r.choice("0123456789") for _ in range(4))
    s = wmi + rest
    c = sum(VIN_VAL[ch] * w for ch, w in zip(s, VIN_W)) % 11
    s = s[:8] + ("X" if c == 10 else str(c)) + s[9:]
    assert vin_ok(s)
    return s


def pl_nip_make(r) -> str:
    w = [6, 5, 7, 2, 3, 4, 5, 6, 7]
    while True:
        body = "".join(r.choice(string.digits) for _ in range(9))
        c = sum(int(a) * b for a, b in zip(body, w)) % 11
        if c != 10:
            return body + str(c)
