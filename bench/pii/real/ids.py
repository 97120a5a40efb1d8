"""Check-digit makers and validators for the identifiers of the real-schema set.

Every national number the generator writes is made here and checked again by the validator
of the same country (generate_real.py runs them over every value it writes and stops on one
that fails; the counts are in its manifest.json). Countries: Sweden
(personnummer), Denmark (CPR), Norway (fødselsnummer), Finland (HETU), Portugal (NIF and the
Cartão de Cidadão document number), Brazil (CPF), Netherlands (BSN), Belgium (national
number), Germany (Steuer-ID from ../checks.py, Rentenversicherungsnummer), France (NIR).
"""

import datetime as dt
import hashlib
import re
import string
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import checks  # noqa: E402  (Luhn, IBAN, Steuer-ID, BSN, NIR, VIN of the first set)


def _date_ok(dd, mm):
    try:
        dt.date(2000, int(mm), int(dd))  # a leap year: 29 February is a date
        return True
    except ValueError:
        return False


def _birth(r, lo=1940, hi=2005):
    start = dt.date(lo, 1, 1)
    return start + dt.timedelta(days=r.randrange((dt.date(hi, 12, 31) - start).days))


# --- Sweden: personnummer YYYYMMDD-NNNC, C = Luhn over YYMMDDNNN -----------------------

def se_pnr_make(r, long=True):
    b = _birth(r)
    body = b.strftime("%y%m%d") + "".join(r.choice(string.digits) for _ in range(3))
    c = checks.luhn_complete(body)[-1]
    sep = "-" if b.year >= 1925 else "+"
    return (b.strftime("%Y%m%d") if long else b.strftime("%y%m%d")) + sep + body[6:] + c


def se_pnr_ok(s):
    m = re.fullmatch(r"(\d{2})?(\d{6})[-+]?(\d{4})", s)
    if not m:
        return False
    ten = m.group(2) + m.group(3)
    if not _date_ok(m.group(2)[4:6], m.group(2)[2:4]):
        return False
    return checks.luhn_ok(ten)


# --- Denmark: CPR DDMMYY-SSSS, weights 4 3 2 7 6 5 4 3 2 1, sum mod 11 = 0 ----------------

CPR_W = [4, 3, 2, 7, 6, 5, 4, 3, 2, 1]


def dk_cpr_make(r):
    while True:
        b = _birth(r, 1940, 2005)
        first = str(r.randint(0, 3)) if b.year < 2000 else "4"
        body = b.strftime("%d%m%y") + first + "".join(r.choice(string.digits) for _ in range(2))
        s = sum(int(c) * w for c, w in zip(body, CPR_W))
        last = (-s) % 11
        if last == 10:
            continue
        v = body + str(last)
        return v[:6] + "-" + v[6:]


def dk_cpr_ok(s):
    s = s.replace("-", "")
    if not re.fullmatch(r"\d{10}", s):
        return False
    if not _date_ok(s[:2], s[2:4]):
        return False
    return sum(int(c) * w for c, w in zip(s, CPR_W)) % 11 == 0


# --- Norway: fødselsnummer DDMMYY III K1 K2 ------------------------------------------------

NO_W1 = [3, 7, 6, 1, 8, 9, 4, 5, 2]
NO_W2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]


def _mod11(digits, w):
    c = 11 - sum(int(a) * b for a, b in zip(digits, w)) % 11
    return 0 if c == 11 else c


def no_fnr_make(r):
    while True:
        b = _birth(r, 1940, 2005)
        ind = r.randint(0, 499) if b.year < 2000 else r.randint(500, 999)
        body = b.strftime("%d%m%y") + f"{ind:03d}"
        k1 = _mod11(body, NO_W1)
        if k1 == 10:
            continue
        k2 = _mod11(body + str(k1), NO_W2)
        if k2 == 10:
            continue
        return body + str(k1) + str(k2)


def no_fnr_ok(s):
    s = s.replace(" ", "")
    if not re.fullmatch(r"\d{11}", s):
        return False
    if not _date_ok(s[:2], s[2:4]):
        return False
    k1 = _mod11(s[:9], NO_W1)
    k2 = _mod11(s[:10], NO_W2)
    return k1 < 10 and k2 < 10 and s[9] == str(k1) and s[10] == str(k2)


# --- Finland: HETU DDMMYYCZZZQ, Q = table[DDMMYYZZZ mod 31] ------------------------------

