#!/usr/bin/env python3
"""Generate the real-schema labelled set of bench/pii (issue #13).

    generate_real.py --seed 1 --out bench/pii/out_real [--rows 1000] [--schemas real/schemas]

Reads every real/schemas/<app>.json (tables and columns of published open-source schemas,
plus the synthetic localised/legacy and opaque-import tables), fills each column with values
that follow what the column holds (`gen`, `args`, `null`), and writes

  DIR/columns.jsonl   one JSON per column, the first set's format: source, schema (the app),
                      table, column, db_schema, name_kind, labels, type (the declared SQL type),
                      kind (the generator), locale, values (the first <= 1000 non-null values
                      rendered as the database returns them as text; binary columns as base64)
  DIR/labels.json     the same without values, plus per column where it applies:
                        free_text  {category: share of the sampled rows that mention it}
                        tracked    {category: share} for JSON/URL columns where personal data
                                   sits in a minority of rows
                        attributes {attribute: [categories]} for the value column of an EAV
                                   table (attribute_share: {attribute: share of rows})
  DIR/data/<app>.<table>.json   all rows, for load_real.py
  DIR/manifest.json   seed, rows, counts per category, name kind, source, id checks

Deterministic per seed: every column draws from its own generator seeded with
(seed, app, table, column). An unknown `gen` stops the run. Every national number written is
checked by the validator of real/ids.py (the count is in the manifest).
"""

import argparse
import base64
import datetime as dt
import hashlib
import html
import ipaddress
import json
import os
import random
import re
import string
import struct
import sys
import time
import unicodedata
import uuid
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
import checks  # noqa: E402
import ids  # noqa: E402
import places_real as P  # noqa: E402
import vocab as V  # noqa: E402
import vocab_real as VR  # noqa: E402

MAX_VALUES = 1000      # sampled values per column, as in the first set
FT_MIN = 0.05          # a free-text category counts (is labelled, must be found) from this share
CATEGORIES = ["name", "email", "phone", "street_address", "postal_code", "city", "geo_location",
              "ip_address", "mac_address", "device_id", "username", "url_personal", "vehicle_id",
              "date_of_birth", "age", "gender", "nationality", "marital_status", "job",
              "national_id", "passport_number", "drivers_license", "tax_id", "credit_card",
              "bank_account", "income", "credentials", "special.health", "special.genetic",
              "special.biometric", "special.ethnic_origin", "special.political_opinion",
              "special.religion", "special.trade_union", "special.sexual_orientation", "criminal_record"]
ID_GENS = {"se_pnr": "se_pnr", "dk_cpr": "dk_cpr", "no_fnr": "no_fnr", "fi_hetu": "fi_hetu", "pt_nif": "pt_nif",
           "pt_cc": "pt_cc", "br_cpf": "br_cpf", "nl_bsn": "nl_bsn", "be_nn": "be_nn",
           "de_steuer_id": "de_steuer_id", "de_svnr": "de_svnr", "fr_nir": "fr_nir", "us_ssn": "us_ssn",
           "pt_company_vat": "pt_nif"}
LANG_OF = {"sv_SE": "sv", "no_NO": "nb", "da_DK": "da", "fi_FI": "fi", "pt_PT": "pt", "pt_BR": "pt",
           "de_DE": "de", "fr_FR": "fr", "nl_NL": "nl", "nl_BE": "nl", "en_US": "en", "en_GB": "en"}
T0 = dt.datetime(2019, 1, 1)
T1 = dt.datetime(2026, 11, 30)


def sint(*parts):
    return int.from_bytes(hashlib.sha256(":".join(map(str, parts)).encode()).digest()[:8], "big")


def ascii_fold(s):
    s = s.replace("ø", "o").replace("Ø", "O").replace("æ", "ae").replace("Æ", "Ae").replace("ß", "ss")
    s = s.replace("ł", "l").replace("đ", "d")
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()


def slug(s, sep=""):
    return re.sub(r"[^a-z0-9]+", sep, ascii_fold(s).lower()).strip(sep)


FILL = re.compile(r"\[([^\]]+)\]|.", re.S)


def fill(r, pattern):
    """`#` a digit, `N` 2-9, `@` a letter, `[0-35]` one of the class, anything else itself."""
    out = []
    for m in FILL.finditer(pattern):
        ch = m.group(0)
        if m.group(1):
            cls = m.group(1)
            chars = "".join(chr(x) for a, b in re.findall(r"(.)-(.)", cls) for x in range(ord(a), ord(b) + 1))
            out.append(r.choice(chars + re.sub(r".-.", "", cls)))
        elif ch == "#":
            out.append(r.choice(string.digits))
        elif ch == "N":
            out.append(r.choice("23456789"))
        elif ch == "@":
            out.append(r.choice("ABCDEFGHJLNPRTUWXYZ"))
        else:
            out.append(ch)
    return "".join(out)


def wchoice(r, values, weights=None):
    return r.choices(values, weights=weights)[0] if weights else r.choice(values)


def rand_ts(r, lo=T0, hi=T1):
    return lo + dt.timedelta(seconds=r.randrange(int((hi - lo).total_seconds())))


def rand_date(r, lo=dt.date(2012, 1, 1), hi=dt.date(2026, 11, 30)):
    return lo + dt.timedelta(days=r.randrange((hi - lo).days))


def alnum(r, n, chars=string.ascii_letters + string.digits):
    return "".join(r.choice(chars) for _ in range(n))


def php(v):
    """PHP serialize() of str/int/bool/dict (as used by WordPress and Doctrine 'array' columns)."""
    if isinstance(v, bool):
        return f"b:{int(v)};"
    if isinstance(v, int):
        return f"i:{v};"
    if isinstance(v, str):
        return f's:{len(v.encode())}:"{v}";'
    if isinstance(v, dict):
        return f"a:{len(v)}:{{" + "".join(php(k) + php(x) for k, x in v.items()) + "}"
    raise TypeError(v)


def luhn_card(r, prefix, length=16):
    body = prefix + "".join(r.choice(string.digits) for _ in range(length - len(prefix) - 1))
    return checks.luhn_complete(body)


def iban(r, country):
    spec = {"GB": ("NWBK", 14, True), "DE": ("", 18, False), "FR": ("", 23, False), "NL": ("INGB", 10, True),
            "BE": ("", 12, False), "PT": ("0035", 21, False), "SE": ("", 20, False), "US": ("NWBK", 14, True)}
    bank, n, _ = spec.get(country, spec["DE"])
    cc = "GB" if country == "US" else country
    bban = bank + "".join(r.choice(string.digits) for _ in range(n))
    num = "".join(str(int(ch, 36)) for ch in bban + cc + "00")
    check = 98 - int(num) % 97
    v = f"{cc}{check:02d}{bban}"
    assert checks.iban_ok(v), v
    return " ".join(v[i:i + 4] for i in range(0, len(v), 4))


def be_enterprise(r):
    body = "0" + "".join(r.choice(string.digits) for _ in range(7))
    if body[1] == "0":
        body = "04" + body[2:]
    return body + f"{97 - int(body) % 97:02d}"


def ean13(r):
    body = r.choice(["560", "590", "400", "376", "871", "539"]) + "".join(r.choice(string.digits) for _ in range(9))
    s = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - s % 10) % 10)


# ----------------------------------------------------------------------------------------
# people and places
# ----------------------------------------------------------------------------------------

NL_PARTICLES = ["van", "de", "van der", "van den", "van de", "den", "ter", "van 't", "in 't", "op den"]


class Table:
    def __init__(self, app, spec, tdef, seed, rows):
        self.app = app
        self.name = tdef["table"]
        self.locale = tdef.get("locale") or spec.get("locale") or "en_US"
        self.lang = tdef.get("lang") or LANG_OF[self.locale]
        self.country = P.COUNTRY[self.locale]
        self.source = tdef.get("db") or spec.get("db")
        self.seed = seed
        self.rows = rows
        self.tdef = tdef
        from faker import Faker
        self.fake = Faker(self.locale)
        self.fake.seed_instance(sint(seed, app, self.name, "faker"))
        r = random.Random(f"{seed}:{app}:{self.name}:table")
        self.r = r
        self.domains = [slug(self.fake.company(), "-") + "." + P.TLD[self.country] for _ in range(3)]
        self.cols = {}
        self.gens = {}
        self._people = {}

    def reseed(self, *parts):
        self.fake.seed_instance(sint(self.seed, self.app, self.name, *parts))

    def person(self, key):
        """The person of a row (or of an EAV entity); created on first use, then kept."""
        p = self._people.get(key)
        if p is None:
            r = random.Random(f"{self.seed}:{self.app}:{self.name}:person:{key}")
            self.reseed("person", key)
            p = make_person(self, r)
            self._people[key] = p
        return p


def make_person(t, r, gender=None):
    f = t.fake
    g = gender or r.choice("MF")
    first = f.first_name_male() if g == "M" else f.first_name_female()
    last = f.last_name()
    particle = None
    if t.locale == "nl_NL":
        for pa in sorted(NL_PARTICLES, key=len, reverse=True):
            if last.lower().startswith(pa + " "):
                last = last[len(pa) + 1:]
                break
        if r.random() < 0.35:
            particle = r.choice(NL_PARTICLES)
    middle = f.first_name_male() if g == "M" else f.first_name_female()
    full = f"{first} {particle + ' ' if particle else ''}{last}"
    if t.locale == "pt_PT" and r.random() < 0.5:
        full = f"{first} {f.last_name()} {last}"
    dob = dt.date(1935, 1, 1) + dt.timedelta(days=r.randrange(365 * 71))
    town = r.choice(P.TOWNS[t.country][1])
    p = {"g": g, "first": first, "last": last, "particle": particle, "middle": middle, "full": full, "dob": dob,
         "town": town, "is_company": r.random() < 0.2, "agent": r.random() < 0.25,
         "company": f.company(), "r": r}
    p["email"] = personal_email(r, t.country, first, last, dob)
    p["username"] = username_of(r, first, last, dob)
    p["street"] = street_line(r, t.country)
    p["postcode"] = postcode(r, t.country, town)
    return p


def personal_email(r, country, first, last, dob, domain=None):
    fi, la = slug(first.split()[0], ""), slug(last.split()[-1], "")
    local = r.choice([f"{fi}.{la}", f"{fi}{la}", f"{fi[0]}.{la}", f"{fi}.{la}{dob.year % 100:02d}",
                      f"{la}.{fi}", f"{fi}_{la}", f"{fi}{r.randint(1, 999)}", f"{fi[0]}{la}{r.randint(1, 99)}"])
    return f"{local}@{domain or r.choice(P.FREE_MAIL[country])}"


