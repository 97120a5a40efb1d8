#!/usr/bin/env python3
"""Generate the labelled PII accuracy dataset of bench/pii (issue #5).

    generate.py --seed 42 --out bench/pii/out [--rows 1000]

Writes
  out/labels.json       per column: source, schema, table, column, name_kind, labels, type
                        (+ kind: the generator that made the values, locale)
  out/columns.jsonl     the same fields plus `values`: the first <= 1000 non-null values
                        rendered as strings (what classifiers are scored on)
  out/data/<schema>.<table>.json   the full rows, for load.py
  out/manifest.json     seed, rows, counts

Every table is assigned to one source (postgres, mysql, sqlite); load.py puts it there.
Labels are what the values ARE (a column named `phone` full of SKUs has no label).
"""

import argparse
import base64
import datetime as dt
import hashlib
import json
import os
import random
import string
import sys
import time
import uuid
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import checks  # noqa: E402
import vocab as V  # noqa: E402

from faker import Faker  # noqa: E402

LOCALES = ["en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "nl_NL", "it_IT", "pl_PL"]
LANG = {"en_US": "en", "en_GB": "en", "de_DE": "de", "fr_FR": "fr", "es_ES": "es",
        "nl_NL": "nl", "it_IT": "it", "pl_PL": "pl"}
FOREIGN_LANGS = ["de", "fr", "es", "nl", "it", "pl"]
SOURCES = ["postgres", "mysql", "sqlite"]
SPECIAL = ["special.health", "special.genetic", "special.biometric", "special.ethnic_origin",
           "special.political_opinion", "special.religion", "special.trade_union",
           "special.sexual_orientation", "criminal_record"]
ALL_CATEGORIES = ["name", "email", "phone", "street_address", "postal_code", "city", "geo_location",
                  "ip_address", "mac_address", "device_id", "username", "url_personal", "vehicle_id",
                  "date_of_birth", "age", "gender", "nationality", "marital_status", "job",
                  "national_id", "passport_number", "drivers_license", "tax_id", "credit_card",
                  "bank_account", "income", "credentials"] + SPECIAL


# ----------------------------------------------------------------------------------------
# value generators: g(c) with c a Ctx (faker for the table's locale, random, language)
# ----------------------------------------------------------------------------------------

class Ctx:
    def __init__(self, fake, r, locale):
        self.f = fake
        self.r = r
        self.locale = locale
        self.lang = LANG[locale]
        self.row = 0

    def pick(self, by_lang):
        return self.r.choice(by_lang.get(self.lang) or by_lang["en"])


def _date(c, start, end):
    span = (end - start).days
    return start + dt.timedelta(days=c.r.randrange(span))


def _ts(c, start=dt.datetime(2021, 1, 1), end=dt.datetime(2026, 11, 30)):
    return start + dt.timedelta(seconds=c.r.randrange(int((end - start).total_seconds())))


def national_id(c):
    loc = c.locale
    if loc == "en_GB":
        v = checks.uk_nino_make(c.r)
    elif loc == "de_DE":
        v = checks.de_steuer_id_make(c.r)
    elif loc == "es_ES":
        v = c.f.nif() if c.r.random() < 0.8 else c.f.nie()
    else:
        v = c.f.ssn()
    assert checks.NATIONAL_ID_OK[loc](v), (loc, v)
    if loc == "nl_NL" and c.r.random() < 0.3:
        v = f"{v[:4]}.{v[4:6]}.{v[6:]}"
    return v


def passport(c):
    r = c.r
    d = lambda n: "".join(r.choice(string.digits) for _ in range(n))  # noqa: E731
    a = lambda n: "".join(r.choice("CFGHJKLMNPRTVWXYZ") for _ in range(n))  # noqa: E731
    return {
        "en_US": lambda: r.choice(["", "A"]) + d(9 if r.random() < .5 else 8),
        "en_GB": lambda: d(9),
        "de_DE": lambda: a(1) + "".join(r.choice("CFGHJKLMNPRTVWXYZ0123456789") for _ in range(8)),
        "fr_FR": lambda: d(2) + "".join(r.choice(string.ascii_uppercase) for _ in range(2)) + d(5),
        "es_ES": lambda: "".join(r.choice(string.ascii_uppercase) for _ in range(3)) + d(6),
        "nl_NL": lambda: "".join(r.choice("ABCDEFGHJKLNPRSTUVWXYZ") for _ in range(2)) + "".join(r.choice("ABCDEFGHJKLNPRSTUVWXYZ0123456789") for _ in range(6)) + d(1),
        "it_IT": lambda: "".join(r.choice(string.ascii_uppercase) for _ in range(2)) + d(7),
        "pl_PL": lambda: "".join(r.choice(string.ascii_uppercase) for _ in range(2)) + d(7),
    }[c.locale]()


def drivers_license(c):
    r, f = c.r, c.f
    d = lambda n: "".join(r.choice(string.digits) for _ in range(n))  # noqa: E731
    if c.locale == "en_US":
        return r.choice([lambda: r.choice(string.ascii_uppercase) + d(7), lambda: d(9),
                         lambda: r.choice(string.ascii_uppercase) + d(12)])()
    if c.locale == "en_GB":
        last = f.last_name().upper().replace("'", "").replace(" ", "")[:5].ljust(5, "9")
        return f"{last}{d(6)}{r.choice(string.ascii_uppercase)}{r.choice(string.ascii_uppercase)}9{r.choice(string.ascii_uppercase)}{r.choice(string.ascii_uppercase)}"
    if c.locale == "de_DE":
        return r.choice("BFGJK") + d(3) + "".join(r.choice(string.ascii_uppercase + string.digits) for _ in range(6)) + d(1)
    if c.locale == "fr_FR":
        return d(12)
    if c.locale == "es_ES":
        return c.f.nif()  # the Spanish licence number is the holder's DNI
    if c.locale == "nl_NL":
        return d(10)
    if c.locale == "it_IT":
        return r.choice(["U1", "MI", "RM", "TO"]) + d(7) + r.choice(string.ascii_uppercase)
    return d(5) + "/" + d(2) + "/" + d(4)


def tax_id(c):
    r = c.r
    d = lambda n: "".join(r.choice(string.digits) for _ in range(n))  # noqa: E731
    return {
        "en_US": lambda: f"9{d(2)}-{r.choice(['70','71','72','78','80','88','90','92','94','99'])}-{d(4)}",  # ITIN
        "en_GB": lambda: d(10),  # UTR
        "de_DE": lambda: f"{d(2)}/{d(3)}/{d(5)}",  # Steuernummer
        "fr_FR": lambda: str(r.randint(0, 3)) + d(12),  # numéro fiscal (SPI)
        "es_ES": lambda: c.f.nie(),
        "nl_NL": lambda: "NL" + d(9) + "B" + d(2),  # btw-id of a sole trader (zzp)
        "it_IT": lambda: d(11),
        "pl_PL": lambda: checks.pl_nip_make(r),
    }[c.locale]()


def phone(c):
    v = c.f.phone_number()
    if c.r.random() < 0.25:  # E.164
        cc = {"en_US": "1", "en_GB": "44", "de_DE": "49", "fr_FR": "33", "es_ES": "34",
              "nl_NL": "31", "it_IT": "39", "pl_PL": "48"}[c.locale]
        n = 10 if cc == "1" else 9 if cc in ("33", "34", "31", "48") else 10
        v = "+" + cc + str(c.r.randint(2, 9)) + "".join(c.r.choice(string.digits) for _ in range(n - 1))
    return v


def email(c):
    return c.f.email() if c.r.random() < 0.6 else c.f.free_email()


def medical_note(c):
    t = c.pick(V.NOTE_TEMPLATES)
    return t.format(sym=c.pick(V.SYMPTOMS), n=c.r.randint(2, 21), cond=c.pick(V.CONDITIONS),
                    med=c.r.choice(V.MEDICATIONS), dose=c.r.choice(V.DOSES), freq=c.pick(V.FREQ),
                    allergy=c.pick(V.ALLERGIES), bt=c.r.choice(V.BLOOD_TYPES))


def medication(c):
    return f"{c.r.choice(V.MEDICATIONS)} {c.r.choice(V.DOSES)} {c.pick(V.FREQ)}"


def dna(c):
    return "".join(c.r.choice("ACGT") for _ in range(c.r.randint(60, 160)))


RSIDS = ["rs429358", "rs7412", "rs1801133", "rs53576", "rs4680", "rs1815739", "rs762551",
         "rs1801282", "rs80357906", "rs28897696", "rs6025", "rs1799963", "rs334", "rs9939609"]


def genotype(c):
    n = c.r.randint(1, 4)
    return "; ".join(f"{rs}:{c.r.choice('ACGT')}{c.r.choice('ACGT')}" for rs in c.r.sample(RSIDS, n))


def genetic_result(c):
    return c.r.choice([
        lambda: f"BRCA1 c.{c.r.randint(60, 5300)}del{c.r.choice(['AG', 'T', 'C'])} {c.r.choice(['pathogenic', 'benign', 'VUS'])}",
        lambda: f"APOE {c.r.choice(['ε2/ε3', 'ε3/ε3', 'ε3/ε4', 'ε4/ε4'])}",
        lambda: f"HLA-B*{c.r.choice(['57:01', '27:05', '15:02', '58:01'])} {c.r.choice(['positive', 'negative'])}",
        lambda: f"CFTR F508del {c.r.choice(['heterozygous', 'homozygous', 'not detected'])}",
        lambda: f"Factor V Leiden (rs6025) {c.r.choice(['G/A', 'G/G', 'A/A'])}",
        lambda: f"MTHFR C677T {c.r.choice(['CT', 'TT', 'CC'])}",
    ])()


def embedding(c, dim=128):
    return [round(c.r.gauss(0, 0.12), 5) for _ in range(dim)]


def fingerprint_b64(c):
    raw = b"FMR\x00 20\x00" + bytes(c.r.getrandbits(8) for _ in range(c.r.randint(120, 200)))
    return base64.b64encode(raw).decode()


def face_b64(c):
    import struct
    return base64.b64encode(struct.pack("<64f", *[c.r.gauss(0, 0.1) for _ in range(64)])).decode()


def iris_code(c):
    return c.r.getrandbits(1024).to_bytes(128, "big").hex()


def criminal(c):
    s = c.pick(V.SENTENCES).format(y=c.r.randint(1995, 2025), m=c.r.randint(2, 48), f=c.r.randint(2, 90) * 50)
    return f"{c.pick(V.OFFENCES)}: {s}"


def url_personal(c):
    u = c.f.user_name()
    return c.r.choice([f"https://www.linkedin.com/in/{u}", f"https://twitter.com/{u}", f"https://x.com/{u}",
                       f"https://www.instagram.com/{u}/", f"https://github.com/{u}", f"https://www.facebook.com/{u}",
                       f"https://{u}.blog.example.net/about", f"https://mastodon.social/@{u}"])


def password_hash(c):
    alphabet = string.ascii_letters + string.digits + "./"
    rnd = lambda n: "".join(c.r.choice(alphabet) for _ in range(n))  # noqa: E731
    return c.r.choice([lambda: f"$2b$12${rnd(53)}",
                       lambda: f"$argon2id$v=19$m=65536,t=3,p=4${rnd(22)}${rnd(43)}",
                       lambda: f"pbkdf2_sha256$600000${rnd(22)}${rnd(44)}="])()


def api_key(c):
    alphabet = string.ascii_letters + string.digits
    rnd = lambda n: "".join(c.r.choice(alphabet) for _ in range(n))  # noqa: E731
    return c.r.choice([f"sk_live_{rnd(24)}", f"ghp_{rnd(36)}", f"xoxb-{rnd(10)}-{rnd(12)}-{rnd(24)}",
                       f"AKIA{rnd(16).upper()}", f"pk_{rnd(32)}"])


def plain_password(c):
    return c.f.password(length=c.r.randint(8, 16))


def geo_pair(c):
    la, lo = c.f.local_latlng(country_code=c.locale[-2:] if c.locale[-2:] in ("US", "GB", "DE", "FR", "ES", "NL", "IT", "PL") else "US", coords_only=True)
    la = float(la) + c.r.uniform(-0.05, 0.05)
    lo = float(lo) + c.r.uniform(-0.05, 0.05)
    return f"{la:.6f},{lo:.6f}"


GEOHASH = "0123456789bcdefghjkmnpqrstuvwxyz"


def geohash(lat, lon, precision=9):
    lat_i, lon_i = [-90.0, 90.0], [-180.0, 180.0]
    bits, bit, ch, even, out = [16, 8, 4, 2, 1], 0, 0, True, ""
    while len(out) < precision:
        rng, v = (lon_i, lon) if even else (lat_i, lat)
        mid = (rng[0] + rng[1]) / 2
        if v > mid:
            ch |= bits[bit]
            rng[0] = mid
        else:
            rng[1] = mid
        even = not even
        if bit < 4:
            bit += 1
        else:
            out += GEOHASH[ch]
            bit, ch = 0, 0
    return out


def lat(c):
    return round(float(geo_pair(c).split(",")[0]), 6)


def lon(c):
    return round(float(geo_pair(c).split(",")[1]), 6)


def gh(c):
    la, lo = map(float, geo_pair(c).split(","))
    return geohash(la, lo)


def luhn_tracking(c):
    # carrier-style tracking numbers with a mod-10 check digit: pass Luhn, are not cards
    body = c.r.choice(["00340434", "1Z", "JJD0", "3S", "CX", "00"]) 
    digits = "".join(c.r.choice(string.digits) for _ in range(c.r.choice([11, 13, 15])))
    if body.isdigit():
        return checks.luhn_complete(body + digits)
    return body + checks.luhn_complete(digits)


def luhn_digits16(c):
    # a 16-digit internal reference that passes Luhn by construction (decoy for card detectors)
    return checks.luhn_complete("".join(c.r.choice(string.digits) for _ in range(15)))


def ean13(c):
    body = "".join(c.r.choice(string.digits) for _ in range(12))
    s = sum(int(x) * (3 if i % 2 else 1) for i, x in enumerate(body))
    return body + str((10 - s % 10) % 10)


def ean13_luhn(c):
    # an EAN-13 with a German (40x) GS1 prefix whose digits also pass Luhn, like a 13-digit
    # Visa number would: the worst case for a card detector (decoy, issue #12)
    while True:
        code = ean13_prefixed(c, "40" + c.r.choice("0123456789"))
        if checks.luhn_ok(code):
            return code


def ean13_prefixed(c, prefix):
    body = prefix + "".join(c.r.choice(string.digits) for _ in range(12 - len(prefix)))
    s = sum(int(x) * (3 if i % 2 else 1) for i, x in enumerate(body))
    return body + str((10 - s % 10) % 10)


def product_name(c):
    return f"{c.r.choice(V.PRODUCT_ADJ)} {c.r.choice(V.PRODUCT_NOUN)} {c.r.choice([2, 3, 5, 7, 9, 10, 12, 20, 300, 500])}{c.r.choice(['', '0', 'X', ' Plus', ' Lite'])}"


def sku(c):
    return f"{''.join(c.r.choice(string.ascii_uppercase) for _ in range(c.r.choice([2, 3])))}-{c.r.randint(1000, 99999)}-{c.r.choice(V.COLORS)[:3].upper()}"


def order_number(c):
    return c.r.choice([f"ORD-{c.r.randint(2019, 2026)}-{c.r.randint(1, 999999):06d}",
                       f"SO{c.r.randint(10000000, 99999999)}", f"#{c.r.randint(100000, 9999999)}"])


def invoice_number(c):
    return f"INV-{c.r.randint(2020, 2026)}/{c.r.randint(1, 99999):05d}"


def hexhash(c):
    return hashlib.sha256(f"product-{c.r.random()}".encode()).hexdigest() if c.r.random() < .6 else \
        hashlib.md5(f"file-{c.r.random()}".encode()).hexdigest()


def decoy_json(c):
    return {"sku": sku(c), "color": c.r.choice(V.COLORS), "size": c.r.choice(V.SIZES),
            "weight_g": c.r.randint(50, 9000), "tags": c.r.sample(["new", "sale", "eco", "bundle", "b2b"], 2)}


def profile_json(c):
    return {"first_name": c.f.first_name(), "last_name": c.f.last_name(), "email": c.f.email(),
            "newsletter": c.r.random() < .5, "lang": c.lang}


def sensor_json(c):
    return {"temp_c": round(c.r.uniform(-10, 40), 2), "humidity": round(c.r.uniform(10, 95), 1),
            "battery": c.r.randint(1, 100), "fw": f"{c.r.randint(1, 5)}.{c.r.randint(0, 20)}.{c.r.randint(0, 9)}"}


def decimal_money(lo, hi):
    return lambda c: Decimal(f"{c.r.uniform(lo, hi):.2f}")


def address_full(c):
    return c.f.address().replace("\n", ", ")


def contact_combo(c):
    return f"{c.f.name()} <{c.f.email()}>"


def patient_summary(c):
    return f"{c.f.name()}: {c.pick(V.CONDITIONS)}, {c.r.choice(V.MEDICATIONS)} {c.r.choice(V.DOSES)}"


def sick_reason(c):
    return c.pick(V.SICK_REASONS)


def free_delivery_note(c):
    return c.pick(V.DELIVERY_NOTES)


def company(c):
    return c.f.company()


def job(c):
    return c.f.job()


# ----------------------------------------------------------------------------------------
# column kinds: labels, type, generator, names per name kind, null share
# ----------------------------------------------------------------------------------------

def K(labels, typ, gen, desc, abbr=(), foreign=None, null=0.0):
    return {"labels": sorted(labels), "type": typ, "gen": gen, "descriptive": list(desc),
            "abbreviated": list(abbr), "foreign": foreign or {}, "null": null}


def grouped_card(c):
    """A Visa number written in groups of four (`4111 1111 1111 1111`): one number, split."""
    n = c.f.credit_card_number(card_type="visa16")
    return " ".join(n[i:i + 4] for i in range(0, 16, 4))


KINDS = {
    # identifiers and contact
    "first_name": K(["name"], "text", lambda c: c.f.first_name(), ["first_name", "given_name", "firstname"], ["fname", "fn", "first_nm"],
                    {"de": ["vorname"], "fr": ["prenom"], "es": ["nombre"], "nl": ["voornaam"], "it": ["nome"], "pl": ["imie"]}),
    "last_name": K(["name"], "text", lambda c: c.f.last_name(), ["last_name", "surname", "family_name"], ["lname", "ln", "last_nm", "snm"],
                   {"de": ["nachname", "familienname"], "fr": ["nom", "nom_de_famille"], "es": ["apellido", "apellidos"], "nl": ["achternaam"], "it": ["cognome"], "pl": ["nazwisko"]}),
    "full_name": K(["name"], "text", lambda c: c.f.name(), ["full_name", "customer_name", "contact_name", "patient_name", "employee_name"], ["nm", "cust_nm", "fullnm"],
                   {"de": ["name_vollstaendig", "kundenname"], "fr": ["nom_complet"], "es": ["nombre_completo"], "nl": ["naam", "volledige_naam"], "it": ["nome_completo"], "pl": ["imie_nazwisko"]}),
    "middle_name": K(["name"], "text", lambda c: c.f.first_name(), ["middle_name"], ["mname", "mid_nm"],
                     {"de": ["zweitname"], "fr": ["deuxieme_prenom"], "es": ["segundo_nombre"], "nl": ["tussenvoornaam"], "it": ["secondo_nome"], "pl": ["drugie_imie"]}, null=0.6),
    "email": K(["email"], "text", email, ["email", "email_address", "contact_email"], ["eml", "e_mail", "mail"],
               {"de": ["e_mail_adresse", "mailadresse"], "fr": ["courriel", "adresse_mail"], "es": ["correo", "correo_electronico"], "nl": ["emailadres", "e_mailadres"], "it": ["posta_elettronica", "indirizzo_email"], "pl": ["adres_email", "poczta"]}, null=0.05),
    "phone": K(["phone"], "text", phone, ["phone", "phone_number", "mobile", "telephone"], ["tel", "ph", "mob", "phone_no"],
               {"de": ["telefon", "telefonnummer", "handy"], "fr": ["telephone", "portable"], "es": ["telefono", "movil"], "nl": ["telefoonnummer", "mobiel"], "it": ["telefono", "cellulare"], "pl": ["telefon", "nr_telefonu"]}, null=0.1),
    "street_address": K(["street_address"], "text", lambda c: c.f.street_address(), ["street_address", "address_line1", "street"], ["addr", "addr1", "str"],
                        {"de": ["strasse", "anschrift"], "fr": ["adresse", "rue"], "es": ["direccion", "calle"], "nl": ["straat", "adres"], "it": ["indirizzo", "via"], "pl": ["ulica", "adres"]}),
    "full_address": K(["street_address"], "text", address_full, ["postal_address", "home_address", "mailing_address"], ["addr_full", "haddr"],
                      {"de": ["wohnanschrift"], "fr": ["adresse_postale"], "es": ["domicilio"], "nl": ["woonadres"], "it": ["indirizzo_residenza"], "pl": ["adres_zamieszkania"]}),
    "postal_code": K(["postal_code"], "text", lambda c: c.f.postcode(), ["postal_code", "zip_code", "postcode"], ["zip", "plz", "pc"],
                     {"de": ["postleitzahl"], "fr": ["code_postal"], "es": ["codigo_postal"], "nl": ["postcode_nl"], "it": ["cap", "codice_postale"], "pl": ["kod_pocztowy"]}),
    "city": K(["city"], "text", lambda c: c.f.city(), ["city", "town", "home_city"], ["cty", "twn"],
              {"de": ["stadt", "wohnort", "ort"], "fr": ["ville", "commune"], "es": ["ciudad", "localidad"], "nl": ["woonplaats", "stad", "plaats"], "it": ["citta", "comune"], "pl": ["miasto", "miejscowosc"]}),
    "geo_pair": K(["geo_location"], "text", geo_pair, ["home_location", "last_known_position", "gps_coordinates"], ["latlng", "gps", "loc"],
                  {"de": ["standort", "koordinaten"], "fr": ["position", "coordonnees"], "es": ["ubicacion", "coordenadas"], "nl": ["locatie"], "it": ["posizione"], "pl": ["lokalizacja", "wspolrzedne"]}),
    "lat": K(["geo_location"], "float", lat, ["latitude", "home_latitude"], ["lat"],
             {"de": ["breitengrad"], "fr": ["latitude_fr"], "es": ["latitud"], "nl": ["breedtegraad"], "it": ["latitudine"], "pl": ["szerokosc_geo"]}),
    "lon": K(["geo_location"], "float", lon, ["longitude", "home_longitude"], ["lon", "lng"],
             {"de": ["laengengrad"], "fr": ["longitude_fr"], "es": ["longitud"], "nl": ["lengtegraad"], "it": ["longitudine"], "pl": ["dlugosc_geo"]}),
    "geohash": K(["geo_location"], "text", gh, ["geohash", "location_geohash"], ["gh", "ghash"],
                 {"de": ["geohash_standort"], "fr": ["geohash_position"], "es": ["geohash_ubicacion"], "nl": ["geohash_locatie"], "it": ["geohash_posizione"], "pl": ["geohash_lokalizacja"]}),
    "ipv4": K(["ip_address"], "text", lambda c: c.f.ipv4_public() if c.r.random() < .8 else c.f.ipv4_private(), ["ip_address", "client_ip", "last_login_ip"], ["ip", "ipaddr", "src_ip"],
              {"de": ["ip_adresse"], "fr": ["adresse_ip"], "es": ["direccion_ip"], "nl": ["ip_adres"], "it": ["indirizzo_ip"], "pl": ["adres_ip"]}),
    "ipv6": K(["ip_address"], "text", lambda c: c.f.ipv6(), ["ipv6_address", "client_ipv6"], ["ip6", "ipv6"],
              {"de": ["ipv6_adresse"], "fr": ["adresse_ipv6"], "es": ["direccion_ipv6"], "nl": ["ipv6_adres"], "it": ["indirizzo_ipv6"], "pl": ["adres_ipv6"]}),
    "mac": K(["mac_address"], "text", lambda c: c.f.mac_address() if c.r.random() < .7 else c.f.mac_address().upper().replace(":", "-"), ["mac_address", "device_mac", "wifi_mac"], ["mac", "hwaddr"],
             {"de": ["mac_adresse"], "fr": ["adresse_mac"], "es": ["direccion_mac"], "nl": ["mac_adres"], "it": ["indirizzo_mac"], "pl": ["adres_mac"]}),
    "imei": K(["device_id"], "text", lambda c: checks.imei_make(c.r), ["imei", "device_imei"], ["imei_no", "dev_imei"],
              {"de": ["geraete_imei"], "fr": ["imei_appareil"], "es": ["imei_dispositivo"], "nl": ["imei_toestel"], "it": ["imei_dispositivo"], "pl": ["imei_urzadzenia"]}),
    "ad_id": K(["device_id"], "text", lambda c: str(uuid.UUID(int=c.r.getrandbits(128), version=4)).upper() if c.r.random() < .5 else str(uuid.UUID(int=c.r.getrandbits(128), version=4)), ["advertising_id", "idfa", "gaid"], ["ad_id", "adid"],
               {"de": ["werbe_id"], "fr": ["identifiant_publicitaire"], "es": ["id_publicidad"], "nl": ["advertentie_id"], "it": ["id_pubblicita"], "pl": ["id_reklamowy"]}),
    "push_token": K(["device_id"], "text", lambda c: "".join(c.r.choice(string.ascii_letters + string.digits + "-_") for _ in range(22)) + ":APA91b" + "".join(c.r.choice(string.ascii_letters + string.digits + "-_") for _ in range(134)), ["push_token", "fcm_token", "device_token"], ["fcm", "push_tok"],
                    {"de": ["push_kennung"], "fr": ["jeton_push"], "es": ["token_push"], "nl": ["push_sleutel"], "it": ["token_notifica"], "pl": ["token_push"]}),
    "device_serial": K(["device_id"], "text", lambda c: c.r.choice(["R58", "F2L", "C02", "DMP", "SN"]) + "".join(c.r.choice(string.ascii_uppercase + string.digits) for _ in range(9)), ["device_serial", "serial_number"], ["serial", "sn", "dev_sn"],
                       {"de": ["seriennummer"], "fr": ["numero_de_serie"], "es": ["numero_de_serie"], "nl": ["serienummer"], "it": ["numero_seriale"], "pl": ["numer_seryjny"]}),
    "username": K(["username"], "text", lambda c: c.f.user_name() if c.r.random() < .8 else "@" + c.f.user_name(), ["username", "login", "user_handle", "screen_name"], ["uname", "usr", "login_nm"],
                  {"de": ["benutzername", "anmeldename"], "fr": ["identifiant", "nom_utilisateur"], "es": ["usuario", "nombre_usuario"], "nl": ["gebruikersnaam"], "it": ["nome_utente"], "pl": ["nazwa_uzytkownika", "login_pl"]}),
    "url_personal": K(["url_personal"], "text", url_personal, ["profile_url", "social_profile", "homepage", "linkedin_url"], ["url", "prof_url", "www"],
                      {"de": ["profil_link"], "fr": ["lien_profil"], "es": ["perfil_url"], "nl": ["profiel_link"], "it": ["profilo_url"], "pl": ["profil_link"]}, null=0.2),
    "plate": K(["vehicle_id"], "text", lambda c: c.f.license_plate(), ["license_plate", "number_plate", "vehicle_registration"], ["plate", "reg_no", "lp"],
               {"de": ["kennzeichen", "kfz_kennzeichen"], "fr": ["immatriculation", "plaque"], "es": ["matricula"], "nl": ["kenteken"], "it": ["targa"], "pl": ["nr_rejestracyjny"]}),
    "vin": K(["vehicle_id"], "text", lambda c: checks.vin_make(c.r), ["vin", "vehicle_identification_number", "chassis_number"], ["vin_no", "chassis"],
             {"de": ["fahrgestellnummer"], "fr": ["numero_vin"], "es": ["numero_bastidor"], "nl": ["chassisnummer"], "it": ["numero_telaio"], "pl": ["numer_vin"]}),
    # demographics
    "dob": K(["date_of_birth"], "date", lambda c: _date(c, dt.date(1930, 1, 1), dt.date(2008, 12, 31)), ["date_of_birth", "birth_date", "birthday"], ["dob", "bdate", "birth_dt"],
             {"de": ["geburtsdatum", "geburtstag"], "fr": ["date_de_naissance", "date_naissance"], "es": ["fecha_de_nacimiento", "fecha_nacimiento"], "nl": ["geboortedatum"], "it": ["data_di_nascita", "data_nascita"], "pl": ["data_urodzenia"]}),
    "dob_text": K(["date_of_birth"], "text", lambda c: _date(c, dt.date(1930, 1, 1), dt.date(2008, 12, 31)).strftime(c.r.choice(["%d.%m.%Y", "%d/%m/%Y", "%m/%d/%Y"])), ["birth_date_text", "born_on"], ["dob_str", "bday"],
                  {"de": ["geb_datum"], "fr": ["ne_le"], "es": ["nacido_el"], "nl": ["geboren_op"], "it": ["nato_il"], "pl": ["urodzony"]}),
    "age": K(["age"], "int", lambda c: c.r.randint(18, 95), ["age", "age_years", "customer_age"], ["ag", "age_yrs"],
             {"de": ["alter"], "fr": ["age_ans"], "es": ["edad"], "nl": ["leeftijd"], "it": ["eta"], "pl": ["wiek"]}),
    "gender": K(["gender"], "text", lambda c: c.pick(V.GENDERS), ["gender", "sex"], ["gndr", "sx", "g"],
                {"de": ["geschlecht"], "fr": ["sexe", "genre"], "es": ["sexo", "genero"], "nl": ["geslacht"], "it": ["sesso", "genere"], "pl": ["plec"]}),
    "nationality": K(["nationality"], "text", lambda c: c.pick(V.NATIONALITIES), ["nationality", "citizenship"], ["natl", "nat", "citz"],
                     {"de": ["staatsangehoerigkeit", "nationalitaet"], "fr": ["nationalite"], "es": ["nacionalidad"], "nl": ["nationaliteit"], "it": ["nazionalita", "cittadinanza"], "pl": ["obywatelstwo", "narodowosc"]}),
    "nationality_code": K(["nationality"], "text", lambda c: c.r.choice(V.ISO_COUNTRIES), ["nationality_code", "citizenship_country"], ["nat_cd"],
                          {"de": ["staatsangehoerigkeit_code"], "fr": ["code_nationalite"], "es": ["cod_nacionalidad"], "nl": ["nationaliteit_code"], "it": ["codice_cittadinanza"], "pl": ["kod_obywatelstwa"]}),
    "marital": K(["marital_status"], "text", lambda c: c.pick(V.MARITAL), ["marital_status", "civil_status"], ["mar_st", "mstat"],
                 {"de": ["familienstand"], "fr": ["situation_familiale", "etat_civil"], "es": ["estado_civil"], "nl": ["burgerlijke_staat"], "it": ["stato_civile"], "pl": ["stan_cywilny"]}),
    "job": K(["job"], "text", job, ["job_title", "occupation", "profession", "position"], ["job", "occ", "pos_title"],
             {"de": ["beruf", "berufsbezeichnung"], "fr": ["profession_fr", "metier", "poste"], "es": ["profesion", "ocupacion", "puesto"], "nl": ["beroep", "functie"], "it": ["professione", "mansione"], "pl": ["zawod", "stanowisko"]}),
    # government and financial
    "national_id": K(["national_id"], "text", national_id, ["national_id", "social_security_number", "citizen_service_number", "tax_identification_number"], ["ssn", "nin", "natid", "bsn", "nir"],
                     {"de": ["steuer_id", "steueridentifikationsnummer"], "fr": ["numero_securite_sociale", "numero_insee"], "es": ["dni", "documento_identidad"], "nl": ["burgerservicenummer", "sofinummer"], "it": ["codice_fiscale"], "pl": ["pesel", "numer_pesel"]}),
    "passport": K(["passport_number"], "text", passport, ["passport_number", "passport_no"], ["pass_no", "ppn", "pp_num"],
                  {"de": ["reisepassnummer", "passnummer"], "fr": ["numero_passeport", "passeport"], "es": ["numero_pasaporte", "pasaporte"], "nl": ["paspoortnummer"], "it": ["numero_passaporto"], "pl": ["numer_paszportu"]}, null=0.3),
    "drivers_license": K(["drivers_license"], "text", drivers_license, ["drivers_license_number", "driving_licence_number"], ["dl_no", "dln", "lic_no"],
                         {"de": ["fuehrerscheinnummer"], "fr": ["numero_permis", "permis_de_conduire"], "es": ["carnet_de_conducir", "permiso_conducir"], "nl": ["rijbewijsnummer"], "it": ["patente", "numero_patente"], "pl": ["prawo_jazdy", "nr_prawa_jazdy"]}, null=0.2),
    "tax_id": K(["tax_id"], "text", tax_id, ["personal_tax_number", "taxpayer_reference"], ["tin", "utr", "tax_no"],
                {"de": ["steuernummer"], "fr": ["numero_fiscal"], "es": ["numero_fiscal_es"], "nl": ["fiscaal_nummer"], "it": ["partita_iva_personale"], "pl": ["nip"]}),
    "credit_card": K(["credit_card"], "text", lambda c: c.f.credit_card_number() if c.r.random() < .7 else grouped_card(c), ["credit_card_number", "card_number", "pan"], ["cc", "ccnum", "card_no"],
                     {"de": ["kreditkartennummer", "kartennummer"], "fr": ["numero_carte", "carte_bancaire"], "es": ["numero_tarjeta", "tarjeta_credito"], "nl": ["creditcardnummer", "kaartnummer"], "it": ["numero_carta", "carta_di_credito"], "pl": ["numer_karty", "karta_kredytowa"]}),
    "iban": K(["bank_account"], "text", lambda c: c.f.iban() if c.r.random() < .7 else " ".join(c.f.iban()[i:i + 4] for i in range(0, len(c.f.iban()), 4)), ["iban", "bank_account", "account_iban"], ["acct", "iban_no", "bank_acc"],
              {"de": ["bankverbindung", "kontonummer"], "fr": ["rib", "compte_bancaire"], "es": ["cuenta_bancaria", "numero_cuenta"], "nl": ["rekeningnummer", "bankrekening"], "it": ["conto_corrente", "coordinate_bancarie"], "pl": ["numer_konta", "rachunek_bankowy"]}),
    "salary": K(["income"], "numeric", decimal_money(18000, 180000), ["salary", "annual_income", "gross_salary", "monthly_wage"], ["sal", "inc", "gross_sal"],
                {"de": ["gehalt", "jahresgehalt", "einkommen"], "fr": ["salaire", "revenu"], "es": ["salario", "sueldo", "ingresos"], "nl": ["salaris", "inkomen"], "it": ["stipendio", "reddito"], "pl": ["wynagrodzenie", "pensja", "dochod"]}),
    "credit_score": K(["income"], "int", lambda c: c.r.randint(300, 850), ["credit_score", "fico_score"], ["cr_score", "fico"],
                      {"de": ["schufa_score", "bonitaet"], "fr": ["score_credit"], "es": ["puntuacion_credito"], "nl": ["kredietscore"], "it": ["punteggio_credito"], "pl": ["scoring_kredytowy"]}),
    "password_hash": K(["credentials"], "text", password_hash, ["password_hash", "hashed_password", "password_digest"], ["pwd_hash", "pw_hash", "passwd"],
                       {"de": ["passwort_hash", "kennwort"], "fr": ["mot_de_passe_hache", "mdp"], "es": ["contrasena_hash", "clave"], "nl": ["wachtwoord_hash"], "it": ["password_cifrata"], "pl": ["haslo_hash", "haslo"]}),
    "api_key": K(["credentials"], "text", api_key, ["api_key", "secret_token", "access_token"], ["apikey", "tok", "secret"],
                 {"de": ["api_schluessel", "zugangstoken"], "fr": ["cle_api", "jeton_acces"], "es": ["clave_api", "token_acceso"], "nl": ["api_sleutel", "toegangstoken"], "it": ["chiave_api", "token_accesso"], "pl": ["klucz_api", "token_dostepu"]}),
    "plain_password": K(["credentials"], "text", plain_password, ["password", "temp_password"], ["pwd", "pw", "pass"],
                        {"de": ["passwort"], "fr": ["mot_de_passe"], "es": ["contrasena"], "nl": ["wachtwoord"], "it": ["parola_d_ordine"], "pl": ["haslo_tymczasowe"]}),
    "security_answer": K(["credentials"], "text", lambda c: c.r.choice(V.SECURITY_ANSWERS), ["security_answer", "secret_answer"], ["sec_ans", "sq_answer"],
                         {"de": ["sicherheitsantwort"], "fr": ["reponse_secrete"], "es": ["respuesta_secreta"], "nl": ["beveiligingsantwoord"], "it": ["risposta_segreta"], "pl": ["odpowiedz_bezpieczenstwa"]}),
    # special categories
    "diagnosis": K(["special.health"], "text", lambda c: c.pick(V.CONDITIONS), ["diagnosis", "medical_condition", "chronic_conditions"], ["dx", "diag", "cond"],
                   {"de": ["diagnose", "erkrankung", "vorerkrankungen"], "fr": ["diagnostic", "pathologie"], "es": ["diagnostico", "enfermedad"], "nl": ["diagnose_nl", "aandoening"], "it": ["diagnosi", "patologia"], "pl": ["rozpoznanie", "choroba"]}),
    "icd10": K(["special.health"], "text", lambda c: c.r.choice(V.ICD10), ["icd10_code", "diagnosis_code"], ["icd", "icd10", "dx_cd"],
               {"de": ["icd_schluessel", "diagnoseschluessel"], "fr": ["code_cim10"], "es": ["codigo_cie10"], "nl": ["icd_code_nl"], "it": ["codice_icd"], "pl": ["kod_icd10"]}),
    "medication": K(["special.health"], "text", medication, ["medication", "current_medications", "prescription"], ["meds", "rx", "med"],
                    {"de": ["medikation", "medikamente"], "fr": ["traitement", "medicaments"], "es": ["medicacion", "medicamentos"], "nl": ["medicatie", "medicijnen"], "it": ["farmaci", "terapia"], "pl": ["leki", "lekarstwa"]}),
    "medical_note": K(["special.health"], "text", medical_note, ["clinical_notes", "medical_notes", "doctor_notes", "consultation_notes"], ["clin_nt", "med_nt", "hx"],
                      {"de": ["befund", "arztbrief", "anamnese"], "fr": ["compte_rendu_medical", "observations"], "es": ["notas_clinicas", "historia_clinica"], "nl": ["medische_notities", "verslag"], "it": ["note_cliniche", "anamnesi"], "pl": ["notatki_lekarskie", "wywiad"]}, null=0.15),
    "allergy": K(["special.health"], "text", lambda c: c.pick(V.ALLERGIES), ["allergies", "allergy"], ["allrg", "alg"],
                 {"de": ["allergien"], "fr": ["allergies_fr"], "es": ["alergias"], "nl": ["allergieen"], "it": ["allergie"], "pl": ["alergie"]}, null=0.4),
    "blood_type": K(["special.health"], "text", lambda c: c.r.choice(V.BLOOD_TYPES), ["blood_type", "blood_group"], ["bt", "abo"],
                    {"de": ["blutgruppe"], "fr": ["groupe_sanguin"], "es": ["grupo_sanguineo"], "nl": ["bloedgroep"], "it": ["gruppo_sanguigno"], "pl": ["grupa_krwi"]}),
    "disability": K(["special.health"], "text", lambda c: c.pick(V.DISABILITIES), ["disability", "accessibility_needs"], ["disab", "a11y"],
                    {"de": ["behinderung"], "fr": ["handicap"], "es": ["discapacidad"], "nl": ["beperking"], "it": ["disabilita"], "pl": ["niepelnosprawnosc"]}, null=0.5),
    "sick_reason": K(["special.health"], "text", sick_reason, ["sick_leave_reason", "absence_reason_medical"], ["sick_rsn", "abs_med"],
                     {"de": ["krankheitsgrund", "krankmeldung_grund"], "fr": ["motif_arret_maladie"], "es": ["motivo_baja_medica"], "nl": ["reden_ziekmelding"], "it": ["motivo_malattia"], "pl": ["powod_zwolnienia_lekarskiego"]}),
    "dna": K(["special.genetic"], "text", dna, ["dna_sequence", "sequence_read"], ["seq", "dna_seq"],
             {"de": ["dna_sequenz", "erbgut"], "fr": ["sequence_adn"], "es": ["secuencia_adn"], "nl": ["dna_volgorde"], "it": ["sequenza_dna"], "pl": ["sekwencja_dna"]}),
    "genotype": K(["special.genetic"], "text", genotype, ["genotype", "snp_genotypes", "snp_list"], ["gt", "snps", "geno"],
                  {"de": ["genotyp"], "fr": ["genotype_fr"], "es": ["genotipo"], "nl": ["genotype_nl"], "it": ["genotipo_it"], "pl": ["genotyp_pl"]}),
    "genetic_result": K(["special.genetic"], "text", genetic_result, ["genetic_test_result", "genetic_marker"], ["gen_res", "gtr"],
                        {"de": ["gentest_ergebnis"], "fr": ["resultat_test_genetique"], "es": ["resultado_genetico"], "nl": ["genetische_test_uitslag"], "it": ["risultato_test_genetico"], "pl": ["wynik_badania_genetycznego"]}),
    "face_embedding": K(["special.biometric"], "json", embedding, ["face_embedding", "face_template", "face_vector"], ["face_emb", "fvec", "emb"],
                        {"de": ["gesichtsmerkmale"], "fr": ["empreinte_faciale"], "es": ["plantilla_facial"], "nl": ["gezichtskenmerken"], "it": ["impronta_facciale"], "pl": ["wzorzec_twarzy"]}),
    "voiceprint": K(["special.biometric"], "json", lambda c: embedding(c, 64), ["voiceprint", "voice_embedding"], ["vprint", "voice_emb"],
                    {"de": ["stimmabdruck"], "fr": ["empreinte_vocale"], "es": ["huella_vocal"], "nl": ["stemafdruk"], "it": ["impronta_vocale"], "pl": ["odcisk_glosu"]}),
    "fingerprint": K(["special.biometric"], "text", fingerprint_b64, ["fingerprint_template", "fingerprint_minutiae"], ["fp_tmpl", "fprint"],
                     {"de": ["fingerabdruck"], "fr": ["empreinte_digitale"], "es": ["huella_dactilar"], "nl": ["vingerafdruk"], "it": ["impronta_digitale"], "pl": ["odcisk_palca"]}),
    "face_b64": K(["special.biometric"], "text", face_b64, ["face_template_b64", "face_encoding"], ["face_enc", "fenc"],
                  {"de": ["gesichtsvorlage"], "fr": ["gabarit_visage"], "es": ["codificacion_facial"], "nl": ["gezichtsmodel"], "it": ["codifica_volto"], "pl": ["kodowanie_twarzy"]}),
    "iris": K(["special.biometric"], "text", iris_code, ["iris_code", "iris_template"], ["iris", "irc"],
              {"de": ["iriscode"], "fr": ["code_iris"], "es": ["codigo_iris"], "nl": ["iriscode_nl"], "it": ["codice_iride"], "pl": ["kod_teczowki"]}),
    "ethnic": K(["special.ethnic_origin"], "text", lambda c: c.pick(V.ETHNIC), ["ethnicity", "ethnic_origin", "race"], ["eth", "ethn", "race_cd"],
                {"de": ["ethnische_herkunft", "herkunft"], "fr": ["origine_ethnique"], "es": ["origen_etnico", "etnia"], "nl": ["etniciteit", "afkomst"], "it": ["origine_etnica", "etnia_it"], "pl": ["pochodzenie_etniczne"]}),
    "party": K(["special.political_opinion"], "text", lambda c: c.r.choice(V.PARTIES[c.locale]), ["political_party", "party_membership", "party_affiliation"], ["pol_party", "pty"],
               {"de": ["partei", "parteimitgliedschaft"], "fr": ["parti_politique"], "es": ["partido_politico", "afiliacion_politica"], "nl": ["politieke_partij", "partij"], "it": ["partito", "partito_politico"], "pl": ["partia", "przynaleznosc_partyjna"]}),
    "opinion": K(["special.political_opinion"], "text", lambda c: c.pick(V.OPINIONS), ["political_views", "political_leaning"], ["pol_view", "polit"],
                 {"de": ["politische_einstellung"], "fr": ["opinion_politique", "orientation_politique"], "es": ["ideologia", "opinion_politica"], "nl": ["politieke_voorkeur"], "it": ["orientamento_politico"], "pl": ["poglady_polityczne"]}),
    "religion": K(["special.religion"], "text", lambda c: c.pick(V.RELIGIONS), ["religion", "faith", "religious_affiliation", "denomination"], ["relig", "rel", "conf"],
                  {"de": ["religion_de", "konfession", "religionszugehoerigkeit"], "fr": ["religion_fr", "confession"], "es": ["religion_es", "creencia"], "nl": ["religie", "geloof", "kerkgenootschap"], "it": ["religione", "fede"], "pl": ["religia", "wyznanie"]}),
    "union_name": K(["special.trade_union"], "text", lambda c: c.r.choice(V.UNIONS[c.locale]), ["trade_union", "union_membership", "union_name"], ["union", "tu", "un_mbr"],
                    {"de": ["gewerkschaft", "gewerkschaftsmitglied"], "fr": ["syndicat", "adhesion_syndicale"], "es": ["sindicato", "afiliacion_sindical"], "nl": ["vakbond", "vakbondslid"], "it": ["sindacato", "iscrizione_sindacale"], "pl": ["zwiazek_zawodowy", "zwiazek"]}, null=0.45),
    "union_flag": K(["special.trade_union"], "bool", lambda c: c.r.random() < 0.3, ["is_union_member", "union_member"], ["tu_mbr", "union_flg"],
                    {"de": ["gewerkschaftsmitglied_jn"], "fr": ["syndique"], "es": ["afiliado_sindicato"], "nl": ["lid_vakbond"], "it": ["iscritto_sindacato"], "pl": ["czlonek_zwiazku"]}),
    "orientation": K(["special.sexual_orientation"], "text", lambda c: c.pick(V.ORIENTATIONS), ["sexual_orientation", "orientation"], ["sex_or", "orient", "so"],
                     {"de": ["sexuelle_orientierung"], "fr": ["orientation_sexuelle"], "es": ["orientacion_sexual"], "nl": ["seksuele_geaardheid", "geaardheid"], "it": ["orientamento_sessuale"], "pl": ["orientacja_seksualna"]}, null=0.3),
    "criminal": K(["criminal_record"], "text", criminal, ["criminal_record", "convictions", "prior_offences"], ["crim_rec", "conv", "cr"],
                  {"de": ["vorstrafen", "fuehrungszeugnis"], "fr": ["casier_judiciaire", "condamnations"], "es": ["antecedentes_penales"], "nl": ["strafblad", "justitiele_documentatie"], "it": ["casellario_giudiziale", "precedenti_penali"], "pl": ["karalnosc", "rejestr_karny"]}, null=0.5),
    "offence": K(["criminal_record"], "text", lambda c: c.pick(V.OFFENCES), ["offence", "offense_type", "charge"], ["off", "chg", "offn"],
                 {"de": ["straftat", "delikt"], "fr": ["infraction", "delit"], "es": ["delito", "infraccion"], "nl": ["delict", "strafbaar_feit"], "it": ["reato"], "pl": ["przestepstwo", "wykroczenie"]}),
    # multi-label
    "contact_combo": K(["email", "name"], "text", contact_combo, ["contact", "recipient", "reply_to"], ["cnt", "rcpt"],
                       {"de": ["kontakt", "empfaenger"], "fr": ["destinataire"], "es": ["destinatario", "contacto"], "nl": ["ontvanger", "contactpersoon"], "it": ["destinatario_it", "contatto"], "pl": ["odbiorca", "kontakt_pl"]}),
    "patient_summary": K(["name", "special.health"], "text", patient_summary, ["patient_summary", "case_summary"], ["pt_sum", "case_sum"],
                         {"de": ["patientenzusammenfassung"], "fr": ["resume_patient"], "es": ["resumen_paciente"], "nl": ["patientsamenvatting"], "it": ["sintesi_paziente"], "pl": ["podsumowanie_pacjenta"]}),
    "profile_json": K(["email", "name"], "json", profile_json, ["profile", "user_profile"], ["prof", "prf"],
                      {"de": ["profil"], "fr": ["profil_utilisateur"], "es": ["perfil"], "nl": ["profiel"], "it": ["profilo"], "pl": ["profil_uzytkownika"]}),
    # ---- not personal (decoys) ----
    "order_id": K([], "int", lambda c: 100000 + c.row * 7 + c.r.randint(0, 6), ["order_id", "order_no"], ["oid", "ord_no"],
                  {"de": ["bestellnummer"], "fr": ["numero_commande"], "es": ["numero_pedido"], "nl": ["bestelnummer"], "it": ["numero_ordine"], "pl": ["numer_zamowienia"]}),
    "order_number": K([], "text", order_number, ["order_reference", "order_number"], ["ord_ref", "ordnum"],
                      {"de": ["auftragsnummer"], "fr": ["reference_commande"], "es": ["referencia_pedido"], "nl": ["orderreferentie"], "it": ["riferimento_ordine"], "pl": ["nr_zamowienia"]}),
    "invoice_number": K([], "text", invoice_number, ["invoice_number"], ["inv_no", "invno"],
                        {"de": ["rechnungsnummer"], "fr": ["numero_facture"], "es": ["numero_factura"], "nl": ["factuurnummer"], "it": ["numero_fattura"], "pl": ["numer_faktury"]}),
    "sku": K([], "text", sku, ["sku", "product_code", "article_number"], ["sku_cd", "art_no"],
             {"de": ["artikelnummer"], "fr": ["reference_article"], "es": ["codigo_articulo"], "nl": ["artikelnummer_nl"], "it": ["codice_articolo"], "pl": ["kod_produktu"]}),
    "row_uuid": K([], "text", lambda c: str(uuid.UUID(int=c.r.getrandbits(128), version=4)), ["event_uuid", "record_uuid", "batch_uuid"], ["uuid", "guid"],
                  {"de": ["vorgang_uuid"], "fr": ["uuid_lot"], "es": ["uuid_lote"], "nl": ["batch_uuid_nl"], "it": ["uuid_lotto"], "pl": ["uuid_partii"]}),
    "price": K([], "numeric", decimal_money(0.5, 2500), ["price", "unit_price", "amount", "total_amount"], ["amt", "prc", "unit_prc"],
               {"de": ["preis", "betrag"], "fr": ["prix", "montant"], "es": ["precio", "importe"], "nl": ["prijs", "bedrag"], "it": ["prezzo", "importo"], "pl": ["cena", "kwota"]}),
    "quantity": K([], "int", lambda c: c.r.randint(1, 50), ["quantity", "units", "stock_level"], ["qty", "qnt"],
                  {"de": ["menge", "anzahl"], "fr": ["quantite"], "es": ["cantidad"], "nl": ["aantal"], "it": ["quantita"], "pl": ["ilosc"]}),
    "event_ts": K([], "timestamp", _ts, ["created_at", "updated_at", "event_time", "shipped_at"], ["ts", "crt_ts", "upd_ts"],
                  {"de": ["erstellt_am", "zeitstempel"], "fr": ["date_creation", "horodatage"], "es": ["fecha_creacion", "marca_tiempo"], "nl": ["aangemaakt_op", "tijdstip"], "it": ["data_creazione"], "pl": ["data_utworzenia", "znacznik_czasu"]}),
    "event_date": K([], "date", lambda c: _date(c, dt.date(2020, 1, 1), dt.date(2026, 11, 30)), ["order_date", "ship_date", "invoice_date"], ["ord_dt", "shp_dt"],
                    {"de": ["bestelldatum", "lieferdatum"], "fr": ["date_commande"], "es": ["fecha_pedido"], "nl": ["besteldatum"], "it": ["data_ordine"], "pl": ["data_zamowienia"]}),
    "order_status": K([], "text", lambda c: c.r.choice(V.ORDER_STATUS), ["status", "order_status"], ["st", "stat"],
                      {"de": ["bestellstatus"], "fr": ["statut"], "es": ["estado_pedido"], "nl": ["status_nl"], "it": ["stato_ordine"], "pl": ["status_zamowienia"]}),
    "ship_status": K([], "text", lambda c: c.r.choice(V.SHIP_STATUS), ["shipment_status", "delivery_status"], ["shp_st", "dlv_st"],
                     {"de": ["versandstatus"], "fr": ["statut_livraison"], "es": ["estado_envio"], "nl": ["verzendstatus"], "it": ["stato_spedizione"], "pl": ["status_przesylki"]}),
    "currency": K([], "text", lambda c: c.r.choice(V.CURRENCIES), ["currency", "currency_code"], ["ccy", "cur"],
                  {"de": ["waehrung"], "fr": ["devise"], "es": ["moneda"], "nl": ["valuta"], "it": ["valuta_it"], "pl": ["waluta"]}),
    "ship_country": K([], "text", lambda c: c.r.choice(V.ISO_COUNTRIES), ["destination_country", "ship_to_country", "origin_country"], ["dest_cc", "ctry"],
                      {"de": ["zielland"], "fr": ["pays_destination"], "es": ["pais_destino"], "nl": ["land_bestemming"], "it": ["paese_destinazione"], "pl": ["kraj_docelowy"]}),
    "tracking": K([], "text", luhn_tracking, ["tracking_number", "parcel_number"], ["trk_no", "trk"],
                  {"de": ["sendungsnummer"], "fr": ["numero_suivi"], "es": ["numero_seguimiento"], "nl": ["track_en_trace"], "it": ["numero_tracciamento"], "pl": ["numer_przesylki"]}),
    "luhn_ref": K([], "text", luhn_digits16, ["internal_reference", "voucher_code", "batch_number"], ["ref", "vch"],
                  {"de": ["gutscheincode"], "fr": ["code_bon"], "es": ["codigo_vale"], "nl": ["waardebon"], "it": ["codice_buono"], "pl": ["kod_bonu"]}),
    "ean": K([], "text", ean13, ["ean", "gtin", "barcode"], ["ean13", "bc"],
             {"de": ["strichcode"], "fr": ["code_barre"], "es": ["codigo_barras"], "nl": ["streepjescode"], "it": ["codice_a_barre"], "pl": ["kod_kreskowy"]}),
    "gtin_luhn": K([], "text", ean13_luhn, ["gtin", "ean_code", "barcode_number"], ["gtin13", "ean13_cd"],
                   {"de": ["ean_nummer"], "fr": ["code_ean"], "es": ["codigo_ean"], "nl": ["ean_nummer_nl"], "it": ["codice_ean"], "pl": ["kod_ean"]}),
    "hexhash": K([], "text", hexhash, ["checksum", "content_hash", "etag"], ["sha", "md5", "chk"],
                 {"de": ["pruefsumme"], "fr": ["somme_controle"], "es": ["suma_verificacion"], "nl": ["controlegetal"], "it": ["checksum_it"], "pl": ["suma_kontrolna"]}),
    "product_name": K([], "text", product_name, ["product_name", "item_name", "title"], ["prod_nm", "item"],
                      {"de": ["produktname", "artikelbezeichnung"], "fr": ["nom_produit", "designation"], "es": ["nombre_producto"], "nl": ["productnaam"], "it": ["nome_prodotto"], "pl": ["nazwa_produktu"]}),
    "company": K([], "text", company, ["supplier_name", "company_name", "vendor"], ["supp_nm", "co_nm"],
                 {"de": ["lieferant", "firma"], "fr": ["fournisseur", "societe"], "es": ["proveedor", "empresa"], "nl": ["leverancier", "bedrijf"], "it": ["fornitore", "azienda"], "pl": ["dostawca", "firma_pl"]}),
    "delivery_note": K([], "text", free_delivery_note, ["delivery_instructions", "handling_notes"], ["dlv_nt", "instr"],
                       {"de": ["lieferhinweis"], "fr": ["instructions_livraison"], "es": ["instrucciones_entrega"], "nl": ["leverinstructies"], "it": ["note_consegna"], "pl": ["uwagi_dostawy"]}, null=0.3),
    "category": K([], "text", lambda c: c.pick(V.CATEGORIES), ["category", "product_category", "segment"], ["cat", "cat_nm"],
                  {"de": ["kategorie", "warengruppe"], "fr": ["categorie"], "es": ["categoria"], "nl": ["categorie_nl"], "it": ["categoria_it"], "pl": ["kategoria"]}),
    "carrier": K([], "text", lambda c: c.r.choice(V.CARRIERS), ["carrier", "shipping_provider"], ["carr", "shp_prv"],
                 {"de": ["versanddienstleister"], "fr": ["transporteur"], "es": ["transportista"], "nl": ["vervoerder"], "it": ["corriere"], "pl": ["przewoznik"]}),
    "weight": K([], "float", lambda c: round(c.r.uniform(0.05, 40), 3), ["weight_kg", "gross_weight"], ["wt", "wgt"],
                {"de": ["gewicht"], "fr": ["poids"], "es": ["peso"], "nl": ["gewicht_nl"], "it": ["peso_it"], "pl": ["waga"]}),
    "rating": K([], "float", lambda c: round(c.r.uniform(1, 5), 1), ["rating", "avg_rating"], ["rtg"],
                {"de": ["bewertung"], "fr": ["note_moyenne"], "es": ["valoracion"], "nl": ["beoordeling"], "it": ["valutazione"], "pl": ["ocena"]}),
    "discount": K([], "numeric", decimal_money(0, 60), ["discount_pct", "discount_rate"], ["disc", "dsc_pct"],
                  {"de": ["rabatt"], "fr": ["remise"], "es": ["descuento"], "nl": ["korting"], "it": ["sconto"], "pl": ["rabat"]}),
    "page_views": K([], "int", lambda c: c.r.randint(0, 100000), ["page_views", "impressions", "clicks"], ["pv", "impr"],
                    {"de": ["seitenaufrufe"], "fr": ["pages_vues"], "es": ["visitas"], "nl": ["paginaweergaven"], "it": ["visualizzazioni"], "pl": ["odslony"]}),
    "event_type": K([], "text", lambda c: c.r.choice(V.EVENT_TYPES), ["event_type", "action"], ["evt", "act"],
                    {"de": ["ereignistyp"], "fr": ["type_evenement"], "es": ["tipo_evento"], "nl": ["gebeurtenis"], "it": ["tipo_evento_it"], "pl": ["typ_zdarzenia"]}),
    "http_status": K([], "int", lambda c: c.r.choice([200, 200, 200, 201, 204, 301, 304, 400, 401, 403, 404, 500, 502]), ["http_status", "response_code"], ["sc", "resp_cd"],
                     {"de": ["antwortcode"], "fr": ["code_reponse"], "es": ["codigo_respuesta"], "nl": ["antwoordcode"], "it": ["codice_risposta"], "pl": ["kod_odpowiedzi"]}),
    "duration_ms": K([], "int", lambda c: int(c.r.expovariate(1 / 250)), ["duration_ms", "latency_ms"], ["dur", "lat_ms"],
                     {"de": ["dauer_ms"], "fr": ["duree_ms"], "es": ["duracion_ms"], "nl": ["duur_ms"], "it": ["durata_ms"], "pl": ["czas_trwania_ms"]}),
    "payment_method": K([], "text", lambda c: c.r.choice(V.PAYMENT_METHODS), ["payment_method"], ["pay_mth", "pm"],
                        {"de": ["zahlungsart"], "fr": ["moyen_de_paiement"], "es": ["metodo_pago"], "nl": ["betaalmethode"], "it": ["metodo_pagamento"], "pl": ["metoda_platnosci"]}),
    "device_model": K([], "text", lambda c: c.r.choice(V.DEVICE_MODELS), ["device_model", "hardware_model"], ["model", "hw_mdl"],
                      {"de": ["geraetemodell"], "fr": ["modele_appareil"], "es": ["modelo_dispositivo"], "nl": ["toestelmodel"], "it": ["modello_dispositivo"], "pl": ["model_urzadzenia"]}),
    "os_version": K([], "text", lambda c: c.r.choice(V.OS_VERSIONS), ["os_version", "platform"], ["os", "plat"],
                    {"de": ["betriebssystem"], "fr": ["systeme_exploitation"], "es": ["sistema_operativo"], "nl": ["besturingssysteem"], "it": ["sistema_operativo_it"], "pl": ["system_operacyjny"]}),
    "fw_version": K([], "text", lambda c: f"{c.r.randint(1, 12)}.{c.r.randint(0, 30)}.{c.r.randint(0, 99)}", ["firmware_version", "app_version"], ["fw", "ver"],
                    {"de": ["firmwareversion"], "fr": ["version_logiciel"], "es": ["version_firmware"], "nl": ["firmwareversie"], "it": ["versione_firmware"], "pl": ["wersja_oprogramowania"]}),
    "size": K([], "text", lambda c: c.r.choice(V.SIZES), ["size", "garment_size"], ["sz"],
              {"de": ["groesse"], "fr": ["taille"], "es": ["talla"], "nl": ["maat"], "it": ["taglia"], "pl": ["rozmiar"]}),
    "department": K([], "text", lambda c: c.pick(V.DEPARTMENTS), ["department", "cost_center_name"], ["dept", "cc_nm"],
                    {"de": ["abteilung", "kostenstelle"], "fr": ["service", "departement"], "es": ["departamento"], "nl": ["afdeling"], "it": ["reparto"], "pl": ["dzial"]}),
    "product_url": K([], "text", lambda c: f"https://shop.example.com/{c.lang}/p/{c.r.randint(1000, 999999)}-{c.r.choice(V.PRODUCT_NOUN).lower().replace(' ', '-')}", ["product_url", "landing_page"], ["purl", "lp_url"],
                     {"de": ["produktlink"], "fr": ["lien_produit"], "es": ["enlace_producto"], "nl": ["productlink"], "it": ["link_prodotto"], "pl": ["link_produktu"]}),
    "decoy_json": K([], "json", decoy_json, ["attributes", "metadata", "properties"], ["attrs", "meta", "props"],
                    {"de": ["eigenschaften"], "fr": ["attributs"], "es": ["atributos"], "nl": ["kenmerken"], "it": ["attributi"], "pl": ["atrybuty"]}),
    "sensor_json": K([], "json", sensor_json, ["telemetry", "sensor_reading"], ["tlm", "sens"],
                     {"de": ["messwerte"], "fr": ["mesures"], "es": ["lecturas"], "nl": ["meetwaarden"], "it": ["misure"], "pl": ["pomiary"]}),
    "temperature": K([], "float", lambda c: round(c.r.uniform(-20, 45), 2), ["temperature_c", "ambient_temp"], ["temp", "tmp_c"],
                     {"de": ["temperatur"], "fr": ["temperature_fr"], "es": ["temperatura"], "nl": ["temperatuur"], "it": ["temperatura_it"], "pl": ["temperatura_pl"]}),
    "flag": K([], "bool", lambda c: c.r.random() < 0.5, ["is_active", "is_gift", "newsletter_opt_in", "in_stock"], ["act_flg", "flg"],
              {"de": ["aktiv"], "fr": ["actif"], "es": ["activo"], "nl": ["actief"], "it": ["attivo"], "pl": ["aktywny"]}),
    "warehouse": K([], "text", lambda c: f"WH-{c.r.choice(['BER', 'AMS', 'MAD', 'LYS', 'MXP', 'WAW', 'LHR', 'JFK'])}-{c.r.randint(1, 9):02d}", ["warehouse_code", "fulfilment_center"], ["wh", "fc"],
                   {"de": ["lager"], "fr": ["entrepot"], "es": ["almacen"], "nl": ["magazijn"], "it": ["magazzino"], "pl": ["magazyn"]}),
}

# the schema as the source (and Proost's scan) names it: see load.py
DB_SCHEMA = {"postgres": lambda s: s, "mysql": lambda s: f"pii_{s}", "sqlite": lambda s: "main"}

PK_KIND = {"labels": [], "type": "int", "null": 0.0}

# (misleading name, kind whose values the column actually holds). The values must give the
# name away: a person looking at them can tell. Pairs whose values are a valid instance of
# the named category (`device_id` holding UUIDs, `nationality` holding country codes, `age`
# holding quantities 1-50, `salary` holding prices, `latitude` holding temperatures, `token`
# holding hex digests, `quantity` holding ages 18-95, `reference` holding passport numbers)
# are undecidable from the column and were replaced on 2026-12-03 (list positions kept, so
# the draws stay the same).
MISLEADING = [
    ("phone", "sku"), ("email", "order_number"), ("notes", "icd10"), ("ssn", "tracking"),
    ("dob", "event_ts"), ("address", "delivery_note"), ("username", "product_name"),
    ("name", "company"), ("credit_card", "luhn_ref"), ("city", "category"), ("gender", "size"),
    ("salary", "order_status"), ("token", "http_status"), ("device_id", "warehouse"), ("iban", "invoice_number"),
    ("latitude", "carrier"), ("age", "price"), ("ip_address", "fw_version"),
    ("nationality", "currency"), ("profile_url", "product_url"),
    # personal values under harmless names
    ("sku", "phone"), ("order_ref", "email"), ("product_code", "national_id"),
    ("product_description", "medical_note"), ("category", "religion"), ("segment", "party"),
    ("tags", "ethnic"), ("batch_code", "dna"), ("payload", "face_embedding"),
    ("group_name", "union_name"), ("ticket_subject", "criminal"), ("status", "orientation"),
    ("created_at", "dob"), ("quantity", "imei"), ("label", "diagnosis"), ("remarks", "genotype"),
    ("checksum", "iris"), ("internal_ref", "credit_card"), ("account_code", "iban"),
    ("description", "sick_reason"), ("comment", "offence"), ("reference", "vin"),
]

# Themes: schema name, table names per locale, core kinds (always), optional kinds (sampled).
THEMES = [
    ("customers", ["customer_accounts", "customer_contacts", "kunden", "clients", "clientes", "klanten", "clienti", "klienci"],
     ["full_name", "email", "phone", "street_address", "postal_code", "city", "dob"],
     ["gender", "username", "iban", "nationality", "marital", "profile_json", "contact_combo", "url_personal", "plate",
      "event_ts", "flag", "age", "credit_score", "ipv4", "category", "first_name", "last_name", "middle_name", "full_address", "nationality_code"]),
    ("employees", ["staff", "employee_directory", "mitarbeiter", "salaries", "empleados", "medewerkers", "dipendenti", "pracownicy"],
     ["first_name", "last_name", "email", "job", "salary", "national_id", "iban"],
     ["dob", "gender", "phone", "street_address", "postal_code", "city", "marital", "tax_id", "union_name", "union_flag",
      "department", "event_date", "passport", "drivers_license", "nationality", "security_answer", "flag"]),
    ("patients", ["patients", "patient_records", "patienten", "dossiers_patients", "pacientes", "patientendossiers", "pazienti", "pacjenci"],
     ["full_name", "dob", "national_id", "diagnosis", "medication", "medical_note"],
     ["icd10", "allergy", "blood_type", "gender", "phone", "street_address", "postal_code", "city", "disability",
      "patient_summary", "event_ts", "age", "ethnic", "genetic_result", "orientation", "religion"]),
    ("orders", ["orders", "order_lines", "bestellungen", "commandes", "pedidos", "bestellingen", "ordini", "zamowienia"],
     ["order_id", "order_number", "sku", "price", "quantity", "currency", "event_ts", "order_status"],
     ["invoice_number", "discount", "payment_method", "ship_country", "product_name", "contact_combo", "email",
      "street_address", "postal_code", "city", "event_date", "flag", "row_uuid"]),
    ("products", ["products", "catalogue", "artikel", "produits", "productos", "producten", "prodotti", "produkty"],
     ["sku", "product_name", "price", "category", "ean", "company"],
     ["weight", "rating", "quantity", "decoy_json", "hexhash", "size", "product_url", "event_ts", "flag", "currency",
      "warehouse", "discount", "row_uuid", "gtin_luhn"]),
    ("shipments", ["shipments", "parcels", "sendungen", "expeditions", "envios", "zendingen", "spedizioni", "przesylki"],
     ["tracking", "carrier", "ship_status", "ship_country", "weight", "delivery_note", "event_ts"],
     ["full_name", "street_address", "postal_code", "city", "phone", "order_number", "geo_pair", "warehouse",
      "luhn_ref", "row_uuid", "event_date", "email", "vin", "plate"]),
    ("devices", ["devices", "device_registry", "geraete", "appareils", "dispositivos", "apparaten", "dispositivi", "urzadzenia"],
     ["imei", "ad_id", "mac", "device_model", "os_version", "fw_version"],
     ["push_token", "device_serial", "ipv4", "ipv6", "lat", "lon", "geohash", "sensor_json", "temperature", "event_ts",
      "username", "hexhash", "flag", "fingerprint"]),
    ("logins", ["logins", "auth_events", "anmeldungen", "connexions", "accesos", "aanmeldingen", "accessi", "logowania"],
     ["username", "password_hash", "ipv4", "event_ts", "http_status", "event_type"],
     ["ipv6", "api_key", "plain_password", "security_answer", "email", "duration_ms", "os_version", "ad_id",
      "geo_pair", "face_embedding", "voiceprint", "flag", "row_uuid", "mac"]),
    ("payments", ["payments", "card_transactions", "zahlungen", "paiements", "pagos", "betalingen", "pagamenti", "platnosci"],
     ["credit_card", "iban", "price", "currency", "payment_method", "event_ts", "invoice_number"],
     ["full_name", "email", "luhn_ref", "order_number", "tax_id", "order_status", "ipv4", "hexhash",
      "credit_score", "street_address", "postal_code", "city", "row_uuid"]),
    ("hr", ["background_checks", "absences", "personalakte", "dossiers_rh", "expedientes", "personeelsdossiers", "fascicoli", "akta_osobowe"],
     ["full_name", "national_id", "criminal", "sick_reason", "union_name", "religion"],
     ["offence", "dob", "marital", "nationality", "ethnic", "party", "orientation", "disability", "salary",
      "passport", "drivers_license", "event_date", "job", "department", "union_flag", "tax_id", "dob_text"]),
    ("crm", ["leads", "survey_responses", "kontakte", "prospects", "contactos", "relaties", "contatti", "kontakty"],
     ["first_name", "last_name", "email", "phone", "party", "opinion", "religion", "orientation"],
     ["company", "job", "city", "url_personal", "username", "age", "gender", "ethnic", "nationality", "event_ts",
      "category", "rating", "contact_combo", "page_views", "flag"]),
    ("research", ["biobank_samples", "genomics", "probanden", "cohorte", "muestras", "deelnemers", "biobanca", "badania"],
     ["dna", "genotype", "genetic_result", "face_embedding", "fingerprint", "dob", "gender"],
     ["iris", "voiceprint", "face_b64", "ethnic", "diagnosis", "blood_type", "row_uuid", "event_date", "age",
      "icd10", "full_name", "hexhash", "temperature"]),
    ("analytics", ["web_events", "campaign_stats", "ereignisse", "evenements", "eventos", "gebeurtenissen", "eventi", "zdarzenia"],
     ["row_uuid", "event_type", "event_ts", "page_views", "duration_ms", "http_status", "product_url"],
     ["category", "ship_country", "currency", "rating", "decoy_json", "hexhash", "fw_version", "os_version",
      "device_model", "ipv4", "ad_id", "geohash", "flag", "discount"]),
]

NAME_KIND_WEIGHTS = [("descriptive", 0.36), ("abbreviated", 0.22), ("foreign", 0.24), ("opaque", 0.18)]
OPAQUE_STYLES = ["c{n}", "col_{n}", "f{n}", "field{n}", "attr_{n}", "x{n}", "v{n}", "col{n}", "data{n}", "val_{n}"]


def weighted(r, pairs):
    x = r.random() * sum(w for _, w in pairs)
    for k, w in pairs:
        x -= w
        if x <= 0:
            return k
    return pairs[-1][0]


def column_name(r, kind, name_kind, lang, used, counter):
    spec = KINDS[kind]
    if name_kind == "abbreviated" and not spec["abbreviated"]:
        name_kind = "descriptive"
    if name_kind == "foreign":
        l2 = lang if lang in spec["foreign"] else r.choice(FOREIGN_LANGS)
        cands = spec["foreign"].get(l2) or spec["descriptive"]
    elif name_kind == "opaque":
        cands = None
    else:
        cands = spec[name_kind]
    for _ in range(20):
        if cands is None:
            counter[0] += 1
            name = r.choice(OPAQUE_STYLES).format(n=counter[0])
        else:
            name = r.choice(cands)
        if name not in used:
            used.add(name)
            return name, name_kind
    base = name
    i = 2
    while f"{base}_{i}" in used:
        i += 1
    used.add(f"{base}_{i}")
    return f"{base}_{i}", name_kind


def plan_tables(seed):
    """The schema: per table its source, locale and columns (kind, name, name_kind)."""
    r = random.Random(seed)
    tables = []
    for ti, (schema, names, core, optional) in enumerate(THEMES):
        for li, loc in enumerate(LOCALES):
            source = SOURCES[(li + ti) % 3]
            lang = LANG[loc]
            want = r.randint(8, 12)
            n_mis = 1 if r.random() < 0.75 else 2 if r.random() < 0.5 else 0
            opt = r.sample(optional, k=min(len(optional), max(0, want - 1 - len(core) - n_mis)))
            kinds = core + opt
            r.shuffle(kinds)
            used = {"id"}
            counter = [0]
            cols = [{"kind": "__pk", "column": "id", "name_kind": "descriptive"}]
            for k in kinds:
                nk = weighted(r, NAME_KIND_WEIGHTS)
                name, nk = column_name(r, k, nk, lang, used, counter)
                cols.append({"kind": k, "column": name, "name_kind": nk})
            for _ in range(n_mis):
                for _ in range(50):
                    mname, mkind = r.choice(MISLEADING)
                    if mname not in used:
                        break
                used.add(mname)
                cols.insert(r.randint(1, len(cols)), {"kind": mkind, "column": mname, "name_kind": "misleading"})
            tables.append({"source": source, "schema": schema, "table": names[li], "locale": loc, "columns": cols})
    # every category in every source: add a column where one is missing
    for source in SOURCES:
        present = {lab for t in tables if t["source"] == source for c in t["columns"]
                   for lab in (KINDS[c["kind"]]["labels"] if c["kind"] != "__pk" else [])}
        for cat in ALL_CATEGORIES:
            if cat in present:
                continue
            kind = next(k for k, v in KINDS.items() if v["labels"] == [cat])
            cands = [t for t in tables if t["source"] == source]
            t = min(cands, key=lambda t: len(t["columns"]))
            used = {c["column"] for c in t["columns"]}
            name, nk = column_name(r, kind, "descriptive", LANG[t["locale"]], used, [100])
            t["columns"].append({"kind": kind, "column": name, "name_kind": nk})
    return tables


def render(v, typ):
    if v is None:
        return None
    if typ == "json":
        return json.dumps(v, ensure_ascii=False, separators=(",", ":"))
    if typ == "bool":
        return "true" if v else "false"
    if typ == "timestamp":
        return v.strftime("%Y-%m-%d %H:%M:%S")
    if typ == "date":
        return v.isoformat()
    return str(v)


def main():
    # Some Faker providers iterate over sets (it_IT cities...): fix string hashing so that a
    # seed always gives the same dataset.
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.environ["PYTHONHASHSEED"] = "0"
        os.execv(sys.executable, [sys.executable] + sys.argv)
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent / "out"))
    ap.add_argument("--rows", type=int, default=1000)
    args = ap.parse_args()
    t0 = time.time()
    out = Path(args.out)
    (out / "data").mkdir(parents=True, exist_ok=True)
    tables = plan_tables(args.seed)
    labels = []
    with open(out / "columns.jsonl", "w", encoding="utf-8") as colf:
        for ti, t in enumerate(tables):
            fake = Faker(t["locale"])
            fake.seed_instance(args.seed * 1000 + ti)
            r = random.Random(f"{args.seed}:{t['schema']}.{t['table']}")
            random.seed(f"{args.seed}:{t['schema']}.{t['table']}:global")  # Faker's es_ES nif/nie use it
            ctx = Ctx(fake, r, t["locale"])
            cols = t["columns"]
            data = [[] for _ in cols]
            for row in range(args.rows):
                ctx.row = row
                for ci, c in enumerate(cols):
                    if c["kind"] == "__pk":
                        data[ci].append(row + 1)
                        continue
                    spec = KINDS[c["kind"]]
                    # misleading columns keep the null share of their values' kind
                    if spec["null"] and r.random() < spec["null"]:
                        data[ci].append(None)
                    else:
                        data[ci].append(spec["gen"](ctx))
            meta_cols = []
            for ci, c in enumerate(cols):
                spec = PK_KIND if c["kind"] == "__pk" else KINDS[c["kind"]]
                typ = spec["type"]
                rec = {"source": t["source"], "schema": t["schema"], "table": t["table"], "column": c["column"],
                       "db_schema": DB_SCHEMA[t["source"]](t["schema"]),
                       "name_kind": c["name_kind"], "labels": spec["labels"], "type": typ,
                       "kind": "primary_key" if c["kind"] == "__pk" else c["kind"], "locale": t["locale"]}
                labels.append(rec)
                values = [render(v, typ) for v in data[ci] if v is not None][:1000]
                colf.write(json.dumps({**rec, "values": values}, ensure_ascii=False) + "\n")
                meta_cols.append({"name": c["column"], "type": typ})
            rows = [[render(data[ci][i], c["type"]) if c["type"] in ("json",) else
                     (data[ci][i].isoformat(sep=" ") if isinstance(data[ci][i], dt.datetime) else
                      data[ci][i].isoformat() if isinstance(data[ci][i], dt.date) else
                      str(data[ci][i]) if isinstance(data[ci][i], Decimal) else data[ci][i])
                     for ci, c in enumerate(meta_cols)] for i in range(args.rows)]
            with open(out / "data" / f"{t['schema']}.{t['table']}.json", "w", encoding="utf-8") as df:
                json.dump({"source": t["source"], "schema": t["schema"], "table": t["table"],
                           "locale": t["locale"], "columns": meta_cols, "rows": rows}, df, ensure_ascii=False)
    with open(out / "labels.json", "w", encoding="utf-8") as lf:
        json.dump(labels, lf, ensure_ascii=False, indent=0)
    per_cat = Counter(l for c in labels for l in c["labels"])
    manifest = {
        "seed": args.seed, "rows": args.rows, "tables": len(tables), "columns": len(labels),
        "decoy_columns": sum(1 for c in labels if not c["labels"]),
        "per_category": {k: per_cat.get(k, 0) for k in ALL_CATEGORIES},
        "per_name_kind": dict(Counter(c["name_kind"] for c in labels)),
        "per_source": {s: {"tables": sum(1 for t in tables if t["source"] == s),
                           "columns": sum(1 for c in labels if c["source"] == s)} for s in SOURCES},
        "locales": LOCALES, "seconds": round(time.time() - t0, 1),
    }
    missing = [(s, k) for s in SOURCES for k in ALL_CATEGORIES
               if not any(k in c["labels"] for c in labels if c["source"] == s)]
    assert not missing, missing
    with open(out / "manifest.json", "w") as mf:
        json.dump(manifest, mf, indent=1)
    print(json.dumps(manifest, indent=1))


if __name__ == "__main__":
    main()