HETU_CHARS = "0123456789ABCDEFHJKLMNPRSTUVWXY"


def fi_hetu_make(r):
    b = _birth(r, 1940, 2005)
    sign = "-" if b.year < 2000 else "A"
    ind = f"{r.randint(2, 899):03d}"
    q = HETU_CHARS[int(b.strftime("%d%m%y") + ind) % 31]
    return b.strftime("%d%m%y") + sign + ind + q


def fi_hetu_ok(s):
    m = re.fullmatch(r"(\d{6})([-+AYXWVUBCDEF])(\d{3})([0-9A-Y])", s)
    if not m:
        return False
    if not _date_ok(m.group(1)[:2], m.group(1)[2:4]):
        return False
    return HETU_CHARS[int(m.group(1) + m.group(3)) % 31] == m.group(4)


# --- Portugal: NIF (9 digits, mod 11) and Cartão de Cidadão ------------------------------

def pt_nif_check(body8):
    c = 11 - sum(int(d) * w for d, w in zip(body8, range(9, 1, -1))) % 11
    return 0 if c >= 10 else c


def pt_nif_make(r, first=None):
    """A NIF; `first` 1-3 for a person (the default), 5/6/9 for a company or body."""
    f = first or r.choice("123")
    body = str(f) + "".join(r.choice(string.digits) for _ in range(7))
    return body + str(pt_nif_check(body))


def pt_nif_ok(s):
    s = s.replace(" ", "")
    if s.upper().startswith("PT"):
        s = s[2:]
    return bool(re.fullmatch(r"[1-35-9]\d{8}", s)) and pt_nif_check(s[:8]) == int(s[8])


def _cc_val(c):
    return int(c) if c.isdigit() else ord(c) - 55  # A=10 .. Z=35


def pt_cc_ok(s):
    """Cartão de Cidadão number `DDDDDDDD C AAT`: the published check over all 12 characters
    (from the right, every second value doubled, minus 9 when >= 10, sum mod 10 = 0)."""
    s = s.replace(" ", "").upper()
    if not re.fullmatch(r"\d{9}[A-Z0-9]{2}\d", s):
        return False
    total = 0
    for i, ch in enumerate(reversed(s)):
        v = _cc_val(ch)
        if i % 2 == 1:
            v *= 2
            if v >= 10:
                v -= 9
        total += v
    return total % 10 == 0


def pt_cc_make(r):
    while True:
        civil = "".join(r.choice(string.digits) for _ in range(8))
        c1 = 11 - sum(int(d) * w for d, w in zip(civil, range(9, 1, -1))) % 11
        c1 = 0 if c1 >= 10 else c1
        ver = r.choice("ZZ ZY ZX ZW ZV ZU".split())
        for t in string.digits:
            s = f"{civil}{c1}{ver}{t}"
            if pt_cc_ok(s):
                return f"{civil} {c1} {ver}{t}"


# --- Brazil: CPF ------------------------------------------------------------------------

def br_cpf_make(r, formatted=True):
    while True:
        d = [r.randint(0, 9) for _ in range(9)]
        if len(set(d)) == 1:
            continue
        for n in (10, 11):
            s = sum(x * w for x, w in zip(d, range(n, 1, -1)))
            d.append((s * 10 % 11) % 10)
        v = "".join(map(str, d))
        return f"{v[:3]}.{v[3:6]}.{v[6:9]}-{v[9:]}" if formatted else v


def br_cpf_ok(s):
    v = re.sub(r"[.\-]", "", s)
    if not re.fullmatch(r"\d{11}", v) or len(set(v)) == 1:
        return False
    d = [int(c) for c in v]
    for n in (9, 10):
        s2 = sum(x * w for x, w in zip(d[:n], range(n + 1, 1, -1)))
        if (s2 * 10 % 11) % 10 != d[n]:
            return False
    return True


# --- Netherlands: BSN (11-test) -----------------------------------------------------------

def nl_bsn_make(r):
    while True:
        body = "".join(r.choice(string.digits) for _ in range(8))
        if body[0] == "0" and body[1] == "0":
            continue
        s = sum(int(c) * w for c, w in zip(body, range(9, 1, -1)))
        last = s % 11
        if last == 10:
            continue
        v = body + str(last)
        if checks.nl_bsn_ok(v):
            return v


nl_bsn_ok = checks.nl_bsn_ok


# --- Belgium: national number YY.MM.DD-SSS.CC, CC = 97 - (n mod 97) ------------------------