def work_email(r, p, domain):
    fi, la = slug(p["first"].split()[0]), slug(p["last"].split()[-1])
    return r.choice([f"{fi}.{la}", f"{fi}.{la}", f"{fi[0]}.{la}", f"{fi[0]}{la}", f"{fi}"]) + "@" + domain


def username_of(r, first, last, dob):
    fi, la = slug(first.split()[0]), slug(last.split()[-1])
    return r.choice([f"{fi}{la[0]}", f"{fi}_{la}", f"{fi[0]}{la}", f"{fi}.{la}", f"{fi}{dob.year % 100:02d}",
                     f"{la}{fi[0]}", f"{fi}{la}{r.randint(1, 99)}", f"{fi.capitalize()}{la.capitalize()}"])


def street_line(r, country, name=None):
    st = name or r.choice(P.STREETS[country])
    n = r.randint(1, 180)
    if country == "SE":
        return f"{st} {n}{r.choice(['', '', '', 'A', 'B'])}" + (f", lgh {r.randint(1001, 1503)}" if r.random() < .2 else "")
    if country == "NO":
        return f"{st} {n}{r.choice(['', '', '', ' A', ' B'])}"
    if country == "DK":
        return f"{st} {n}" + r.choice(["", "", f", {r.randint(1, 5)}. tv.", f", {r.randint(1, 5)}. th.", ", st."])
    if country == "FI":
        return f"{st} {n}" + r.choice(["", f" {r.choice('ABC')} {r.randint(1, 40)}", f" as {r.randint(1, 60)}"])
    if country == "PT":
        return r.choice([f"{st}, {n}", f"{st} {n}", f"{st}, {n}, {r.randint(1, 8)}.º {r.choice(['Esq.', 'Dto.'])}",
                         f"{st}, n.º {n}, {r.randint(1, 6)}.º {r.choice('ABCD')}"])
    if country == "BR":
        return r.choice([f"{st}, {n * 7}", f"{st}, {n * 7}, apto {r.randint(11, 184)}", f"{st}, {n * 7} - casa {r.randint(1, 4)}"])
    if country == "DE":
        return f"{st} {n}{r.choice(['', '', '', 'a', 'b'])}"
    if country == "FR":
        return f"{n}{r.choice(['', '', '', ' bis'])} {st}"
    if country == "NL":
        return f"{st} {n}{r.choice(['', '', '', 'a', '-2', ' III'])}"
    if country == "BE":
        return f"{st} {n}" + r.choice(["", "", f" bus {r.randint(1, 30)}", f"/{r.randint(1, 9)}"])
    if country == "US":
        return f"{r.randint(10, 9899)} {st}" + r.choice(["", "", "", f" Apt {r.randint(1, 30)}{r.choice('ABCD')}", f" #{r.randint(100, 999)}"])
    if country == "GB":
        return r.choice([f"{n} {st}", f"{n} {st}", f"Flat {r.randint(1, 12)}, {n} {st}"])
    raise ValueError(country)


def postcode(r, country, town):
    pat = P.TOWNS[country][0]
    pre = town[1]
    if country == "FR":
        if town[0] == "Paris":
            return pre + f"{r.randint(1, 20):03d}"
        if town[0] in ("Lyon", "Marseille"):
            return pre + f"{r.randint(1, 9):03d}"
        return pre + r.choice(["000", "100", "200", "000"])
    if country == "GB":
        return pre + " " + str(r.randint(1, 9)) + "".join(r.choice("ABDEFGHJLNPQRSTUWXYZ") for _ in range(2))
    return pre + fill(r, pat)


def business_street(r, country):
    return r.choice(P.BUSINESS_STREETS[country]).format(n=r.randint(1, 60), k=r.randint(1, 9))


def phone_number(r, country, mobile=None, e164_share=0.22, business=False):
    land, mob, cc = P.PHONES[country]
    is_mob = (r.random() < 0.5) if mobile is None else mobile
    if business:
        is_mob = False
    while True:
        v = fill(r, r.choice(mob if is_mob else land))
        if country != "US" or "555" not in v[5:9]:
            break
    if business:
        digits = [i for i, ch in enumerate(v) if ch.isdigit()]
        tail = r.choice(["000", "100", "200", "500", "300"])
        v = list(v)
        for i, ch in zip(digits[-3:], tail):
            v[i] = ch
        v = "".join(v)
    if r.random() < e164_share:
        d = re.sub(r"\D", "", v)
        if country not in ("US", "NO", "DK", "PT", "BR") and d.startswith("0"):
            d = d[1:]
        v = cc + " " + " ".join(split_groups(d, e164_groups(country, d)))
    return v


def e164_groups(country, d):
    """How the national number is usually grouped after the country code."""
    if country == "SE":
        return [1, 3, 3, 2] if d[0] == "8" else [2, 3, 2, 2]
    if country == "NO":
        return [3, 2, 3] if d[0] in "49" else [2, 2, 2, 2]
    if country == "DK":
        return [2, 2, 2, 2]
    if country == "FI":
        return [1, 4, 3] if d[0] == "9" else [2, 3, 4]
    if country == "PT":
        return [3, 3, 3]
    if country == "BR":
        return [2, 5, 4] if len(d) == 11 else [2, 4, 4]
    if country == "DE":
        return [3, 99] if d[0] == "1" or d[:3] in ("221", "711") else [2, 99]
    if country == "FR":
        return [1, 2, 2, 2, 2]
    if country == "NL":
        return [1, 99] if d[0] == "6" else [2, 99]
    if country == "BE":
        return [3, 2, 2, 2] if d[0] == "4" else ([1, 3, 2, 2] if d[0] in "2349" and len(d) == 8 else [2, 2, 2, 2])
    if country == "US":
        return [3, 3, 4]
    if country == "GB":
        return [4, 6] if d[0] == "7" else ([2, 4, 4] if d[0] == "2" else [3, 3, 4])
    return [99]


def split_groups(d, sizes):
    out, k = [], 0
    for n in sizes:
        if k < len(d):
            out.append(d[k:k + n])
            k += n
    if k < len(d):
        out[-1] += d[k:]
    return out


def mobile_e164_compact(r, country):
    return re.sub(r"[^\d+]", "", phone_number(r, country, mobile=True, e164_share=1.0))


def obfuscate_email(r, email):
    local, dom = email.split("@")
    name, tld = dom.rsplit(".", 1)
    return r.choice([f"{local} (at) {name} (dot) {tld}", f"{local}[at]{dom}", f"{local} at {name} dot {tld}",
                     f"{local}(at){dom}", f"{local} [at] {name} [dot] {tld}"])


def public_ipv4(r):
    first = r.choice([31, 37, 46, 62, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95,
                      109, 151, 176, 178, 185, 188, 193, 194, 195, 212, 213, 217, 24, 68, 73, 98, 104, 174])
    return f"{first}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"


def public_ipv6(r):
    pre = r.choice(["2a02:8108", "2a01:e0a", "2003:e5", "2a00:23c7", "2600:1700", "2a02:a45f", "2001:818", "2804:14c"])
    groups = pre.split(":") + [f"{r.getrandbits(16):x}" for _ in range(8 - len(pre.split(":")))]
    return str(ipaddress.IPv6Address(":".join(groups)))


def ip_any(r):
    return public_ipv6(r) if r.random() < 0.3 else public_ipv4(r)


# ----------------------------------------------------------------------------------------
# free text
# ----------------------------------------------------------------------------------------

def mention_sentence(c, cat, lang):
    r, t = c.r, c.t
    pool = VR.MENTION[lang].get(cat) or VR.MENTION["en"][cat]
    tpl = r.choice(pool)
    other = make_person(t, r)
    vals = {
        "email": other["email"], "email_obf": obfuscate_email(r, other["email"]),
        "phone": phone_number(r, t.country), "name": other["full"],
        "street": f"{other['street']}, {other['postcode']} {other['town'][0]}",
        "cond": r.choice(VR.CONDITIONS.get(lang) or VR.CONDITIONS["en"]), "med": r.choice(VR.MEDICATIONS),
        "dose": r.choice(VR.DOSES), "freq": r.choice(VR.FREQ.get(lang) or VR.FREQ["en"]),
        "sym": r.choice(VR.SYMPTOMS.get(lang) or VR.SYMPTOMS["en"]),
        "rel": r.choice(VR.RELIGIONS.get(lang) or VR.RELIGIONS["en"]),
        "union": r.choice(VR.UNIONS.get(lang) or VR.UNIONS["en"]),
        "party": r.choice(VR.PARTIES.get(lang) or VR.PARTIES["en"]),
        "orient": r.choice(VR.ORIENT.get(lang) or VR.ORIENT["en"]),
        "offence": r.choice(VR.OFFENCES.get(lang) or VR.OFFENCES["en"]), "year": r.randint(2004, 2023),
        "card": " ".join(re.findall(".{4}", luhn_card(r, r.choice(["4", "51", "53", "55"])))),
        "iban": iban(r, t.country),
    }
    s = tpl.format(**vals)
    return s[0].upper() + s[1:]


def exact_rows(r, rows, share):
    """Exactly round(share * n) of `rows`, per block of MAX_VALUES (so the sample holds the share)."""
    out = set()
    for b in range(0, len(rows), MAX_VALUES):
        block = rows[b:b + MAX_VALUES]
        out.update(r.sample(block, round(share * len(block))))
    return out


def sample_shares(mentions, values, cats):
    """Share of the first MAX_VALUES non-null rows that mention each category."""
    idx = [i for i, v in enumerate(values) if v is not None][:MAX_VALUES]
    n = len(idx) or 1
    return {cat: round(sum(1 for i in idx if cat in mentions.get(i, ())) / n, 4) for cat in cats}


def col_text(c, mask):
    a, r = c.a, c.r
    dom, lang, mix = a["domain"], a["lang"], a["mix"]
    base = VR.BASE.get((dom, lang))
    if not base:
        sys.exit(f"no BASE sentences for ({dom}, {lang}) in vocab_real.py")
    rows = [i for i in range(len(mask)) if not mask[i]]
    mentions = defaultdict(set)
    for cat in mix:
        for i in exact_rows(r, rows, mix[cat]):
            mentions[i].add(cat)
    lo, hi = a.get("sentences", [1, 3])
    html_share = 1.0 if a.get("html") is True else float(a.get("html") or 0)
    out = [None] * len(mask)
    for i in rows:
        ms = sorted(mentions.get(i, ()))
        n = r.randint(lo, hi)
        if ms and r.random() < 0.5:
            n = max(0, n - len(ms))
        sents = r.sample(base, min(n, len(base)))
        for cat in r.sample(ms, len(ms)):
            sents.insert(r.randint(0, len(sents)), mention_sentence(c, cat, lang))
        if r.random() < html_share:
            out[i] = "".join(f"<p>{html.escape(s, quote=False)}</p>" for s in sents) if len(sents) > 1 and r.random() < .5 \
                else "<p>" + "<br>".join(html.escape(s, quote=False) for s in sents) + "</p>"
        else:
            out[i] = " ".join(sents) if r.random() < 0.7 else "\n".join(sents)
    cats = {("email" if k == "email_obf" else k) for k in mix}
    merged = {i: {("email" if k == "email_obf" else k) for k in v} for i, v in mentions.items()}
    c.free_text = sample_shares(merged, out, sorted(cats))
    c.mentions = merged
    return out


EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def mailto(m):
    return f'<a href="mailto:{m.group(0)}">{m.group(0)}</a>'


def col_cooked_of(c, mask):
    src = c.t.gens[c.a["of"]]
    raw = c.t.cols[c.a["of"]]
    out = []
    for v in raw:
        if v is None:
            out.append(None)
            continue
        paras = [html.escape(p, quote=False) for p in v.split("\n")]
        body = "".join("<p>" + EMAIL_RE.sub(mailto, p) + "</p>" for p in paras)
        out.append(body)
    c.free_text = dict(src.free_text)
    c.mentions = src.mentions
    return out


# ----------------------------------------------------------------------------------------
# tracked columns: personal data in a minority of rows (JSON under nested keys, URL params)
# ----------------------------------------------------------------------------------------

TRACK = {"pt_client_json": {"name": 0.18, "phone": 0.18}, "mautic_hit_url": {"email": 0.12},
         "mautic_event_properties": {"ip_address": 0.3, "email": 0.14}, "odoo_properties": {"special.health": 0.11}}


def col_tracked(c, mask):
    r, t = c.r, c.t
    rows = [i for i in range(len(mask)) if not mask[i]]
    mentions = defaultdict(set)
    shares = TRACK[c.gen]
    groups = {}
    for cat, share in shares.items():  # categories with the same share travel together (one nested object)
        groups.setdefault(share, []).append(cat)
    for share, cats in groups.items():
        for i in exact_rows(r, rows, share):
            mentions[i].update(cats)
    out = [None] * len(mask)
    for i in rows:
        m = mentions.get(i, set())
        out[i] = TRACKED_GENS[c.gen](c, i, m)
    c.tracked = sample_shares(mentions, out, sorted(shares))
    return out


def tr_pt_client_json(c, i, m):
    r = c.r
    d = {"newsletter": r.random() < 0.6, "idioma": r.choice(["pt-PT", "pt-PT", "en"]),
         "canal_preferido": r.choice(["email", "sms", "telefone", "correio"]),
         "preferencias": {"categorias": r.sample(["casa", "jardim", "cozinha", "desporto", "brinquedos", "livros"], 2),
                          "tamanho": r.choice(["S", "M", "L", "XL"])}}
    if m:
        o = make_person(c.t, r)
        d["contacto_alternativo"] = {"nome": o["full"], "relacao": r.choice(["cônjuge", "filho", "filha", "vizinho"]),
                                     "telemovel": phone_number(r, "PT", mobile=True)}
    return d


def tr_mautic_hit_url(c, i, m):
    r = c.r
    site = c.t.site
    path = r.choice(["/", "/offres/printemps", "/produits/canape-3-places", "/contact", "/blog/conseils-deco",
                     "/newsletter/merci", "/catalogue-2025", "/magasins"])
    q = []
    if r.random() < 0.5:
        q += [f"utm_source={r.choice(['newsletter', 'facebook', 'google'])}", f"utm_medium={r.choice(['email', 'cpc', 'social'])}",
              f"utm_campaign={r.choice(['soldes-hiver', 'printemps25', 'fidelite'])}"]
    if m:
        o = make_person(c.t, r)
        q += [f"ct={alnum(r, 24)}", "email=" + o["email"].replace("@", "%40")]
    return site + path + ("?" + "&".join(q) if q else "")


def tr_mautic_event_properties(c, i, m):
    r = c.r
    d = {"object_description": r.choice(["Formulaire newsletter", "Demande de devis", "Inscription atelier",
                                         "Téléchargement catalogue"]),
         "object_id": r.randint(1, 40), "source": [r.choice(["form", "campaign", "page"]), r.randint(1, 30)]}
    if "ip_address" in m:
        d["ipAddress"] = {"ip": ip_any(r), "is_trackable": True}
    if "email" in m:
        o = make_person(c.t, r)
        d["fields"] = {"email": o["email"], "consent": True}
    return d


def tr_odoo_properties(c, i, m):
    r = c.r
    d = {"3f6b1c0a9e2d4b17": r.choice(["S", "M", "L", "XL"]), "9a2c7e4d1b6f3a05": r.choice([True, False]),
         "c41d2e8f7a6b5c39": r.choice(["Brussel", "Gent", "Antwerpen", "remote"])}
    if m:
        d["b7e9a1c3d5f20468"] = {"dietary": r.choice(["none", "vegetarian", "vegan", "none"]),
                                 "allergies": r.choice(VR.ALLERGIES["en"] + ["coeliac disease", "type 1 diabetes (insulin)"])}
    return d


TRACKED_GENS = {"pt_client_json": tr_pt_client_json, "mautic_hit_url": tr_mautic_hit_url,
                "mautic_event_properties": tr_mautic_event_properties, "odoo_properties": tr_odoo_properties}


# ----------------------------------------------------------------------------------------
# value generators: g(c, i) -> value; c.r the column's random, c.t the table, c.p(i) the row's person
# ----------------------------------------------------------------------------------------

def fit(c, words):
    """The words that fit the column (a varchar(30) cannot hold 'eingetragene Lebenspartnerschaft')."""
    m = re.search(r"char\((\d+)\)", c.sql.lower())
    return [w for w in words if len(w) <= int(m.group(1))] if m else words


def g_choice(c, i):
    return wchoice(c.r, c.a["values"], c.a.get("weights"))


def g_flag(c, i):
    v = c.r.random() < c.a.get("p", 0.5)
    return v if c.sql.lower() == "boolean" else int(v)


def g_money(c, i):
    return Decimal(f"{c.r.uniform(c.a['lo'], c.a['hi']):.2f}")


def g_phone(c, i):
    return phone_number(c.r, c.t.country, business=not c.labels)


def g_mobile(c, i):
    return phone_number(c.r, c.t.country, mobile=True, business=not c.labels)


def g_street(c, i):
    return street_line(c.r, c.t.country) if c.labels else business_street(c.r, c.t.country)


def g_full_address(c, i):
    p, co = c.p(i), c.t.country
    st = p["street"] if c.labels else business_street(c.r, co)
    if co == "GB":
        return f"{st}, {p['town'][0]} {p['postcode']}"
    if co == "US":
        return f"{st}, {p['town'][0]}, {p['town'][2]} {p['postcode']}"
    return f"{st}, {p['postcode']} {p['town'][0]}"


def g_doctor(c, i):
    r, t = c.r, c.t
    if not hasattr(c, "pool"):
        c.pool = []
        for _ in range(25):
            o = make_person(t, r)
            c.pool.append({"nb": r.choice([f"Dr. {o['full']}", f"lege {o['full']}", o["full"]]),
                           "fi": r.choice([f"LL {o['full']}", o["full"], f"{o['last']} {o['first']}"]),
                           "de": r.choice([f"Dr. med. {o['full']}", f"Dr. {o['last']}", f"{o['first'][0]}. {o['last']}"]),
                           "fr": r.choice([f"Dr {o['full']}", f"Docteur {o['last']}", f"Dr {o['first'][0]}. {o['last']}"]),
                           "nl": r.choice([f"dr. {o['first'][0]}. {o['last']}", o["full"], f"{o['first'][0]}. {o['last']} (huisarts)"]),
                           }.get(t.lang, f"Dr. {o['full']}"))
    return r.choice(c.pool)


def pooled(n, make):
    def g(c, i):
        if not hasattr(c, "pool"):
            c.pool = [make(c) for _ in range(n)]
        return c.r.choice(c.pool)
    return g


def g_staff_signature(c):
    r, t = c.r, c.t
    o = make_person(t, r)
    job = r.choice(["Support Engineer", "Customer Success Manager", "Help Desk Technician", "Support Team Lead",
                    "IT Service Desk Analyst", "Account Manager"])
    ph = phone_number(r, t.country, mobile=False, e164_share=0.1)
    return r.choice([f"Best regards,\n{o['full']}\n{job}\nPhone: {ph}",
                     f"--\n{o['full']} | {job}\nDirect: {ph}",
                     f"Kind regards,\n\n{o['first']} {o['last']}\n{job}, {t.company}\nTel. {ph}"])


def g_staff_username(c):
    o = make_person(c.t, c.r)
    fi, la = slug(o["first"]), slug(o["last"])
    return c.r.choice([f"{fi[0]}{la}", f"{fi}.{la}", f"dr{la}", f"{fi}{la[0]}"])


def g_emergency(c, i):
    r = c.r
    o = make_person(c.t, r)
    rel = r.choice(["wife", "mother", "daughter", "sister", "partner", "friend"] if o["g"] == "F"
                   else ["husband", "father", "son", "brother", "partner", "friend"])
    return r.choice([f"{o['full']} ({rel}) {phone_number(r, 'US', e164_share=0)}",
                     f"{o['full']} - {rel} - {phone_number(r, 'US', e164_share=0)}"])


def g_initials(c, i):
    p = c.p(i)
    extra = "".join(f"{ch}." for ch in c.r.sample("ABCDEFGHJKLMNPRSTW", c.r.choice([0, 0, 1, 2])))
    return f"{p['first'][0]}.{extra}"


def g_union(c, i):
    v = c.r.choice(VR.UNIONS[c.a.get("lang", c.t.lang)])
    return re.sub(r"^(the |o |la |l')", "", v)


def g_icd_with_text(c, i):
    code, txt = c.r.choice(ICD_TEXT)
    return f"{code} {txt[c.a['lang']]}"