def be_nn_make(r):
    b = _birth(r, 1940, 2005)
    ser = r.randint(1, 997)
    body = b.strftime("%y%m%d") + f"{ser:03d}"
    n = int(("2" if b.year >= 2000 else "") + body)
    cc = 97 - n % 97
    return f"{body[:2]}.{body[2:4]}.{body[4:6]}-{body[6:9]}.{cc:02d}"


def be_nn_ok(s):
    v = re.sub(r"[.\- ]", "", s)
    if not re.fullmatch(r"\d{11}", v):
        return False
    body, cc = v[:9], int(v[9:])
    return 97 - int(body) % 97 == cc or 97 - int("2" + body) % 97 == cc


# --- Germany: Rentenversicherungsnummer (Sozialversicherungsnummer) ---------------------------

SVNR_W = [2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1]


def de_svnr_check(first11):
    digits = first11[:8] + f"{ord(first11[8]) - 64:02d}" + first11[9:11]
    total = 0
    for c, w in zip(digits, SVNR_W):
        p = int(c) * w
        total += p // 10 + p % 10
    return total % 10


def de_svnr_make(r, last_name="M"):
    b = _birth(r, 1950, 2004)
    area = r.choice(["12", "13", "15", "24", "28", "38", "42", "53", "65"])
    letter = (last_name[:1] or "M").upper()
    if letter not in string.ascii_uppercase:
        letter = "M"
    ser = f"{r.randint(0, 49) if r.random() < .5 else r.randint(50, 99):02d}"
    body = area + b.strftime("%d%m%y") + letter + ser
    return body + str(de_svnr_check(body))


def de_svnr_ok(s):
    s = s.replace(" ", "").upper()
    if not re.fullmatch(r"\d{8}[A-Z]\d{3}", s):
        return False
    return de_svnr_check(s[:11]) == int(s[11])


# --- France: NIR ----------------------------------------------------------------------------

def fr_nir_make(r, male=None):
    b = _birth(r, 1945, 2004)
    sex = "1" if (male if male is not None else r.random() < .5) else "2"
    dep = f"{r.randint(1, 95):02d}"
    if dep == "20":
        dep = "2A"
    body = sex + b.strftime("%y%m") + dep + f"{r.randint(1, 990):03d}" + f"{r.randint(1, 999):03d}"
    num = int(body.replace("2A", "19").replace("2B", "18"))
    key = 97 - num % 97
    v = f"{body}{key:02d}"
    assert checks.fr_nir_ok(v), v
    return f"{v[0]} {v[1:3]} {v[3:5]} {v[5:7]} {v[7:10]} {v[10:13]} {v[13:]}" if r.random() < .4 else v


fr_nir_ok = checks.fr_nir_ok


# --- hashed e-mail (an online identifier) -------------------------------------------------

def email_sha256(email):
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


VALIDATORS = {
    "se_pnr": se_pnr_ok, "dk_cpr": dk_cpr_ok, "no_fnr": no_fnr_ok, "fi_hetu": fi_hetu_ok,
    "pt_nif": pt_nif_ok, "pt_cc": pt_cc_ok, "br_cpf": br_cpf_ok, "nl_bsn": nl_bsn_ok,
    "be_nn": be_nn_ok, "de_steuer_id": checks.de_steuer_id_ok, "de_svnr": de_svnr_ok,
    "fr_nir": fr_nir_ok, "us_ssn": checks.us_ssn_ok, "iban": checks.iban_ok,
    "luhn": checks.luhn_ok,
}


if __name__ == "__main__":  # self-test with known-good published examples
    import random
    assert pt_cc_ok("00000000 0 ZZ4")
    assert br_cpf_ok("529.982.247-25")
    assert fi_hetu_ok("131052-308T")
    assert be_nn_ok("85.07.30-033.28")
    r = random.Random(1)
    for name, make in [("se_pnr", se_pnr_make), ("dk_cpr", dk_cpr_make), ("no_fnr", no_fnr_make),
                       ("fi_hetu", fi_hetu_make), ("pt_nif", pt_nif_make), ("pt_cc", pt_cc_make),
                       ("br_cpf", br_cpf_make), ("nl_bsn", nl_bsn_make), ("be_nn", be_nn_make),
                       ("de_svnr", de_svnr_make), ("fr_nir", fr_nir_make)]:
        for _ in range(2000):
            v = make(r)
            assert VALIDATORS[name](v), (name, v)
        print(name, make(r))