ICD_TEXT = [("E11.9", {"nb": "Diabetes mellitus type 2 uten komplikasjoner", "fi": "Tyypin 2 diabetes ilman komplikaatioita"}),
            ("J45.9", {"nb": "Astma, uspesifisert", "fi": "Astma, määrittämätön"}),
            ("I10", {"nb": "Essensiell hypertensjon", "fi": "Verenpainetauti"}),
            ("F32.1", {"nb": "Moderat depressiv episode", "fi": "Keskivaikea masennustila"}),
            ("G40.9", {"nb": "Epilepsi, uspesifisert", "fi": "Epilepsia, määrittämätön"}),
            ("M54.5", {"nb": "Lumbago", "fi": "Alaselkäkipu"}),
            ("J44.9", {"nb": "Kronisk obstruktiv lungesykdom", "fi": "Keuhkoahtaumatauti"}),
            ("K50.9", {"nb": "Crohns sykdom", "fi": "Crohnin tauti"}),
            ("C50.9", {"nb": "Ondartet svulst i bryst", "fi": "Rintasyöpä"}),
            ("F41.1", {"nb": "Generalisert angstlidelse", "fi": "Yleistynyt ahdistuneisuushäiriö"}),
            ("I48.9", {"nb": "Atrieflimmer", "fi": "Eteisvärinä"}),
            ("E03.9", {"nb": "Hypotyreose", "fi": "Kilpirauhasen vajaatoiminta"}),
            ("N18.3", {"nb": "Kronisk nyresykdom, stadium 3", "fi": "Krooninen munuaistauti, vaihe 3"}),
            ("S82.2", {"nb": "Brudd i skaftet av tibia", "fi": "Sääriluun varren murtuma"})]


def g_medication(c, i):
    lang = c.a.get("lang", c.t.lang)
    return f"{c.r.choice(VR.MEDICATIONS)} {c.r.choice(VR.DOSES)} {c.r.choice(VR.FREQ.get(lang) or VR.FREQ['en'])}"


def g_condition_list(c, i):
    lang = c.a.get("lang", c.t.lang)
    return ", ".join(c.r.sample(VR.CONDITIONS[lang], c.r.randint(1, 3)))


def g_icd10_gm(c, i):
    code = c.r.choice(VR.ICD10)
    code = code if "." in code else code + ".9"
    if len(code.split(".")[1]) == 1 and c.r.random() < 0.5:
        code += "0"
    return code[:6] + c.r.choice([" G", " G", " V", " Z", " A", ""]) + c.r.choice(["", "", " L", " R", " B"])


def g_icd10_prefixed(c, i):
    codes = c.r.sample(VR.ICD10, c.r.choice([1, 1, 1, 2]))
    return ";".join("ICD10:" + x for x in codes)


OPENEMR_LIST = {
    "medical_problem": ["Type 2 diabetes mellitus", "Essential hypertension", "Asthma", "Major depressive disorder",
                        "Hyperlipidemia", "Chronic kidney disease stage 3", "Atrial fibrillation", "Hypothyroidism",
                        "Migraine", "Osteoarthritis of knee", "GERD", "Generalized anxiety disorder", "COPD"],
    "allergy": ["Penicillin", "Sulfa drugs", "Peanuts", "Latex", "Shellfish", "Codeine", "Bee stings", "Aspirin"],
    "medication": ["Metformin 500 mg", "Lisinopril 10 mg", "Atorvastatin 20 mg", "Levothyroxine 50 mcg",
                   "Sertraline 50 mg", "Albuterol inhaler", "Amlodipine 5 mg", "Omeprazole 20 mg"],
    "surgery": ["Appendectomy", "Cholecystectomy", "Total knee replacement", "C-section", "Tonsillectomy",
                "CABG", "Hernia repair", "Cataract surgery"],
}


def g_openemr_list_title(c, i):
    typ = c.t.cols["type"][i] or "medical_problem"
    return c.r.choice(OPENEMR_LIST[typ])


def g_username_lower(c, i):
    src = next(k for k, g in c.t.gens.items() if g.gen == "username")
    v = c.t.cols[src][i]
    return v.lower() if v else c.p(i)["username"].lower()


def g_user_slug(c, i):
    src = next(k for k, g in c.t.gens.items() if g.gen == "username")
    return slug(c.t.cols[src][i] or c.p(i)["username"], "-")


def g_email_domain_of_row(c, i):
    src = next(k for k, g in c.t.gens.items() if g.gen == "email")
    v = c.t.cols[src][i]
    return v.split("@")[1] if v else c.p(i)["email"].split("@")[1]


def g_md5_content(c, i):
    src = next((k for k, g in c.t.gens.items() if g.gen == "mail_message_id"), None)
    base = c.t.cols[src][i] if src else alnum(c.r, 20)
    return hashlib.md5(base.encode()).hexdigest()


def g_partner_name(c, i):
    p = c.p(i)
    return p["company"] if p["is_company"] else p["full"]


def g_partner_complete_name(c, i):
    p = c.p(i)
    if p["is_company"]:
        return p["company"]
    if p["r"].random() < 0.4:
        return f"{c.t.fake.company()}, {p['full']}"
    return p["full"]


def g_partner_vat(c, i):
    return "BE" + be_enterprise(c.r) if c.p(i)["is_company"] else None


def g_partner_ids(c, i):
    if not c.p(i)["is_company"]:
        return None
    e = be_enterprise(c.r)
    d = {"kbo": f"{e[:4]}.{e[4:7]}.{e[7:]}"}
    if c.r.random() < 0.5:
        d["eori"] = "BE" + e
    return d


def g_partner_website(c, i):
    p = c.p(i)
    return f"https://www.{slug(p['company'], '-')}.be" if p["is_company"] else None


def g_zammad_login(c, i):
    p = c.p(i)
    return p["username"].lower() if p["agent"] else p["email"]


def g_zammad_party(c, i):
    r = c.r
    if r.random() < 0.12:
        return f"Support <support@{c.t.domains[0]}>"
    o = c.p(i) if c.col == "from" else make_person(c.t, r)
    return r.choice([f"{o['full']} <{o['email']}>", f'"{o["last"]}, {o["first"]}" <{o["email"]}>'])


def g_ost_recipients(c, i):
    r = c.r
    d = {"to": {str(r.randint(1, 900)): f"{o['full']} <{o['email']}>" for o in [make_person(c.t, r)]}}
    if r.random() < 0.3:
        o = make_person(c.t, r)
        d["cc"] = {str(r.randint(1, 900)): f"{o['full']} <{o['email']}>"}
    return json.dumps(d, ensure_ascii=False)


def g_vitals_json(c, i):
    r = c.r
    d = {"RR": f"{r.randint(100, 175)}/{r.randint(60, 105)}", "Puls": r.randint(52, 110), "Temp": round(r.uniform(36.1, 38.9), 1),
         "Gewicht_kg": round(r.uniform(48, 135), 1), "SpO2": r.randint(90, 100)}
    if r.random() < 0.5:
        d["BZ_mg_dl"] = r.randint(70, 260)
    return d


def g_odoo_job_name(c, i):
    k = c.r.randrange(len(VR.JOBS_VAC))
    nl = ["Magazijnmedewerker", "Boekhouder", "Verkoopmanager", "Customer Success Specialist", "Data Engineer",
          "Aankoper", "HR Generalist", "Servicetechnicus", "Product Owner", "Logistiek planner"]
    fr = ["Magasinier", "Comptable", "Responsable commercial", "Customer Success Specialist", "Data Engineer",
          "Acheteur", "Généraliste RH", "Technicien de service", "Product Owner", "Planificateur logistique"]
    return {"en_US": VR.JOBS_VAC[k], "nl_BE": nl[k], "fr_BE": fr[k]}


def g_odoo_job_description(c, i):
    r = c.r
    job = r.choice(VR.JOBS_VAC)
    town = r.choice(["Brussel", "Gent", "Antwerpen", "Leuven", "Mechelen"])
    en = r.choice(VR.JOB_VACANCY).format(job=job, city=town)
    return {"en_US": f"<p>{en}</p>", "nl_BE": f"<p>Wij zoeken een gemotiveerde {job.lower()} voor ons team in {town}.</p>"}


def g_wp_session_tokens(c, i):
    r = c.r
    login = int((rand_ts(r) - dt.datetime(1970, 1, 1)).total_seconds())
    d = {}
    for _ in range(r.choice([1, 1, 2])):
        d[hashlib.sha256(r.randbytes(32)).hexdigest()] = {"expiration": login + 14 * 86400, "ip": ip_any(r),
                                                          "ua": r.choice(USER_AGENTS), "login": login}
    return php(d)


def g_mautic_client_info(c, i):
    r = c.r
    b = r.choice([("Chrome", "CH", "Blink"), ("Firefox", "FF", "Gecko"), ("Mobile Safari", "MF", "WebKit"),
                  ("Microsoft Edge", "PS", "Blink"), ("Samsung Browser", "SB", "Blink")])
    return php({"type": "browser", "name": b[0], "short_name": b[1], "version": f"{r.randint(100, 131)}.0",
                "engine": b[2], "engine_version": ""})


USER_AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36 Edg/123.0.2420.81",
    "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.6261.119 Mobile Safari/537.36",
    "Mozilla/5.0 (iPad; CPU OS 16_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1",
]
DEVICE_MODELS = ["iPhone 14", "iPhone 15 Pro", "iPhone 13", "SM-S911B", "SM-A546B", "Pixel 7", "Pixel 8 Pro",
                 "Redmi Note 12", "moto g84", "iPad Air", "ThinkPad T14 Gen 3", "Latitude 5440", "MacBook Air M2",
                 "HP EliteBook 840 G9", "Galaxy Tab S9", "OnePlus 11", "Xperia 10 V"]
MAC_OUIS = ["00:1b:63", "3c:22:fb", "a4:83:e7", "f0:18:98", "00:50:56", "b8:27:eb", "dc:a6:32", "28:cf:e9",
            "e4:5f:01", "8c:85:90", "00:e0:4c", "ac:de:48", "d8:bb:c1", "60:45:cb"]
ROLE_BY_LANG = {"pt": ["geral", "vendas", "apoio", "encomendas", "armazem", "faturacao", "info"],
                "fr": ["contact", "info", "service-client", "commandes", "support", "compta"],
                "de": ["info", "kontakt", "support", "vertrieb", "buchhaltung", "service"],
                "en": ["support", "helpdesk", "billing", "sales", "info", "noreply", "it-support"]}


def g_role_email(c, i):
    r = c.r
    role = r.choice(ROLE_BY_LANG.get(c.t.lang, []) + VR.ROLE_LOCALS)
    return f"{role}@{r.choice(c.t.domains)}"


FIXTURE_CARDS = ["4242424242424242", "4000056655665556", "5555555555554444", "2223003122003222", "5200828282828210",
                 "5105105105105100", "378282246310005", "371449635398431", "6011111111111117", "6011000990139424",
                 "3056930009020004", "36227206271667", "3566002020360505", "6200000000000005", "4111111111111111",
                 "4012888888881881", "4000000000000002", "4000000000009995", "4000002500003155"]


def g_fixture_card(c, i):
    v = c.r.choice(FIXTURE_CARDS)
    return " ".join(re.findall(".{1,4}", v)) if c.r.random() < 0.3 else v


def g_fixture_email(c, i):
    r = c.r
    return r.choice([f"test{r.randint(1, 999)}@example.com", f"qa+checkout{r.randint(1, 9999)}@example.com",
                     "john.doe@example.com", "jane.doe@example.org", f"testuser{r.randint(1, 99)}@example.net",
                     f"teste.{r.randint(1, 999)}@example.com", "checkout-bot@example.com", f"e2e-{alnum(r, 8).lower()}@example.org"])


def g_fixture_phone(c, i):
    r = c.r
    x = f"01{r.randint(0, 99):02d}"
    return r.choice([f"(202) 555-{x}", f"+1 202-555-{x}", f"555-{x}", f"(312) 555-{x}", f"+1 (415) 555-{x}",
                     f"07700 900{r.randint(0, 999):03d}"])


def g_fixture_ip(c, i):
    r = c.r
    return r.choice([f"192.0.2.{r.randint(1, 254)}", f"198.51.100.{r.randint(1, 254)}", f"203.0.113.{r.randint(1, 254)}",
                     "127.0.0.1", "::1", f"2001:db8::{r.randint(1, 0xffff):x}"])


def g_sku_icd_like(c, i):
    r = c.r
    v = f"{r.choice(string.ascii_uppercase)}{r.randint(0, 99):02d}.{r.randint(0, 9)}"
    return v + r.choice(["", "", "", "-BLK", "-XL", "/B", "-2"]) if r.random() < 0.35 else v


def g_us_dl(c, i):
    r = c.r
    st = c.p(i)["town"][2]
    if st == "CA":
        return fill(r, "@#######")
    if st == "NY":
        return fill(r, "### ### ###")
    if st == "FL":
        return fill(r, "@###-###-##-###-#")
    if st == "IL":
        return fill(r, "@###-####-####")
    if st == "TX":
        return fill(r, "########")
    return fill(r, r.choice(["@########", "#########", "@##-##-####"]))


def g_us_ssn(c, i):
    c.t.reseed(c.col, "ssn", i)
    while True:
        v = c.t.fake.ssn()
        if checks.us_ssn_ok(v):
            return v.replace("-", "") if c.r.random() < 0.15 else v


def g_se_pnr(c, i):
    r = c.r
    if c.sql.startswith("varchar(13)"):
        return ids.se_pnr_make(r, long=True)
    v = ids.se_pnr_make(r, long=r.random() < 0.6)
    return v.replace("-", "") if r.random() < 0.3 else v


def g_dk_cpr(c, i):
    v = ids.dk_cpr_make(c.r)
    return v.replace("-", "") if c.sql == "TEXT" and c.r.random() < 0.4 else v


def g_no_fnr(c, i):
    v = ids.no_fnr_make(c.r)
    return f"{v[:6]} {v[6:]}" if c.sql == "TEXT" and c.r.random() < 0.3 else v


def g_pt_nif(c, i):
    v = ids.pt_nif_make(c.r)
    return "PT" + v if c.col in ("taxvat", "customer_taxvat") and c.r.random() < 0.2 else v


def g_pt_company_vat(c, i):
    v = ids.pt_nif_make(c.r, first=c.r.choice("55556"))
    return "PT" + v if c.r.random() < 0.6 else v


def g_br_cpf(c, i):
    return ids.br_cpf_make(c.r, formatted=c.sql != "TEXT" or c.r.random() < 0.5)


def g_be_nn(c, i):
    v = ids.be_nn_make(c.r)
    return re.sub(r"\D", "", v) if c.r.random() < 0.4 else v


def g_de_svnr(c, i):
    return ids.de_svnr_make(c.r, ascii_fold(c.p(i)["last"]))


def g_passport_be(c, i):
    return "".join(c.r.choice("ABEGHKLMNPRSTUVWXYZ") for _ in range(2)) + fill(c.r, "######")


def g_plate_be(c, i):
    r = c.r
    return r.choice([f"{r.randint(1, 2)}-{fill(r, '@@@')}-{fill(r, '###')}", f"{fill(r, '@@@')}-{fill(r, '###')}",
                     f"{r.randint(1, 2)}{fill(r, '@@@')}{fill(r, '###')}"])


def g_device_serial(c, i):
    r = c.r
    up = string.ascii_uppercase + string.digits
    return r.choice([alnum(r, 12, up), alnum(r, 7, up), "PF" + alnum(r, 6, up), "5CG" + alnum(r, 7, up)])


def g_fcm(c, i):
    r = c.r
    return alnum(r, 22, string.ascii_letters + string.digits + "-_") + ":APA91b" + alnum(r, 134, string.ascii_letters + string.digits + "-_")


def g_url_personal(c, i):
    p, r = c.p(i), c.r
    u, fi, la = p["username"].lower(), slug(p["first"]), slug(p["last"])
    return r.choice([f"https://{fi}{la}.com", f"https://www.{fi}-{la}.{P.TLD[c.t.country]}", f"https://github.com/{u}",
                     f"https://{u}.wordpress.com", f"https://www.instagram.com/{u}/", f"https://{fi}.{la}.me",
                     f"https://about.me/{u}", f"https://mastodon.social/@{u}"])


def g_payment_txn(c, i):
    r = c.r
    return r.choice(["ch_3" + alnum(r, 24), "pi_3" + alnum(r, 24), alnum(r, 17, string.ascii_uppercase + string.digits)])


def g_office_networks(c, i):
    r = c.r
    nets = r.sample(["10.0.0.0/8", "192.168.0.0/16", "172.16.0.0/12", "81.169.145.0/24", "185.26.156.0/22",
                     "2a01:4f8:c17::/48", "46.4.0.0/16"], r.randint(1, 3))
    return json.dumps(nets)


GENS = {
    "pk": lambda c, i: i + 1,
    "fk": lambda c, i: c.r.randint(1, c.a.get("max", max(c.t.rows, 1))),
    "seq": lambda c, i: c.a["start"] + i,
    "int": lambda c, i: c.r.randint(c.a["lo"], c.a["hi"]),
    "int_str": lambda c, i: str(c.r.randrange(c.a["lo"], c.a["hi"] + 1, c.a.get("step", 1))),
    "float": lambda c, i: round(c.r.uniform(c.a["lo"], c.a["hi"]), c.a.get("nd", 2)),
    "money": g_money,
    "flag": g_flag,
    "choice": g_choice,
    "ts_event": lambda c, i: rand_ts(c.r),
    "unix_ts": lambda c, i: str(int((rand_ts(c.r) - dt.datetime(1970, 1, 1)).total_seconds())),
    "date_event": lambda c, i: rand_date(c.r),
    "date_event_str": lambda c, i: rand_date(c.r).isoformat(),
    "dob": lambda c, i: c.p(i)["dob"],
    "dob_datetime": lambda c, i: dt.datetime.combine(c.p(i)["dob"], dt.time()),
    "dob_str": lambda c, i: c.p(i)["dob"].strftime(c.a.get("fmt", "%d.%m.%Y")),
    "first_name": lambda c, i: c.p(i)["first"],
    "last_name": lambda c, i: (c.p(i)["particle"] + " " if c.p(i)["particle"] else "") + c.p(i)["last"],
    "last_name_nl": lambda c, i: c.p(i)["last"],
    "middle_name": lambda c, i: c.p(i)["middle"] if c.r.random() < 0.75 else c.p(i)["middle"][0] + ".",
    "full_name": lambda c, i: c.p(i)["full"],
    "full_name_female": lambda c, i: make_person(c.t, c.r, "F")["full"],
    "full_name_other": lambda c, i: make_person(c.t, c.r)["full"],
    "tussenvoegsel": lambda c, i: c.p(i)["particle"] or c.r.choice(NL_PARTICLES),
    "initials": g_initials,
    "doctor_name": g_doctor,
    "staff_name": pooled(12, lambda c: make_person(c.t, c.r)["full"]),
    "staff_username": pooled(15, g_staff_username),
    "staff_signature": pooled(25, g_staff_signature),
    "emergency_contact": g_emergency,
    "email": lambda c, i: c.p(i)["email"],
    "work_email": lambda c, i: work_email(c.r, c.p(i), c.t.domains[0]),
    "role_email": g_role_email,
    "email_obf": lambda c, i: obfuscate_email(c.r, c.p(i)["email"]),
    "email_from": lambda c, i: f'"{c.p(i)["full"]}" <{c.p(i)["email"]}>' if c.r.random() < .7 else f'{c.p(i)["full"]} <{c.p(i)["email"]}>',
    "email_domain_of_row": g_email_domain_of_row,
    "email_sha256": lambda c, i: ids.email_sha256(make_person(c.t, c.r)["email"]),
    "fixture_email": g_fixture_email,
    "fixture_first": lambda c, i: c.r.choice(["Test", "QA", "John", "Jane", "Teste", "Automation", "Cliente"]),
    "fixture_last": lambda c, i: c.r.choice(["Tester", "Doe", "User", "Checkout", "Teste", "Bot", "Exemplo"]),
    "fixture_cardholder": lambda c, i: c.r.choice(["TEST CARD", "JOHN DOE", "JANE DOE", "QA TESTER", "TEST USER", "CARD HOLDER"]),
    "fixture_note": lambda c, i: c.r.choice([f"Automated checkout test run {c.r.randint(1000, 99999)} - do not ship",
                                             "QA: teste automático, não enviar", f"Selenium run #{c.r.randint(1, 9999)}",
                                             "Test order, please ignore", f"e2e checkout fixture {c.r.randint(1, 500)}"]),
    "fixture_phone": g_fixture_phone,
    "fixture_card": g_fixture_card,
    "fixture_ip": g_fixture_ip,
    "phone": g_phone,
    "mobile": g_mobile,
    "phone_array": lambda c, i: [phone_number(c.r, c.t.country) for _ in range(c.r.choice([1, 1, 2, 2, 3]))],
    "json_phone_list": lambda c, i: json.dumps([mobile_e164_compact(c.r, c.t.country) for _ in range(c.r.choice([1, 1, 2]))]),
    "json_email_list": lambda c, i: json.dumps([work_email(c.r, make_person(c.t, c.r), c.t.domains[0])
                                                for _ in range(c.r.choice([1, 2, 3]))]),
    "street": g_street,
    "street2": lambda c, i: c.r.choice([f"bus {c.r.randint(1, 40)}", f"bte {c.r.randint(1, 40)}", f"app. {c.r.randint(1, 9)}{c.r.choice('ABC')}",
                                        f"{c.r.randint(1, 6)}e verdieping", "Residentie Ter Linden", f"Résidence Les Tilleuls, app. {c.r.randint(1, 30)}"]),
    "street_multiline": lambda c, i: (f"{c.r.choice(P.STREETS['PT'])}, {c.r.randint(1, 180)}"
                                      + (f"\n{c.r.randint(1, 8)}.º {c.r.choice(['Esq.', 'Dto.', 'Frente'])}" if c.r.random() < .4 else "")),
    "street_mixed": lambda c, i: street_line(c.r, c.r.choice(["SE", "NO", "DK", "FI"])),
    "full_address": g_full_address,
    "postcode": lambda c, i: c.p(i)["postcode"],
    "postcode_mixed": lambda c, i: (lambda co: (lambda pc: c.r.choice(["", "", {"SE": "SE-", "NO": "N-", "DK": "DK-", "FI": "FI-"}[co]]) + pc)(
        postcode(c.r, co, c.r.choice(P.TOWNS[co][1]))))(c.r.choice(["SE", "NO", "DK", "FI"])),
    "city": lambda c, i: c.p(i)["town"][0],
    "store_city": lambda c, i: c.r.choice({"fr": ["Paris Les Halles", "Lyon Part-Dieu", "Lille Euralille", "Marseille Grand Littoral",
                                                  "Bordeaux Mériadeck", "Nantes Atlantis", "Toulouse Blagnac", "Strasbourg Rivétoile"],
                                           "da": ["København Fisketorvet", "Aarhus Bruun's Galleri", "Odense Rosengårdcentret",
                                                  "Aalborg Storcenter", "Kolding Storcenter", "Lyngby Storcenter"]}[c.t.lang]),
    "region_pt": lambda c, i: c.r.choice(["Lisboa", "Porto", "Braga", "Setúbal", "Aveiro", "Faro", "Coimbra", "Leiria",
                                          "Viseu", "Madeira", "Açores", "Santarém"]),
    "state_abbr": lambda c, i: c.p(i)["town"][2],
    "lat": lambda c, i: round(c.r.uniform(*P.BOXES[c.t.country][:2]), 7),
    "lon": lambda c, i: round(c.r.uniform(*P.BOXES[c.t.country][2:]), 7),
    "ip_any": lambda c, i: ip_any(c.r),
    "ip4_private": lambda c, i: c.r.choice([f"10.20.{c.r.randint(0, 3)}.{c.r.randint(2, 254)}", f"192.168.1.{c.r.randint(2, 254)}"]),
    "ip_bin": lambda c, i: ipaddress.ip_address(ip_any(c.r)).packed,
    "xff": lambda c, i: ip_any(c.r) + (f", 10.0.{c.r.randint(0, 9)}.{c.r.randint(2, 250)}" if c.r.random() < .6 else ""),
    "office_cidr": pooled(5, lambda c: c.r.choice(["10.20.0.0/24", "10.20.1.0/24", "10.21.0.0/22", "192.168.10.0/24",
                                                   "172.16.4.0/23", "10.30.8.0/21"])),
    "office_networks": g_office_networks,
    "mac": lambda c, i: c.r.choice(MAC_OUIS) + ":" + ":".join(f"{c.r.randint(0, 255):02x}" for _ in range(3)),
    "uuid_text": lambda c, i: str(uuid.UUID(int=c.r.getrandbits(128), version=4)),
    "uuid_text_few": pooled(8, lambda c: str(uuid.UUID(int=c.r.getrandbits(128), version=4))),
    "uuid_bin": lambda c, i: uuid.UUID(int=c.r.getrandbits(128), version=4).bytes,
    "bin8": lambda c, i: c.r.randbytes(8),
    "hex": lambda c, i: f"{c.r.getrandbits(4 * c.a['n']):0{c.a['n']}x}",
    "b64_sha1": lambda c, i: base64.b64encode(c.r.randbytes(20)).decode(),
    "b64url": lambda c, i: alnum(c.r, c.a["n"], string.ascii_letters + string.digits + "-_"),
    "base32": lambda c, i: alnum(c.r, c.a["n"], string.ascii_uppercase + "234567"),
    "bcrypt": lambda c, i: "$2y$10$" + alnum(c.r, 53, "./" + string.ascii_letters + string.digits),
    "magento_hash": lambda c, i: f"{c.r.getrandbits(256):064x}:{alnum(c.r, 32)}:" + c.r.choice(["3_32_2_67108864_2", "1", "2"]),
    "wp_hash": lambda c, i: c.r.choice(["$P$B" + alnum(c.r, 31, "./" + string.ascii_letters + string.digits),
                                        "$wp$2y$10$" + alnum(c.r, 53, "./" + string.ascii_letters + string.digits)]),
    "wp_activation_key": lambda c, i: f"{int((rand_ts(c.r) - dt.datetime(1970, 1, 1)).total_seconds())}:$P$B" + alnum(c.r, 31, "./" + string.ascii_letters + string.digits),
    "zammad_password": lambda c, i: "$argon2id$v=19$m=65536,t=2,p=1$" + base64.b64encode(c.r.randbytes(16)).decode().rstrip("=") + "$" + base64.b64encode(c.r.randbytes(32)).decode().rstrip("="),
    "pin": lambda c, i: fill(c.r, c.r.choice(["####", "####", "######"])),
    "plain_password": lambda c, i: c.r.choice(["Sommer", "Winter", "Proxy", "Matomo", "Firma", "Berlin"]) + str(c.r.randint(2015, 2025)) + c.r.choice("!#$%?"),
    "slack_webhook": lambda c, i: f"https://hooks.slack.com/services/T{alnum(c.r, 8, string.ascii_uppercase + string.digits)}/B{alnum(c.r, 10, string.ascii_uppercase + string.digits)}/{alnum(c.r, 24)}",
    "wp_capabilities": lambda c, i: php({c.r.choices(["customer", "subscriber", "shop_manager", "administrator"], [85, 10, 3, 2])[0]: True}),
    "wp_session_tokens": g_wp_session_tokens,
    "company": lambda c, i: c.t.fake.company(),
    "company_website": lambda c, i: f"https://www.{slug(c.t.fake.company(), '-')}.{P.TLD[c.t.country]}",
    "employer": lambda c, i: c.t.fake.company(),
    "job": lambda c, i: c.r.choice(P.JOBS[c.t.lang]),
    "mautic_client_info": g_mautic_client_info,
    "mautic_tracking_id": lambda c, i: alnum(c.r, 23, string.ascii_lowercase + string.digits),
    "vitals_json": g_vitals_json,
    "odoo_job_name": g_odoo_job_name,
    "odoo_job_description": g_odoo_job_description,
    "odoo_subject": lambda c, i: c.r.choice([f"Re: Quotation S{c.r.randint(10000, 99999)}", f"Invoice INV/2025/{c.r.randint(1, 9999):05d}",
                                             "Your order is confirmed", f"Delivery WH/OUT/{c.r.randint(1, 99999):05d}",
                                             "Reminder: contract renewal", f"Task: {c.r.choice(VR.TICKET_SUBJECTS)}"]),
    "odoo_message_id": lambda c, i: f"<{c.r.randint(10**11, 10**12 - 1)}.{c.r.randint(1600000000, 1790000000)}.{c.r.randint(10**8, 10**9 - 1)}-openerp-{c.r.randint(1, 99999)}-res.partner@odoo-prod>",
    "mail_message_id": lambda c, i: f"<{alnum(c.r, 20)}.{c.r.randint(1000, 9999)}@{c.r.choice(['mail.gmail.com', 'eu-west-1.amazonses.com', 'mx.firma.de', 'zammad.helpdesk'])}>",
    "md5_content": g_md5_content,
    "salary_band": lambda c, i: c.r.choice(VR.SALARY_BANDS),
    "zammad_from": g_zammad_party,
    "zammad_to": g_zammad_party,
    "zammad_login": g_zammad_login,
    "ost_recipients": g_ost_recipients,
    "ethnic_us": lambda c, i: c.r.choice(VR.ETHNIC_US),
    "exercise": lambda c, i: c.r.choice(["Walks 30 min daily", "None, sedentary", "Gym 3x/week", "Swimming twice a week",
                                         "Limited by knee pain", "Cardiac rehab program", "Runs 5k weekly", "Yoga"]),
    "family_history": lambda c, i: c.r.choice(["Breast cancer at 52", "Type 2 diabetes, hypertension", "Died of MI at 67",
                                               "Alzheimer's disease", "Colon cancer", "Stroke at 70", "Healthy", "Depression",
                                               "Prostate cancer", "COPD, smoker"]),
    "relatives": lambda c, i: ", ".join(c.r.sample(["Mother", "Father", "Maternal grandmother", "Paternal grandfather",
                                                    "Brother", "Sister", "Maternal aunt"], c.r.randint(1, 2))),
    "reaction": lambda c, i: c.r.choice(["hives", "anaphylaxis", "rash", "nausea", "angioedema", "shortness of breath", "itching"]),
    "openemr_tobacco": lambda c, i: c.r.choice(["Never smoker", "Former smoker, quit 2015", "Current every day smoker, 1 pack/day",
                                                "Current some day smoker", "10 cigarettes/day", "Smokeless tobacco user", "Never"]),
    "openemr_alcohol": lambda c, i: c.r.choice(["None", "2 glasses of wine per week", "Social drinker", "6 beers on weekends",
                                                "Heavy use, counselled", "Quit 2019 (AA)", "Occasional"]),
    "openemr_drugs": lambda c, i: c.r.choice(["Denies", "Cannabis occasionally", "Former cocaine use, clean since 2018",
                                              "None", "Methadone program", "Cannabis daily"]),
    "openemr_list_title": g_openemr_list_title,
    "condition": lambda c, i: c.r.choice(VR.CONDITIONS[c.a.get("lang", c.t.lang)]),
    "condition_list": g_condition_list,
    "icd_with_text": g_icd_with_text,
    "icd10_gm": g_icd10_gm,
    "icd10_prefixed": g_icd10_prefixed,
    "medication": g_medication,
    "symptom": lambda c, i: c.r.choice(VR.SYMPTOMS[c.a.get("lang", c.t.lang)]),
    "sick_reason": lambda c, i: c.r.choice(V.SICK_REASONS[c.a.get("lang", c.t.lang)]),
    "blood_type": lambda c, i: c.r.choice(VR.BLOOD),
    "religion": lambda c, i: c.r.choice(VR.RELIGIONS[c.a.get("lang", c.t.lang)]),
    "union": g_union,
    "marital": lambda c, i: c.r.choice(fit(c, VR.MARITAL[c.a.get("lang", c.t.lang)])),
    "nationality": lambda c, i: c.r.choice(VR.NATIONALITY_EN),
    "gender_int": lambda c, i: 3 if c.r.random() < 0.03 else (1 if c.p(i)["g"] == "M" else 2),
    "gender_word": lambda c, i: ({"M": "male", "F": "female"} if c.a.get("lang") == "odoo" else {"M": "Male", "F": "Female"})[c.p(i)["g"]]
    if c.r.random() > 0.02 else ("other" if c.a.get("lang") == "odoo" else "Unknown"),
    "us_ssn": g_us_ssn,
    "us_dl": g_us_dl,
    "se_pnr": g_se_pnr, "dk_cpr": g_dk_cpr, "no_fnr": g_no_fnr, "fi_hetu": lambda c, i: ids.fi_hetu_make(c.r),
    "pt_nif": g_pt_nif, "pt_cc": lambda c, i: ids.pt_cc_make(c.r), "br_cpf": g_br_cpf,
    "nl_bsn": lambda c, i: ids.nl_bsn_make(c.r), "be_nn": g_be_nn,
    "de_steuer_id": lambda c, i: checks.de_steuer_id_make(c.r), "de_svnr": g_de_svnr,
    "fr_nir": lambda c, i: ids.fr_nir_make(c.r, male=c.p(i)["g"] == "M"),
    "pt_company_vat": g_pt_company_vat,
    "passport_be": g_passport_be,
    "plate_be": g_plate_be,
    "ref": lambda c, i: c.a["prefix"] + f"{c.r.randint(1, 10 ** c.a['digits'] - 1):0{c.a['digits']}d}",
    "revenue_str": lambda c, i: c.r.choice(["£250,000", "£1.2m", "£5m-£10m", "Under £100k", "£500k", "£2,400,000",
                                            "£12m", "£750,000", "n/a"]),
    "sku_icd_like": g_sku_icd_like,
    "gtin13": lambda c, i: ean13(c.r),
    "source_code": lambda c, i: c.r.choice(["default", "pt_lisboa_wh1", "pt_porto_wh2", "loja_porto_baixa", "loja_colombo",
                                            "dropship_braga", "returns_alverca"]) + ("" if i < 7 else f"_{i}"),
    "warehouse_name": lambda c, i: c.r.choice(["Armazém Central Lisboa", "Armazém Porto", "Loja Porto Baixa", "Loja Colombo",
                                               "Centro de Devoluções Alverca", "Parceiro Dropship Braga", "Hub Carregado"]),
    "ticket_subject": lambda c, i: c.r.choice(VR.TICKET_SUBJECTS) + c.r.choice(["", "", "", f" (#{c.r.randint(1000, 99999)})", " - urgent"]),
    "ticket_subject_de": lambda c, i: c.r.choice(VR.TICKET_SUBJECTS_DE) + c.r.choice(["", "", f" [Ticket#{c.r.randint(10**7, 10**8 - 1)}]"]),
    "page_title": lambda c, i: c.r.choice(["Offre de printemps | Maison Lefèvre", "Contact | Maison Lefèvre", "Livraison et retours",
                                           "Canapé 3 places Oslo", "Nos magasins", "Merci pour votre inscription", "Catalogue 2025"]),
    "url_referrer": lambda c, i: c.r.choice(["https://www.google.com/", "https://www.google.fr/", "https://www.bing.com/search?q=canape+cuir",
                                             "https://t.co/" + alnum(c.r, 10), "https://www.facebook.com/", "https://duckduckgo.com/",
                                             "https://l.instagram.com/", "https://news.ycombinator.com/", "https://www.ecosia.org/"]),
    "user_agent": lambda c, i: c.r.choice(USER_AGENTS),
    "device_model": lambda c, i: c.r.choice(DEVICE_MODELS),
    "device_serial": g_device_serial,
    "idfa": lambda c, i: str(uuid.UUID(int=c.r.getrandbits(128), version=4)).upper(),
    "gaid": lambda c, i: str(uuid.UUID(int=c.r.getrandbits(128), version=4)),
    "fcm_token": g_fcm,
    "sha256_content": lambda c, i: hashlib.sha256(c.r.randbytes(32)).hexdigest(),
    "content_hash_b64": lambda c, i: base64.urlsafe_b64encode(hashlib.sha512(c.r.randbytes(16)).digest()).decode().rstrip("="),
    "version": lambda c, i: f"{c.r.randint(3, 5)}.{c.r.randint(0, 14)}.{c.r.randint(0, 9)}" + c.r.choice(["", "", f" ({c.r.randint(1000, 4999)})"]),
    "file_name": lambda c, i: c.r.choice(["screenshot.png", f"invoice_{c.r.randint(2021, 2025)}_{c.r.randint(1, 12):02d}.pdf",
                                          f"IMG_{c.r.randint(1000, 9999)}.JPG", "error-log.txt", "export.csv", "image001.png",
                                          f"order-{c.r.randint(10000, 99999)}.pdf", "logs.zip", "Scan_0001.pdf"]),
    "mime": lambda c, i: c.r.choice(["image/png", "application/pdf", "image/jpeg", "text/plain", "text/csv", "application/zip"]),
    "mailbox_name": lambda c, i: c.r.choice(["Support", "Billing", "Sales", "Help Desk", "IT Service Desk", "Returns", "No Reply"]),
    "chart_location": lambda c, i: c.r.choice([f"Shelf {c.r.choice('ABCDEF')}-{c.r.randint(1, 30)}", f"Cabinet {c.r.randint(1, 9)} / Drawer {c.r.randint(1, 4)}",
                                               "Archive room", f"Box {c.r.randint(100, 999)}"]),
    "tags_sv": lambda c, i: c.r.sample(["stamkund", "nyhetsbrev", "företag", "e-faktura", "rabatt10", "VIP", "reklamation", "autogiro"],
                                       c.r.choice([0, 1, 1, 2, 3])),
    "payment_txn_id": g_payment_txn,
    "url_personal": g_url_personal,
    "facebook_url": lambda c, i: f"https://www.facebook.com/{slug(c.p(i)['first'])}.{slug(c.p(i)['last'])}" + c.r.choice(["", f".{c.r.randint(1, 999)}"]),
    "linkedin": lambda c, i: f"https://www.linkedin.com/in/{slug(c.p(i)['first'])}-{slug(c.p(i)['last'])}" + c.r.choice(["", f"-{c.r.getrandbits(28):07x}"]) + "/",
    "handle": lambda c, i: "@" + c.p(i)["username"],
    "username": lambda c, i: c.p(i)["username"],
    "username_lower": g_username_lower,
    "user_slug": g_user_slug,
    "partner_name": g_partner_name,
    "partner_complete_name": g_partner_complete_name,
    "partner_company_vat": g_partner_vat,
    "partner_company_ids": g_partner_ids,
    "partner_company_website": g_partner_website,
    "partner_is_company": lambda c, i: c.p(i)["is_company"],
}
COLGENS = {"text": col_text, "cooked_of": col_cooked_of, **{k: col_tracked for k in TRACK}}


class Col:
    def __init__(self, t, cdef, gen=None, args=None, labels=None, key=None):
        self.t = t
        self.col = cdef["column"]
        self.sql = cdef["sql_type"]
        self.gen = gen or cdef["gen"]
        self.a = args if args is not None else (cdef.get("args") or {})
        self.labels = labels if labels is not None else cdef["labels"]
        self.r = random.Random(f"{t.seed}:{t.app}:{t.name}:{self.col}" + (f":{key}" if key is not None else ""))
        self.free_text = None
        self.tracked = None
        self.person_key = lambda i: i

    def p(self, i):
        return self.t.person(self.person_key(i))


def check_known(schemas):
    unknown = set()
    for spec in schemas:
        for t in spec["tables"]:
            for c in t["columns"]:
                if c["gen"] not in GENS and c["gen"] not in COLGENS and not c["gen"].startswith("eav_"):
                    unknown.add((c["gen"], spec["app"], t["table"], c["column"]))
            for a in (t.get("eav") or {}).get("attributes", []):
                if a["gen"] not in GENS:
                    unknown.add((a["gen"], spec["app"], t["table"], "eav:" + a["key"]))
    if unknown:
        sys.exit("unknown generators:\n" + "\n".join(f"  {g} ({a}.{t}.{c})" for g, a, t, c in sorted(unknown)))


# ----------------------------------------------------------------------------------------
# tables
# ----------------------------------------------------------------------------------------

def gen_plain(t):
    for cdef in t.tdef["columns"]:
        c = Col(t, cdef)
        t.gens[c.col] = c
        null = cdef.get("null", 0.0)
        mask = [null > 0 and c.r.random() < null for _ in range(t.rows)]
        if c.gen in COLGENS:
            vals = COLGENS[c.gen](c, mask)
        else:
            fn = GENS[c.gen]
            t.reseed(c.col)
            vals = [None if mask[i] else fn(c, i) for i in range(t.rows)]
        t.cols[c.col] = vals


def gen_eav(t):
    eav = t.tdef["eav"]
    attrs = eav["attributes"]
    cdefs = t.tdef["columns"]
    r = t.r
    # entity groups: each entity has a random subset of the attributes (in the schema's order)
    rows = []  # (entity, attribute index)
    entity = 0
    while len(rows) < t.rows:
        entity += 1
        for k, a in enumerate(attrs):
            if r.random() < 0.8:
                rows.append((entity, k))
    rows = rows[:t.rows]
    key_sql = next(c["sql_type"] for c in cdefs if c["gen"] == "eav_key")
    for cdef in cdefs:
        name = cdef["column"]
        if cdef["gen"] == "eav_entity":
            t.cols[name] = [e for e, _ in rows]
        elif cdef["gen"] == "eav_key":
            t.cols[name] = [int(attrs[k]["key"]) if "int" in key_sql else attrs[k]["key"] for _, k in rows]
        elif cdef["gen"] == "eav_value":
            out = [None] * len(rows)
            for k, a in enumerate(attrs):
                c = Col(t, {"column": name, "sql_type": "text", "gen": a["gen"], "labels": a["labels"]},
                        args=a.get("args") or {}, labels=a["labels"], key=a["key"])
                c.person_key = lambda i, rows=rows: ("entity", rows[i][0])
                t.reseed(name, a["key"])
                for i, (e, kk) in enumerate(rows):
                    if kk == k:
                        out[i] = eav_text(GENS[a["gen"]](c, i))
            t.cols[name] = out
            t.eav_rows = rows
        else:
            c = Col(t, cdef)
            c.person_key = lambda i, rows=rows: ("entity", rows[i][0])
            t.gens[name] = c
            null = cdef.get("null", 0.0)
            t.reseed(name)
            t.cols[name] = [None if (null and c.r.random() < null) else GENS[c.gen](c, i) for i in range(len(rows))]
    t.rows = len(rows)


def eav_text(v):
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


# ----------------------------------------------------------------------------------------
# rendering: the text a database gives back for each value
# ----------------------------------------------------------------------------------------

def pg_jsonb(v):
    if isinstance(v, dict):
        items = sorted(v.items(), key=lambda kv: (len(kv[0].encode()), kv[0].encode()))
        return "{" + ", ".join(json.dumps(k, ensure_ascii=False) + ": " + pg_jsonb(x) for k, x in items) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(pg_jsonb(x) for x in v) + "]"
    return json.dumps(v, ensure_ascii=False)


def pg_array(items):
    out = []
    for s in items:
        if s == "" or s.upper() == "NULL" or re.search(r'[{},"\\\s]', s):
            s = '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
        out.append(s)
    return "{" + ",".join(out) + "}"


def render(v, sql, source):
    """The value as text, as the source returns it (dates ISO, timestamps `YYYY-MM-DD HH:MM:SS`,
    booleans true/false, binary as base64, PostgreSQL arrays and jsonb in the server's form)."""
    if v is None:
        return None
    s = sql.lower()
    if isinstance(v, bytes):
        return base64.b64encode(v).decode()
    if s in ("json", "jsonb") and not isinstance(v, str):
        return pg_jsonb(v) if s == "jsonb" else json.dumps(v, ensure_ascii=False, separators=(",", ":"))
    if s.endswith("[]"):
        return pg_array(v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(v, dt.date):
        return v.isoformat()
    if s in ("inet", "cidr"):
        return v if "/" in v else v + ("/128" if ":" in v else "/32")  # CAST(inet AS text), as scans read it
    m = re.match(r"(decimal|numeric|float|double)\((\d+),(\d+)\)", s)
    if m and isinstance(v, (int, float, Decimal)):
        if m.group(1) == "float":  # MySQL FLOAT(M,D): single precision, D decimals
            x = struct.unpack("f", struct.pack("f", float(v)))[0]
            return f"{x:.{int(m.group(3))}f}"
        return f"{Decimal(str(v)):.{int(m.group(3))}f}"
    if s in ("double", "real", "float", "double precision") and isinstance(v, (int, float, Decimal)):
        r = repr(float(v))
        return r[:-2] if r.endswith(".0") else r
    if isinstance(v, float):
        return repr(v)
    return str(v)


def load_value(v, sql):
    """The value as stored in DIR/data for load_real.py (JSON-serialisable)."""
    if v is None:
        return None
    s = sql.lower()
    if isinstance(v, bytes):
        return base64.b64encode(v).decode()
    if s in ("json", "jsonb"):
        return render(v, sql, None)
    if isinstance(v, (dt.date, Decimal)) or re.match(r"(decimal|numeric|float|double)\(", s):
        return render(v, sql, None)
    return v


def validate_ids(gen, values, counter):
    name = ID_GENS.get(gen)
    if not name:
        return
    ok = ids.VALIDATORS[name]
    for v in values:
        if v is None:
            continue
        if not ok(v):
            sys.exit(f"{gen} value {v!r} fails its validator")
        counter[gen] += 1


def main():
    if os.environ.get("PYTHONHASHSEED") != "0":  # Faker iterates over sets in some locales
        os.environ["PYTHONHASHSEED"] = "0"
        os.execv(sys.executable, [sys.executable] + sys.argv)
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rows", type=int, default=1000)
    ap.add_argument("--out", default=str(HERE.parent / "out_real"))
    ap.add_argument("--schemas", default=str(HERE / "schemas"))
    ap.add_argument("--only", help="comma-separated apps (testing)")
    args = ap.parse_args()
    t_start = time.time()
    schemas = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(Path(args.schemas).glob("*.json"))]
    if args.only:
        schemas = [s for s in schemas if s["app"] in args.only.split(",")]
    check_known(schemas)
    out = Path(args.out)
    (out / "data").mkdir(parents=True, exist_ok=True)
    for f in (out / "data").glob("*.json"):
        f.unlink()
    labels = []
    id_checked = Counter()
    problems = []
    n_values = 0
    with open(out / "columns.jsonl", "w", encoding="utf-8") as colf:
        for spec in schemas:
            app = spec["app"]
            for tdef in spec["tables"]:
                t = Table(app, spec, tdef, args.seed, args.rows)
                if t.source not in ("postgres", "mysql", "sqlite"):
                    sys.exit(f"{app}.{t.name}: no db")
                t.company = t.fake.company()
                t.site = "https://www." + slug(t.fake.company(), "-") + "." + P.TLD[t.country]
                if tdef.get("eav"):
                    gen_eav(t)
                else:
                    gen_plain(t)
                db_schema = {"postgres": app, "mysql": f"pii_real_{app}", "sqlite": "main"}[t.source]
                meta_cols = []
                for cdef in tdef["columns"]:
                    name = cdef["column"]
                    vals = t.cols[name]
                    validate_ids(cdef["gen"], vals, id_checked)
                    rec = {"source": t.source, "schema": app, "table": t.name, "column": name, "db_schema": db_schema,
                           "name_kind": cdef.get("nk") or "descriptive", "labels": list(cdef["labels"]),
                           "type": cdef["sql_type"],
                           "kind": "primary_key" if cdef["gen"] == "pk" else cdef["gen"], "locale": t.locale}
                    if cdef.get("native_type"):
                        rec["native_type"] = cdef["native_type"]
                    if spec.get("synthetic"):
                        rec["synthetic"] = True
                    if tdef.get("fixtures"):
                        rec["fixtures"] = True
                    g = t.gens.get(name)
                    if g is not None and g.free_text is not None:
                        rec["free_text"] = g.free_text
                        found = sorted(k for k, v in g.free_text.items() if v >= FT_MIN)
                        if found != sorted(cdef["labels"]):
                            problems.append(f"{app}.{t.name}.{name}: free-text shares {g.free_text} vs labels {cdef['labels']}")
                    if g is not None and g.tracked is not None:
                        rec["tracked"] = g.tracked
                    if cdef["gen"] == "eav_value":
                        attrs = tdef["eav"]["attributes"]
                        rec["attributes"] = {a["key"]: a["labels"] for a in attrs}
                        first = [k for _, k in t.eav_rows[:MAX_VALUES]]
                        rec["attribute_share"] = {a["key"]: round(first.count(k) / len(first), 4) for k, a in enumerate(attrs)}
                        union = sorted({x for a in attrs for x in a["labels"]})
                        if union != sorted(cdef["labels"]):
                            problems.append(f"{app}.{t.name}.{name}: attribute labels {union} vs column labels {cdef['labels']}")
                    labels.append(rec)
                    m = re.fullmatch(r"(?:var)?char\((\d+)\)", cdef["sql_type"].lower())
                    if m:
                        long_ = [v for v in vals if v is not None and len(str(v)) > int(m.group(1))]
                        if long_:
                            problems.append(f"{app}.{t.name}.{name}: {len(long_)} values longer than {cdef['sql_type']}: {long_[:2]}")
                    values = [render(v, cdef["sql_type"], t.source) for v in vals if v is not None][:MAX_VALUES]
                    n_values += len(values)
                    colf.write(json.dumps({**rec, "values": values}, ensure_ascii=False) + "\n")
                    meta_cols.append({"name": name, "sql_type": cdef["sql_type"], "native_type": cdef.get("native_type"),
                                      "pk": cdef["gen"] == "pk", "binary": any(isinstance(v, bytes) for v in vals)})
                rows = [[load_value(t.cols[c["name"]][i], c["sql_type"]) for c in meta_cols] for i in range(t.rows)]
                with open(out / "data" / f"{app}.{t.name}.json", "w", encoding="utf-8") as df:
                    json.dump({"source": t.source, "app": app, "table": t.name, "db_schema": db_schema,
                               "pre_sql": tdef.get("pre_sql", []), "columns": meta_cols, "rows": rows}, df, ensure_ascii=False)
    if problems and args.rows >= 200:
        sys.exit("labels do not match the generated data:\n  " + "\n  ".join(problems))
    for p_ in problems:
        print("warning:", p_, file=sys.stderr)
    with open(out / "labels.json", "w", encoding="utf-8") as lf:
        json.dump(labels, lf, ensure_ascii=False, indent=0)
    per_cat = Counter(x for c in labels for x in c["labels"])
    tables = {(c["source"], c["schema"], c["table"]) for c in labels}
    manifest = {
        "set": "real", "seed": args.seed, "rows": args.rows, "apps": [s["app"] for s in schemas], "tables": len(tables),
        "columns": len(labels), "decoy_columns": sum(1 for c in labels if not c["labels"]),
        "primary_keys": sum(1 for c in labels if c["kind"] == "primary_key"), "sampled_values": n_values,
        "free_text_columns": sum(1 for c in labels if "free_text" in c),
        "tracked_columns": sum(1 for c in labels if "tracked" in c),
        "eav_value_columns": sum(1 for c in labels if "attributes" in c),
        "per_category": {k: per_cat.get(k, 0) for k in CATEGORIES},
        "per_name_kind": dict(Counter(c["name_kind"] for c in labels)),
        "per_source": {s: {"tables": sum(1 for t in tables if t[0] == s), "columns": sum(1 for c in labels if c["source"] == s)}
                       for s in ("postgres", "mysql", "sqlite")},
        "national_ids_validated": dict(sorted(id_checked.items())), "seconds": round(time.time() - t_start, 1),
    }
    with open(out / "manifest.json", "w") as mf:
        json.dump(manifest, mf, indent=1)
    print(json.dumps(manifest, indent=1))


if __name__ == "__main__":
    main()
