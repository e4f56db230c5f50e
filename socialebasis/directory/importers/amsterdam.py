"""Import Amsterdam's social facilities and poverty/welfare services into the directory.

Sources (data directory, see ``data/SOURCES.md``):

- ``amsterdam/maatschappelijke_voorzieningen_amsterdam.geojson``: 1,462 points of the
  municipal layer MAATSCHAPPELIJKE_VZN (``MVZN_ID``, ``Naam``, ``Domein``, ``Categorie``,
  ``Soort``, ``Adres``, ``Huisnummer``, ``Postcode``, ``Stadsdeel``; WGS84 lon/lat). Each
  feature becomes an Organization, a Location (with Address, the CBS neighbourhood found by
  point-in-polygon), a Service with a generated Dutch description, and a ServiceAtLocation
  (source ``ams-mvzn``, source_id = MVZN_ID). Bron: Gemeente Amsterdam.
- ``amsterdam/armoede_voorzieningen_amsterdam.json``: 209 hand-curated poverty and welfare
  services (``dataResult``). Each becomes a Service with a municipal ServiceArea and no
  Location (the source has no coordinates), with phone numbers, e-mail and URL taken from
  the text where that is unambiguous (source ``ams-armoede``).

Every service is linked through HSDS ``Attribute`` rows to terms of the theme taxonomy
(``sb-thema``) and, for facilities, to its term in the source's own Domein > Categorie >
Soort hierarchy (taxonomy ``ams-categorie``). Nothing is invented: no opening hours, no
phone numbers that are not in the source; ``last_verified`` stays empty.

Errors raise ``ImportFailure`` naming the file, the feature or record (1-based, with its id
or name) and the reason, before anything is written. Keys are (source, source_id), so a
re-import updates in place and, with an unchanged source, changes nothing.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.text import slugify

from socialebasis.areas.models import District, Municipality, Neighbourhood
from socialebasis.directory.constants import THEME_TAXONOMY, LocationKind, OrganizationKind
from socialebasis.directory.models import (
    Address,
    Attribute,
    CostOption,
    Location,
    Organization,
    Phone,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from socialebasis.directory.taxonomy import ensure_theme_taxonomy
from socialebasis.lib.importing import (
    ImportFailure,
    Report,
    read_json,
    sync_children,
    sync_rows,
)
from socialebasis.lib.text import fold

AMSTERDAM = "GM0363"
FACILITIES_FILE = "amsterdam/maatschappelijke_voorzieningen_amsterdam.geojson"
POVERTY_FILE = "amsterdam/armoede_voorzieningen_amsterdam.json"
FACILITIES_SOURCE = "ams-mvzn"
POVERTY_SOURCE = "ams-armoede"
CATEGORY_TAXONOMY = "ams-categorie"
CATEGORY_TAXONOMY_NAME = "Categorieën gemeente Amsterdam"
CREDITS = (
    "Bron: Gemeente Amsterdam, maatschappelijke voorzieningen (laag MAATSCHAPPELIJKE_VZN)",
    "Bron: armoede- en welzijnsvoorzieningen Amsterdam, verzameld in sarea/poverty-app "
    "(geen licentie vermeld)",
)

# The Netherlands (European part), WGS84 degrees.
NL_LAT = (50.7, 53.7)
NL_LON = (3.2, 7.3)
POSTCODE_RE = re.compile(r"([1-9]\d{3})\s?([A-Za-z]{2})")
LK, OK = LocationKind, OrganizationKind


# --- facility types ------------------------------------------------------------------------
# How the facilities layer is read, per Categorie or per (Categorie, Soort); Soort "*" is
# every other Soort of that Categorie.

# Categorie -> (location kind, organisation kind)
KINDS: dict[str, tuple[str, str]] = {
    "Buurtkamer": (LK.NEIGHBOURHOOD_ROOM, OK.COLLECTIVE_FACILITY),
    "Huis van de wijk": (LK.COMMUNITY_CENTRE, OK.COLLECTIVE_FACILITY),
    "Jongerencentrum": (LK.YOUTH_CENTRE, OK.COLLECTIVE_FACILITY),
    "Kinderboerderij": (LK.CHILDRENS_FARM, OK.COLLECTIVE_FACILITY),
    "Speeltuingebouw": (LK.PLAYGROUND_BUILDING, OK.COLLECTIVE_FACILITY),
    "Overig BV": (LK.OTHER, OK.COLLECTIVE_FACILITY),
    "Behandel-/woonlocatie": (LK.CARE_RESIDENCE, OK.OTHER),
    "Buurtteamlocatie": (LK.TEAM_LOCATION, OK.SOCIAL_WORK_PROVIDER),
    "OKT": (LK.TEAM_LOCATION, OK.SOCIAL_WORK_PROVIDER),
    "Dagbestedingslocatie": (LK.DAY_ACTIVITY, OK.COLLECTIVE_FACILITY),
    "Opvanglocatie": (LK.SHELTER, OK.COLLECTIVE_FACILITY),
    "Overig JenZ": (LK.OTHER, OK.OTHER),
    "Bibliotheek": (LK.LIBRARY, OK.COLLECTIVE_FACILITY),
    "Overig KenC": (LK.CULTURE, OK.OTHER),
    "Sportveld": (LK.SPORTS, OK.OTHER),
    "Zwembad": (LK.SPORTS, OK.OTHER),
    "Sporthal": (LK.SPORTS, OK.OTHER),
    "Overig SenS": (LK.SPORTS, OK.OTHER),
    "Bewegingsonderwijs": (LK.SPORTS, OK.OTHER),
    "Primair onderwijs": (LK.SCHOOL, OK.OTHER),
    "Speciaal onderwijs": (LK.SCHOOL, OK.OTHER),
    "Voortgezet onderwijs": (LK.SCHOOL, OK.OTHER),
    "Schooltuincomplex": (LK.SCHOOL, OK.OTHER),
}

# (Categorie, Soort) -> theme codes (directory.taxonomy.THEMES)
FACILITY_THEMES: dict[tuple[str, str], str] = {
    ("Buurtkamer", "*"): "buurtkamer eenzaamheid",
    ("Huis van de wijk", "*"): "buurthuis sociaal-werk",
    ("Jongerencentrum", "*"): "jongerenwerk",
    ("Kinderboerderij", "*"): "speeltuin",
    ("Speeltuingebouw", "*"): "speeltuin",
    ("Overig BV", "*"): "ontmoeting",
    ("Behandel-/woonlocatie", "*"): "wonen",
    ("Behandel-/woonlocatie", "Gezinshuis"): "wonen opvoeding-en-jeugd",
    ("Behandel-/woonlocatie", "Leefgroep"): "wonen opvoeding-en-jeugd",
    ("Behandel-/woonlocatie", "Kamertraining"): "wonen opvoeding-en-jeugd",
    ("Buurtteamlocatie", "*"): "sociaal-werk",
    ("OKT", "*"): "opvoedondersteuning",
    ("Dagbestedingslocatie", "Meedoen ouderen"): "ouderen werk-en-dagbesteding eenzaamheid",
    ("Dagbestedingslocatie", "Meewerk werkatelier"): "werk-en-dagbesteding",
    ("Dagbestedingslocatie", "Inlooplocatie"): "werk-en-dagbesteding ontmoeting",
    ("Dagbestedingslocatie", "*"): "werk-en-dagbesteding",
    ("Opvanglocatie", "*"): "opvang",
    ("Overig JenZ", "*"): "gezondheid",
    ("Overig JenZ", "Ouderenzorg intra(muraal)"): "gezondheid ouderen",
    ("Bibliotheek", "*"): "kunst-en-cultuur taal-en-digitaal",
    ("Overig KenC", "*"): "kunst-en-cultuur",
    ("Sportveld", "*"): "sport-en-bewegen",
    ("Zwembad", "*"): "sport-en-bewegen",
    ("Sporthal", "*"): "sport-en-bewegen",
    ("Overig SenS", "*"): "sport-en-bewegen",
    ("Bewegingsonderwijs", "*"): "onderwijs sport-en-bewegen",
    ("Primair onderwijs", "*"): "onderwijs",
    ("Primair onderwijs", "Kinderdagverblijf IKC"): "onderwijs opvoeding-en-jeugd",
    ("Speciaal onderwijs", "*"): "onderwijs",
    ("Voortgezet onderwijs", "*"): "onderwijs",
    ("Schooltuincomplex", "*"): "onderwijs",
}

# (Categorie, Soort) -> (label, about). The service name is "<Label> <Naam>", or
# "<Naam> (<label>)" for a label in lower case, unless the name already says what the place
# is (see NAME_SAYS). ``about`` opens the generated description; "" label: name as it is.
FACILITY_WORDS: dict[tuple[str, str], tuple[str, str]] = {
    ("Buurtkamer", "*"): ("Buurtkamer", "Buurtkamer: een ontmoetingsplek voor buurtbewoners"),
    ("Huis van de wijk", "*"): (
        "Huis van de Wijk",
        "Huis van de Wijk: een buurthuis voor ontmoeting en activiteiten in de wijk",
    ),
    ("Jongerencentrum", "*"): (
        "Jongerencentrum",
        "Jongerencentrum: een plek voor jongeren, met jongerenwerk",
    ),
    ("Kinderboerderij", "*"): ("Kinderboerderij", "Kinderboerderij"),
    ("Speeltuingebouw", "*"): ("Speeltuin", "Speeltuingebouw: het gebouw van een buurtspeeltuin"),
    ("Overig BV", "*"): ("", "Basisvoorziening in de buurt"),
    ("Behandel-/woonlocatie", "*"): ("behandel- en woonlocatie", "Behandel- of woonlocatie"),
    ("Buurtteamlocatie", "*"): (
        "Buurtteam",
        "Buurtteam: sociaal werk in de buurt, voor hulp en advies aan bewoners",
    ),
    ("OKT", "*"): (
        "Ouder- en Kindteam",
        "Ouder- en Kindteam (OKT): ondersteuning bij opvoeden en opgroeien voor ouders, "
        "kinderen en jongeren",
    ),
    ("Dagbestedingslocatie", "Meedoen ouderen"): (
        "dagbesteding voor ouderen",
        "Dagbesteding voor ouderen (Meedoen ouderen)",
    ),
    ("Dagbestedingslocatie", "Meewerk werkatelier"): (
        "werkatelier",
        "Dagbesteding in een werkatelier (Meewerk werkatelier)",
    ),
    ("Dagbestedingslocatie", "Inlooplocatie"): ("inloop", "Inloop en dagbesteding (inlooplocatie)"),
    ("Dagbestedingslocatie", "*"): ("dagbesteding", "Dagbesteding"),
    ("Opvanglocatie", "*"): ("opvang", "Opvang"),
    ("Overig JenZ", "*"): ("", "Zorgvoorziening"),
    ("Overig JenZ", "Ouderenzorg intra(muraal)"): ("", "Ouderenzorg (intramuraal)"),
    ("Bibliotheek", "*"): ("Bibliotheek", "Openbare bibliotheek"),
    ("Overig KenC", "*"): ("", "Culturele voorziening"),
    ("Sportveld", "*"): ("Sportveld", "Sportveld"),
    ("Zwembad", "*"): ("Zwembad", "Zwembad"),
    ("Sporthal", "*"): ("Sporthal", "Sporthal"),
    ("Overig SenS", "*"): ("", "Sportvoorziening"),
    ("Bewegingsonderwijs", "*"): ("Gymzaal", "Gymzaal voor bewegingsonderwijs"),
    ("Primair onderwijs", "*"): ("Basisschool", "Basisschool (primair onderwijs)"),
    ("Primair onderwijs", "SBO school"): ("SBO-school", "School voor speciaal basisonderwijs"),
    ("Primair onderwijs", "Kinderdagverblijf IKC"): (
        "Integraal kindcentrum",
        "Integraal kindcentrum met kinderdagverblijf",
    ),
    ("Speciaal onderwijs", "*"): (
        "School voor speciaal onderwijs",
        "School voor speciaal onderwijs",
    ),
    ("Voortgezet onderwijs", "*"): (
        "Middelbare school",
        "Middelbare school (voortgezet onderwijs)",
    ),
    ("Schooltuincomplex", "*"): ("Schooltuin", "Schooltuinen"),
}

# Categorie -> regex on the folded Naam: when it matches, the name already says what the
# place is and is used as it is.
NAME_SAYS: dict[str, str] = {
    "Buurtkamer": r"buurtkamer|huiskamer",
    "Huis van de wijk": r"huis van de|buurthuis|buurtcentrum|wijkcentrum",
    "Jongerencentrum": r"jongeren",
    "Kinderboerderij": r"boerderij",
    "Speeltuingebouw": r"speel",
    "Behandel-/woonlocatie": r"woon|wonen|gezinshuis|leefgroep|kamertraining",
    "Buurtteamlocatie": r"buurtteam",
    "OKT": r"\bokt\b|ouder- en kind",
    "Dagbestedingslocatie": r"dagbesteding|inloop|atelier|werkplaats|ouderen",
    "Opvanglocatie": r"opvang|pension|inloophuis",
    "Bibliotheek": r"bibliotheek",
    "Sportveld": r"sport|veld|park",
    "Zwembad": r"bad\b|baden",
    "Sporthal": r"sport|hal\b|complex|schuur",
    "Bewegingsonderwijs": r"gym|sport",
    "Primair onderwijs": r"school|kindcentrum|\bikc\b|\bkc\b|\bpo\b|\bsbo\b",
    "Speciaal onderwijs": r"school|\bv?so\b|kentalis",
    "Voortgezet onderwijs": r"school|scholen|college|lyceum|gymnas|mavo|havo|vwo|vmbo|\bvo\b"
    r"|campus|academ",
    "Schooltuincomplex": r"tuin",
}

# Categorie -> (abbreviation at the start of a Naam, what it stands for)
NAME_ABBREVIATIONS: dict[str, tuple[str, str]] = {
    "Buurtkamer": ("BK ", "Buurtkamer "),
    "Huis van de wijk": ("HvdW ", "Huis van de Wijk "),
    "Jongerencentrum": ("JC ", "Jongerencentrum "),
    "OKT": ("OKT ", "Ouder- en Kindteam "),
}

# Categories whose Soort says something the description should repeat ("Opvang (Nachtopvang)").
SHOW_SOORT = {
    "Behandel-/woonlocatie",
    "Opvanglocatie",
    "Overig JenZ",
    "Overig KenC",
    "Sportveld",
    "Zwembad",
    "Overig SenS",
}


@dataclass(frozen=True)
class FacilityType:
    """How one (Categorie, Soort) of the facilities layer is read (from the tables above)."""

    location_kind: str
    organization_kind: str
    label: str
    about: str
    themes: tuple[str, ...]
    says: str
    abbreviation: tuple[str, str] | None
    show_soort: bool


def _lookup(table: dict, categorie: str, soort: str):
    return table.get((categorie, soort), table.get((categorie, "*")))


def facility_type(categorie: str, soort: str) -> FacilityType | None:
    """The FacilityType of a (Categorie, Soort), or None for an unknown Categorie."""
    if categorie not in KINDS:
        return None
    label, about = _lookup(FACILITY_WORDS, categorie, soort)
    return FacilityType(
        *KINDS[categorie],
        label=label,
        about=about,
        themes=tuple(_lookup(FACILITY_THEMES, categorie, soort).split()),
        says=NAME_SAYS.get(categorie, ""),
        abbreviation=NAME_ABBREVIATIONS.get(categorie),
        show_soort=categorie in SHOW_SOORT,
    )


# --- poverty/welfare services: themes and providers ----------------------------------------

# categorieen -> theme codes; the keyword rules below add more.
POVERTY_CATEGORIES: dict[str, tuple[str, ...]] = {
    "Financiën": ("geld-en-schulden",),
    "Gezondheid": ("gezondheid",),
    "Onderwijs": ("onderwijs",),
    "Ontspanning": (),
    "Algemeen": (),
}

# (regex on the folded text, theme code, scope): scope "title" is naam + levert (what the
# service provides), "text" adds korteOmschrijving, "url" is the service's link. calltoAction
# is not used: it holds addresses ("Buurthuis Archipel") that say where to apply, not what
# is offered.
POVERTY_KEYWORDS: list[tuple[str, str, str]] = [
    (r"\bschuld", "schuldhulp", "text"),
    (r"\bfinancien|\bgeldzaken|\bweinig geld|\bgeldproblem", "geld-en-schulden", "text"),
    (r"\bvoedsel|\bmaaltijd|\bbuurtbuik|\bgratis eten|\bontbijt|\bkruidenier", "voedsel", "text"),
    (
        r"\beenzaam|\bsociaal contact|\bsociale contacten|\bpraatje|\bbabbel|\bhuisbezoek",
        "eenzaamheid",
        "text",
    ),
    (r"\bmantelzorg", "mantelzorg", "text"),
    (r"\bvrijwillig|\bburenhulp|\bburennetwerk|\bklus|\bkarwei", "vrijwilligerswerk", "title"),
    (r"\btaal|\bdigita|\bcomputer|\bvoorlees|\bsnap de brief", "taal-en-digitaal", "text"),
    (r"\bouderen|\b65\b|\baow\b|\bsenior", "ouderen", "text"),
    (r"\bkind|\bjongeren|\bjeugd|\bscholier|\bbasisschool", "opvoeding-en-jeugd", "text"),
    (r"\bopvoed|\bgezin", "opvoedondersteuning", "text"),
    (r"\bjongerenwerk|\bjongerenhuis|\bjongerencentrum", "jongerenwerk", "title"),
    (r"speelplaats|speeltuin", "speeltuin", "title"),
    (r"\bhuiswerk|\bbijles|\brekenbuddy|\bleerondersteuning", "onderwijs", "text"),
    (
        r"\bwerkzoekend|\bsollicit|\bnaar werk\b|\bbetaald werk|\bstage|\bdagbesteding"
        r"|\bparticipatie",
        "werk-en-dagbesteding",
        "text",
    ),
    (
        r"\bsport|\bzwem|\bvoetbal|\bzumba|\baerobics|\bfitness|\bboks|\bgym\b|\bfietsles",
        "sport-en-bewegen",
        "title",
    ),
    (
        r"\btheater|\bmuziek|\bcultu|\bdans|\bkunst|\bmuseum|\bbioscoop|\bcircus|\bdicht"
        r"|\bballet|\bpoezie|\bcreatie|\bnaai|\bhaak|\bbrei",
        "kunst-en-cultuur",
        "title",
    ),
    (
        r"\bbuurthuis|\bbuurtcentr|\bhuis van de (wijk|buurt)|\bbuurtactiviteit",
        "buurthuis",
        "title",
    ),
    (
        r"\bkoffie|\bontmoet|\bhuiskamer|\bsamen eten|\bnetwerk opbouwen|\bavondje uit",
        "ontmoeting",
        "text",
    ),
    (
        r"\bmaatschappelijke? (werk|hulp|dienstverlening|problemen)|\bsociaal raads"
        r"|\bsociale raads|\bleefkringhuis|\bsteunvrouw",
        "sociaal-werk",
        "text",
    ),
    (
        r"voorzieningen ?check|\btoeslag|bijzondere bijstand|\bstadspas|\bkwijtschelding"
        r"|\bminima|\blaag inkomen|\bkindbon|\btegemoetkoming|\bregeling|fonds\b|\bwitgoed"
        r"|\binkomensvoorziening|\bbijdrage kinderopvang|\b(scholieren|ov-)vergoeding",
        "minimaregelingen",
        "text",
    ),
    # the municipality's own section for low-income schemes
    (r"amsterdam\.nl/werk-inkomen/pak-je-kans", "minimaregelingen", "url"),
    (r"\bhuur|\bwoonkost|\bwoning", "wonen", "title"),
    (r"\bhuisuitzetting", "wonen", "text"),
    (r"\bgezond|\bziek|\bzorgverzeker|\bzorgtoeslag|\bverslav|\bhandicap", "gezondheid", "title"),
]

# Organisations recognised by the web domain of the service's first link (the application
# link first, then the "meer info" link). Only public bodies whose site names them.
PROVIDERS_BY_DOMAIN: dict[str, tuple[str, str]] = {
    "amsterdam.nl": ("Gemeente Amsterdam", OK.MUNICIPALITY),
    "belastingdienst.nl": ("Belastingdienst", OK.OTHER),
    "duo.nl": ("DUO", OK.OTHER),
    "svb.nl": ("Sociale Verzekeringsbank", OK.OTHER),
}
# How an organisation written in capitals in the source is displayed.
ORGANISATION_NAMES = {"HUMANITAS": "Humanitas"}

STADSDELEN = {
    "CE": "Centrum",
    "NO": "Noord",
    "NW": "Nieuw-West",
    "OO": "Oost",
    "WE": "West",
    "ZO": "Zuidoost",
    "ZU": "Zuid",
}
# The letter of each stadsdeel in Amsterdam's CBS codes (WK0363E… is West), as in the
# municipality's own stadsdeelcode (data/amsterdam/stadsdelen_amsterdam.geojson).
STADSDEEL_CBS_LETTER = {"CE": "A", "NO": "N", "NW": "F", "OO": "M", "WE": "E", "ZO": "T",
                        "ZU": "K"}  # fmt: skip
# gezinssamens: "*" everyone; AK and SPK are the source's two household types with children
# (single parent with children, partners with children).
HOUSEHOLDS_WITH_CHILDREN = {"AK", "SPK"}

FREE_RE = re.compile(r"\bgratis\b|\bkosteloos\b")
FREE_SENTENCE_RE = re.compile(r"\bkosteloos\b|\b(is|zijn) (allemaal |helemaal |geheel )?gratis\b")
COST_RE = re.compile(
    r"korting|vergoeding|eigen bijdrage|weinig geld|\brente\b|goedkoo|betaal"
    r"|betalen|\beuro\b|€|,-|\bmits\b"
)
URL_RE = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
WWW_RE = re.compile(r"(?<![/\w.])www\.[^\s<>\"']+", re.IGNORECASE)
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}")
# A Dutch number: 0 and nine more digits, separated by at most a few spaces, dashes, dots or
# parentheses ("020 - 665 8001", "(020) 751 06 10", "06-41022231"); never part of a longer run.
PHONE_RE = re.compile(r"(?<!\d)\(?0(?:[\s\-–.()]{0,3}\d){9}(?!\d)")
# Area codes of two digits after the 0 (020 Amsterdam, 010 Rotterdam, ...); others have three.
TWO_DIGIT_AREAS = frozenset(str(n) for n in (10, 13, 15, 20, 23, 24, 26, 30, 33, 35, 36, 38,
                                             40, 43, 45, 46, 50, 53, 55, 58, 70, 71, 72, 73,
                                             74, 75, 76, 77, 78, 79))  # fmt: skip


# --- parsed records ------------------------------------------------------------------------


@dataclass
class Facility:
    """One validated feature of the facilities layer."""

    number: int
    mvzn_id: str
    name: str
    service_name: str
    description: str
    domein: str
    categorie: str
    soort: str
    kind: FacilityType
    lat: float
    lon: float
    address_1: str
    postal_code: str
    city: str


@dataclass
class PovertyService:
    """One validated record of the poverty/welfare services file."""

    number: int
    source_id: str
    name: str
    organization: str
    organization_kind: str
    description: str
    application_process: str
    eligibility: str
    url: str
    email: str
    phones: list[str]
    free: bool
    minimum_age: int | None
    maximum_age: int | None
    area_description: str
    stadsdelen: list[str] = field(default_factory=list)  # source codes; [] = all of Amsterdam
    themes: list[str] = field(default_factory=list)


# --- small text helpers --------------------------------------------------------------------


def clean_name(text: str) -> str:
    """A name on one line: whitespace collapsed, backtick apostrophes ("`t") repaired."""
    return " ".join(text.replace("`", "'").split())


def clean_text(text: str) -> str:
    """Multi-line text with Unix newlines, stripped lines and at most one empty line in a row."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def normalise_postcode(raw: str) -> str | None:
    """ "1055 ab" -> "1055AB"; "" -> ""; None for anything that is not a Dutch postcode."""
    raw = raw.strip()
    if not raw:
        return ""
    match = POSTCODE_RE.fullmatch(raw)
    if not match or match.group(2).upper() in {"SA", "SD", "SS"}:
        return None
    return match.group(1) + match.group(2).upper()


def format_phone(digits: str) -> str:
    """Ten Dutch digits as written in the Netherlands: "020 665 8001", "06 4102 2231",
    "0297 123 456"."""
    if digits.startswith("06"):
        return f"06 {digits[2:6]} {digits[6:]}"
    if digits[1:3] in TWO_DIGIT_AREAS:
        return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    return f"{digits[:4]} {digits[4:7]} {digits[7:]}"


def find_phones(text: str) -> list[str]:
    """Distinct Dutch phone numbers in ``text``, formatted, in order of appearance."""
    found: list[str] = []
    for match in PHONE_RE.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if len(digits) == 10 and not digits.startswith("00"):
            number = format_phone(digits)
            if number not in found:
                found.append(number)
    return found


def find_email(text: str) -> str:
    """The one e-mail address in ``text``; "" when there is none or more than one."""
    found = {m.group().lower(): m.group() for m in EMAIL_RE.finditer(text)}
    if len(found) != 1:
        return ""
    email = next(iter(found.values()))
    try:
        EmailValidator()(email)
    except ValidationError:
        return ""
    return email


def find_url(*texts: str) -> str:
    """The first valid http(s) URL in the texts (a bare "www." link gets "http://")."""
    validate = URLValidator(schemes=["http", "https"])
    for text in texts:
        candidates = [m.group() for m in URL_RE.finditer(text)]
        candidates += ["http://" + m.group() for m in WWW_RE.finditer(text)]
        for raw in candidates:
            url = raw.rstrip(".,;:)!?")
            scheme, rest = url.split("://", 1)
            url = f"{scheme.lower()}://{rest}"
            if len(url) > 500:
                continue
            try:
                validate(url)
            except ValidationError:
                continue
            return url
    return ""


def _domain_provider(*texts: str) -> tuple[str, str] | None:
    for text in texts:
        url = find_url(text)
        host = (urlparse(url).hostname or "").lower() if url else ""
        for domain, provider in PROVIDERS_BY_DOMAIN.items():
            if host == domain or host.endswith("." + domain):
                return provider
    return None


def org_key(name: str) -> str:
    """Normalised organisation name for de-duplication: "HUMANITAS" == "Humanitas"."""
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")


# --- facilities ----------------------------------------------------------------------------


def _service_name(name: str, kind: FacilityType) -> str:
    """A readable service name that says what the place is (see FACILITY_WORDS)."""
    if kind.abbreviation and name.startswith(kind.abbreviation[0]):
        return kind.abbreviation[1] + name[len(kind.abbreviation[0]) :]
    folded = fold(name)
    if not kind.label or fold(kind.label) in folded:
        return name
    if kind.says and re.search(kind.says, folded):
        return name
    if kind.label[0].islower():
        return f"{name} ({kind.label})"
    return f"{kind.label} {name}"


def _facility_description(
    kind: FacilityType, domein: str, categorie: str, soort: str, stadsdeel: str
) -> str:
    """Generated Dutch description from the source's classification (no invented facts)."""
    about = kind.about
    if kind.show_soort and soort and fold(soort) not in fold(about):
        about += f" ({soort})"
    where = f"in stadsdeel {stadsdeel}, Amsterdam" if stadsdeel else "in Amsterdam"
    path = " > ".join(p for p in (domein, categorie, soort) if p)
    return (
        f"{about}, {where}. Uit de kaart van maatschappelijke voorzieningen van de "
        f"gemeente Amsterdam: {path}."
    )


def _prop(props: dict, key: str, path: Path, where: str) -> str:
    value = props.get(key)
    if value is None:
        return ""
    if not isinstance(value, (str, int, float)):
        raise ImportFailure(path, where, f"{key} is not text")
    return str(value).strip()


def _point(feature: dict, path: Path, where: str) -> tuple[float, float]:
    """(lat, lon) of a Point feature, checked to lie in the Netherlands."""
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        raise ImportFailure(path, where, "geometry is not a Point")
    coords = geometry.get("coordinates")
    if (
        not isinstance(coords, list)
        or len(coords) < 2
        or not all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in coords[:2])
    ):
        raise ImportFailure(path, where, "coordinates are not two numbers [longitude, latitude]")
    lon, lat = float(coords[0]), float(coords[1])
    if not (
        math.isfinite(lat)
        and math.isfinite(lon)
        and NL_LAT[0] <= lat <= NL_LAT[1]
        and NL_LON[0] <= lon <= NL_LON[1]
    ):
        raise ImportFailure(
            path,
            where,
            f"coordinates ({lon}, {lat}) lie outside the "
            "Netherlands (expected WGS84 longitude, latitude)",
        )
    return lat, lon


def read_facilities(data_dir: Path) -> list[Facility]:
    """Validated features of the facilities layer. Raises ImportFailure naming the feature
    (1-based) and its MVZN_ID for a missing id or name, a duplicate id, a Categorie without
    a row in FACILITY_TYPES, coordinates outside the Netherlands or a malformed postcode."""
    path = data_dir / FACILITIES_FILE
    data = read_json(path)
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise ImportFailure(path, "", "not a GeoJSON FeatureCollection")
    result: list[Facility] = []
    seen: set[str] = set()
    for number, feature in enumerate(features, 1):
        where = f"feature {number}"
        if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
            raise ImportFailure(path, where, "not a GeoJSON Feature with properties")
        props = feature["properties"]
        mvzn_id = _prop(props, "MVZN_ID", path, where)
        if not mvzn_id:
            raise ImportFailure(path, where, "missing MVZN_ID")
        where = f"feature {number} (MVZN_ID {mvzn_id})"
        if mvzn_id in seen:
            raise ImportFailure(path, where, "duplicate MVZN_ID")
        if len(mvzn_id) > 200:
            raise ImportFailure(path, where, "MVZN_ID longer than 200 characters")
        seen.add(mvzn_id)
        result.append(_facility(feature, props, number, mvzn_id, path, where))
    return result


def _facility(feature, props, number, mvzn_id, path, where) -> Facility:
    get = lambda key: _prop(props, key, path, where)  # noqa: E731
    name = clean_name(get("Naam"))
    if not name:
        raise ImportFailure(path, where, "missing Naam")
    if len(name) > 250:
        raise ImportFailure(path, where, "Naam longer than 250 characters")
    domein, categorie, soort = get("Domein"), get("Categorie"), get("Soort")
    kind = facility_type(categorie, soort)
    if kind is None:
        raise ImportFailure(
            path,
            where,
            f"unknown Categorie {categorie!r} (add it to "
            "FACILITY_TYPES in directory/importers/amsterdam.py)",
        )
    lat, lon = _point(feature, path, where)
    postal_code = normalise_postcode(get("Postcode"))
    if postal_code is None:
        raise ImportFailure(
            path, where, f"malformed Postcode {get('Postcode')!r} (expected e.g. 1055AB)"
        )
    street, house = clean_name(get("Adres")), clean_name(get("Huisnummer"))
    if house and not street:
        raise ImportFailure(path, where, "Huisnummer without Adres")
    stadsdeel = get("Stadsdeel")
    return Facility(
        number=number,
        mvzn_id=mvzn_id,
        name=name,
        service_name=_service_name(name, kind),
        description=_facility_description(kind, domein, categorie, soort, stadsdeel),
        domein=domein,
        categorie=categorie,
        soort=soort,
        kind=kind,
        lat=lat,
        lon=lon,
        address_1=f"{street} {house}".strip(),
        postal_code=postal_code,
        city=_city(postal_code, stadsdeel),
    )


def _stadsdeel_districts() -> dict[str, list[str]]:
    """CBS district codes per stadsdeel source code, from the loaded Amsterdam districts."""
    codes = list(District.objects.filter(code__startswith="WK0363").values_list("code", flat=True))
    return {sd: [c for c in codes if c[6] == letter] for sd, letter in STADSDEEL_CBS_LETTER.items()}


def _city(postal_code: str, stadsdeel: str) -> str:
    """Postal town: Weesp (a stadsdeel of Amsterdam since 2022) keeps its own postcodes
    1380-1384; Driemond, also in stadsdeel Weesp, has Amsterdam postcodes (1109)."""
    if postal_code:
        return "Weesp" if "1380" <= postal_code[:4] <= "1384" else "Amsterdam"
    return "Weesp" if stadsdeel == "Weesp" else "Amsterdam"


def neighbourhood_finder(municipality: Municipality):
    """A function (lat, lon) -> Neighbourhood or None, by point-in-polygon over the
    municipality's neighbourhood boundaries (shapely STRtree). On a shared edge the
    neighbourhood with the lowest CBS code wins."""
    from shapely import STRtree
    from shapely.geometry import Point, shape

    hoods = list(
        Neighbourhood.objects.filter(municipality=municipality, geometry__isnull=False).order_by(
            "code"
        )
    )
    tree = STRtree([shape(h.geometry) for h in hoods])

    def find(lat: float, lon: float) -> Neighbourhood | None:
        hits = tree.query(Point(lon, lat), predicate="intersects")
        return hoods[min(hits)] if len(hits) else None

    return find, len(hoods)


# --- poverty/welfare services ---------------------------------------------------------------


def _split_name(naam: str) -> tuple[str, str]:
    """(service name, organisation or "") from the source's ``naam``.

    "Grip op je geld\\nHUMANITAS" -> ("Grip op je geld", "Humanitas"); a line ending in "/"
    continues on the next ("Naai/haak/\\rbreiles"); a trailing word in capitals of four or
    more letters is the organisation ("Schuldhulpverlening CENTRAM").
    """
    lines = [clean_name(line) for line in naam.splitlines() if line.strip()]
    while len(lines) >= 2 and lines[0].endswith("/"):
        lines[0:2] = [lines[0] + lines[1]]
    name = lines[0] if lines else ""
    organisation = " ".join(lines[1:])
    if not organisation:
        match = re.fullmatch(r"(.+?)\s+([A-Z]{4,})", name)
        if match:
            name, organisation = match.group(1), match.group(2)
    organisation = ORGANISATION_NAMES.get(organisation, organisation)
    return name, organisation


def _codes(value, key: str, path: Path, where: str) -> set[str]:
    """A code field that is a string or a list of strings, as a set."""
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(i, str) and i.strip() for i in items):
        raise ImportFailure(path, where, f"{key} is not a code or a list of codes")
    return {i.strip() for i in items}


def _ages(raw, path: Path, where: str) -> tuple[int | None, int | None]:
    """leedtijd -> (minimum_age, maximum_age): "*" any age, "12-18", "65+"."""
    text = str(raw).strip() if isinstance(raw, (str, int)) else None
    if text in {"*", ""}:
        return None, None
    if text and (m := re.fullmatch(r"(\d{1,3})\s*-\s*(\d{1,3})", text)):
        low, high = int(m.group(1)), int(m.group(2))
        if low <= high:
            return low, high
    if text and (m := re.fullmatch(r"(\d{1,3})\s*\+", text)):
        return int(m.group(1)), None
    raise ImportFailure(path, where, f"unreadable leedtijd {raw!r} (expected *, 12-18 or 65+)")


def _is_free(levert: str, description: str) -> bool:
    """True when the text clearly says the service costs nothing: every item of ``levert``
    says gratis/kosteloos, or the description says it is free, and no cost is mentioned."""
    items = [i.strip() for i in re.split(r"[,.\n]", levert.lower()) if i.strip()]
    every_item = bool(items) and all(FREE_RE.search(i) for i in items)
    says = bool(FREE_SENTENCE_RE.search(description.lower()))
    return (every_item or says) and not COST_RE.search(f"{levert} {description}".lower())


def poverty_themes(
    naam: str, levert: str, description: str, url: str, categorie: str, households: set[str]
) -> list[str]:
    """Theme codes of a poverty/welfare service, from its category and keyword rules.

    A leisure service ("Ontspanning") that no rule gave a theme other than youth gets
    "ontmoeting"."""
    scopes = {
        "title": fold(f"{naam} {levert}"),
        "text": fold(f"{naam} {levert} {description}"),
        "url": url.lower(),
    }
    themes = list(POVERTY_CATEGORIES[categorie])
    for pattern, theme, scope in POVERTY_KEYWORDS:
        if re.search(pattern, scopes[scope]):
            themes.append(theme)
    if households and households <= HOUSEHOLDS_WITH_CHILDREN:
        themes.append("opvoeding-en-jeugd")
    if categorie == "Ontspanning" and not set(themes) - {"opvoeding-en-jeugd"}:
        themes.append("ontmoeting")
    return list(dict.fromkeys(themes))


def _source_id(naam: str, levert: str, stadsdeel: set[str], seen: Counter) -> str:
    """A stable id: a hash of the whitespace-normalised naam, levert and stadsdeel; a record
    repeating all three gets "-2", "-3" ... in file order."""
    key = "\x1f".join(
        [
            " ".join(naam.split()).lower(),
            " ".join(levert.split()).lower(),
            ",".join(sorted(stadsdeel)),
        ]
    )
    digest = hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:16]
    seen[digest] += 1
    return digest if seen[digest] == 1 else f"{digest}-{seen[digest]}"


def read_poverty_services(data_dir: Path) -> list[PovertyService]:
    """Validated records of the poverty/welfare services file. Raises ImportFailure naming
    the record (1-based) for a missing naam, an unknown categorie, stadsdeel or gezinssamens
    code, or an unreadable leedtijd."""
    path = data_dir / POVERTY_FILE
    data = read_json(path)
    records = data.get("dataResult") if isinstance(data, dict) else None
    if not isinstance(records, list):
        raise ImportFailure(path, "", "expected an object with a list 'dataResult'")
    seen: Counter = Counter()
    return [
        _poverty_service(record, number, path, seen) for number, record in enumerate(records, 1)
    ]


def _poverty_service(record, number: int, path: Path, seen: Counter) -> PovertyService:
    where = f"record {number}"
    if not isinstance(record, dict):
        raise ImportFailure(path, where, "not an object")
    texts = {}
    for key in ("naam", "levert", "korteOmschrijving", "calltoAction", "categorieen"):
        value = record.get(key, "")
        if not isinstance(value, str):
            raise ImportFailure(path, where, f"{key} is not text")
        texts[key] = value
    name, organisation = _split_name(texts["naam"])
    if not name:
        raise ImportFailure(path, where, "missing naam")
    where = f"record {number} ({name})"
    if len(name) > 250 or len(organisation) > 250:
        raise ImportFailure(path, where, "naam longer than 250 characters")
    categorie = texts["categorieen"].strip()
    if categorie not in POVERTY_CATEGORIES:
        raise ImportFailure(
            path,
            where,
            f"unknown categorieen {categorie!r} (expected one of {', '.join(POVERTY_CATEGORIES)})",
        )
    districts = _codes(record.get("stadsdeel"), "stadsdeel", path, where)
    unknown = districts - set(STADSDELEN) - {"*"}
    if unknown:
        raise ImportFailure(path, where, f"unknown stadsdeel {', '.join(sorted(unknown))}")
    households = _codes(record.get("gezinssamens", "*"), "gezinssamens", path, where)
    unknown = households - HOUSEHOLDS_WITH_CHILDREN - {"*"}
    if unknown:
        raise ImportFailure(path, where, f"unknown gezinssamens {', '.join(sorted(unknown))}")
    households.discard("*")
    minimum_age, maximum_age = _ages(record.get("leedtijd", "*"), path, where)

    about = clean_text(texts["korteOmschrijving"])
    levert = ", ".join(
        part.strip(" ,") for part in clean_text(texts["levert"]).split("\n") if part.strip(" ,")
    )
    description = "\n\n".join(p for p in (about, f"Aanbod: {levert}" if levert else "") if p)
    application = clean_text(texts["calltoAction"])
    provider = None
    if not organisation:
        provider = _domain_provider(application, about)
        organisation = provider[0] if provider else name
    url = find_url(about, application)
    themes = poverty_themes(name, levert, about, url, categorie, households)
    if provider:
        organization_kind = provider[1]
    elif {"sociaal-werk", "schuldhulp"} & set(themes):
        organization_kind = OK.SOCIAL_WORK_PROVIDER
    elif "buurthuis" in themes:
        organization_kind = OK.COLLECTIVE_FACILITY
    else:
        organization_kind = OK.OTHER
    specific = sorted(STADSDELEN[c] for c in districts if c != "*")
    area = (
        ("Stadsdeel " if len(specific) == 1 else "Stadsdelen ") + ", ".join(specific)
        if specific and "*" not in districts
        else "Heel Amsterdam"
    )
    return PovertyService(
        number=number,
        source_id=_source_id(texts["naam"], texts["levert"], districts, seen),
        name=name,
        organization=organisation,
        organization_kind=organization_kind,
        description=description,
        application_process=application,
        eligibility="Voor huishoudens met kinderen." if households else "",
        url=url,
        email=find_email(application),
        phones=find_phones(application),
        free=_is_free(levert, about),
        minimum_age=minimum_age,
        maximum_age=maximum_age,
        area_description=area,
        stadsdelen=sorted(c for c in districts if c != "*") if "*" not in districts else [],
        themes=themes,
    )


# --- writing -------------------------------------------------------------------------------


def _term_ids(taxonomy_code: str) -> dict[str, object]:
    return dict(TaxonomyTerm.objects.filter(taxonomy__code=taxonomy_code).values_list("code", "id"))


def _term_code(*parts: str) -> str:
    return "--".join(slugify(p) or "x" for p in parts)


def sync_category_terms(facilities: list[Facility], report: Report) -> dict[str, object]:
    """Create or update the ``ams-categorie`` taxonomy (Domein > Categorie > Soort; a Soort
    equal to its Categorie is not repeated). Returns facility number -> its deepest term id."""
    taxonomy, _ = Taxonomy.objects.get_or_create(
        code=CATEGORY_TAXONOMY,
        defaults={
            "name": CATEGORY_TAXONOMY_NAME,
            "description": "Domein, Categorie en Soort van de gemeentelijke kaart van "
            "maatschappelijke voorzieningen (laag MAATSCHAPPELIJKE_VZN)",
            "version": "MAATSCHAPPELIJKE_VZN",
        },
    )
    tally = report.tally("TaxonomyTerm")
    existing = {t.code: t for t in TaxonomyTerm.objects.filter(taxonomy=taxonomy)}
    visited: set[str] = set()
    deepest: dict[int, object] = {}
    for facility in facilities:
        parts = [facility.domein, facility.categorie]
        if facility.soort and facility.soort != facility.categorie:
            parts.append(facility.soort)
        parent = None
        for depth in range(1, len(parts) + 1):
            code = _term_code(*parts[:depth])
            first_visit = code not in visited
            visited.add(code)
            term = existing.get(code)
            wanted = (parts[depth - 1], parent.id if parent else None)
            if term is None:
                term = TaxonomyTerm(taxonomy=taxonomy, code=code)
                tally.created += 1
            elif (term.name, term.parent_id) != wanted:
                tally.updated += 1
            else:
                tally.unchanged += first_visit
                parent = term
                continue
            term.name, term.parent = parts[depth - 1], parent
            term.save()
            existing[code] = term
            parent = term
        deepest[facility.number] = parent.id
    return deepest


def sync_attributes(source: str, wanted: dict[tuple, dict], report: Report) -> None:
    """Make the service attributes (theme and category terms) of ``source`` equal ``wanted``
    ((service id, term id) -> field values). Attributes to other taxonomies are kept."""
    existing = Attribute.objects.filter(
        link_entity="service",
        link_id__in=Service.objects.filter(source=source).values("id"),
        taxonomy_term__taxonomy__code__in=[THEME_TAXONOMY, CATEGORY_TAXONOMY],
    )
    sync_children(
        Attribute,
        existing,
        wanted,
        lambda a: (a.link_id, a.taxonomy_term_id),
        report.tally("Attribute"),
    )


def _themes(codes, theme_ids: dict) -> list:
    missing = [c for c in codes if c not in theme_ids]
    if missing:
        raise RuntimeError(f"theme code(s) {missing} are not in the sb-thema taxonomy")
    return [theme_ids[c] for c in codes]


def _note_stale(model, source: str, keys: set[str], label: str, report: Report) -> None:
    """Report (not delete) records of ``source`` whose source_id is no longer in the file."""
    stale = set(model.objects.filter(source=source).values_list("source_id", flat=True)) - keys
    if stale:
        report.note(
            f"{len(stale)} {label} of source {source} are no longer in the file; "
            "kept (delete them in the admin if the source dropped them)."
        )


def _existing(model, source: str) -> dict:
    return {o.source_id: o for o in model.objects.filter(source=source)}


def _attributes(pairs) -> dict[tuple, dict]:
    """(service id, term id) pairs -> Attribute field values keyed by the pair."""
    return {
        (service_id, term_id): {
            "link_entity": "service",
            "link_id": service_id,
            "taxonomy_term_id": term_id,
        }
        for service_id, term_id in pairs
    }


def import_facilities(
    facilities: list[Facility], municipality: Municipality, theme_ids: dict, report: Report
) -> None:
    """Write the facilities read by ``read_facilities`` (see module docstring). Call inside
    a transaction, after ``ensure_theme_taxonomy``; ``theme_ids`` maps theme code -> term id."""
    src, gm = FACILITIES_SOURCE, municipality.id
    find, _ = neighbourhood_finder(municipality)
    hoods = {f.mvzn_id: find(f.lat, f.lon) for f in facilities}
    outside = [key for key, hood in hoods.items() if hood is None]
    if outside:
        report.note(
            f"{len(outside)} facility/ies outside every Amsterdam buurt polygon "
            f"(no neighbourhood): {', '.join(outside[:10])}"
        )
    category_terms = sync_category_terms(facilities, report)

    orgs = sync_rows(Organization, _existing(Organization, src), {
        f.mvzn_id: {"source": src, "source_id": f.mvzn_id, "name": f.name,
                    "kind": f.kind.organization_kind, "municipality_id": gm}
        for f in facilities}, report.tally("Organization"))  # fmt: skip
    locations = sync_rows(Location, _existing(Location, src), {
        f.mvzn_id: {"source": src, "source_id": f.mvzn_id, "name": f.name,
                    "kind": f.kind.location_kind, "organization_id": orgs[f.mvzn_id].id,
                    "latitude": f.lat, "longitude": f.lon, "municipality_id": gm,
                    "neighbourhood_id": hoods[f.mvzn_id].id if hoods[f.mvzn_id] else None,
                    "external_identifier": f.mvzn_id, "external_identifier_type": "MVZN_ID"}
        for f in facilities}, report.tally("Location"))  # fmt: skip
    services = sync_rows(Service, _existing(Service, src), {
        f.mvzn_id: {"source": src, "source_id": f.mvzn_id, "name": f.service_name,
                    "alternate_name": f.name if f.name != f.service_name else "",
                    "description": f.description, "organization_id": orgs[f.mvzn_id].id,
                    "municipality_id": gm}
        for f in facilities}, report.tally("Service"), touch="updated_at")  # fmt: skip
    ids = {f.mvzn_id for f in facilities}
    for model, label in ((Organization, "organisations"), (Location, "locations"),
                         (Service, "services")):  # fmt: skip
        _note_stale(model, src, ids, label, report)

    pairs = {(services[f.mvzn_id].id, locations[f.mvzn_id].id) for f in facilities}
    sync_children(
        ServiceAtLocation,
        ServiceAtLocation.objects.filter(service__source=src),
        {(s, loc): {"service_id": s, "location_id": loc} for s, loc in pairs},
        lambda sal: (sal.service_id, sal.location_id),
        report.tally("ServiceAtLocation"),
    )
    sync_children(Address, Address.objects.filter(location__source=src), {
        locations[f.mvzn_id].id: {"location_id": locations[f.mvzn_id].id,
                                  "address_1": f.address_1, "postal_code": f.postal_code,
                                  "city": f.city, "country": "NL"}
        for f in facilities if f.address_1 or f.postal_code},
        lambda a: a.location_id, report.tally("Address"))  # fmt: skip
    sync_attributes(src, _attributes(
        (services[f.mvzn_id].id, term_id)
        for f in facilities
        for term_id in [category_terms[f.number], *_themes(f.kind.themes, theme_ids)]
    ), report)  # fmt: skip


def import_poverty_services(
    records: list[PovertyService], municipality: Municipality, theme_ids: dict, report: Report
) -> None:
    """Write the records read by ``read_poverty_services`` (see module docstring). Call
    inside a transaction, after ``ensure_theme_taxonomy``."""
    src, gm = POVERTY_SOURCE, municipality.id
    organisations: dict[str, dict] = {}
    for r in records:
        key = org_key(r.organization)
        organisations.setdefault(key, {"source": src, "source_id": key,
                                       "name": r.organization, "kind": r.organization_kind,
                                       "municipality_id": gm})  # fmt: skip
    orgs = sync_rows(Organization, _existing(Organization, src), organisations,
                     report.tally("Organization"))  # fmt: skip
    services = sync_rows(Service, _existing(Service, src), {
        r.source_id: {"source": src, "source_id": r.source_id, "name": r.name,
                      "organization_id": orgs[org_key(r.organization)].id,
                      "description": r.description, "application_process": r.application_process,
                      "eligibility_description": r.eligibility, "url": r.url, "email": r.email,
                      "minimum_age": r.minimum_age, "maximum_age": r.maximum_age,
                      "municipality_id": gm}
        for r in records}, report.tally("Service"), touch="updated_at")  # fmt: skip
    _note_stale(Service, src, {r.source_id for r in records}, "services", report)
    _note_stale(Organization, src, set(organisations), "organisations", report)

    ids = {r.source_id: services[r.source_id].id for r in records}
    districts = _stadsdeel_districts()
    sync_children(ServiceArea, ServiceArea.objects.filter(service__source=src), {
        ids[r.source_id]: {"service_id": ids[r.source_id], "name": r.area_description,
                           "description": r.area_description, "municipality_id": gm,
                           "district_codes": " ".join(sorted(
                               code for sd in r.stadsdelen for code in districts[sd]))}
        for r in records}, lambda a: a.service_id, report.tally("ServiceArea"))  # fmt: skip
    sync_children(Phone, Phone.objects.filter(service__source=src), {
        (ids[r.source_id], number): {"service_id": ids[r.source_id], "number": number,
                                     "type": "cell" if number.startswith("06") else "voice"}
        for r in records for number in r.phones},
        lambda p: (p.service_id, p.number), report.tally("Phone"))  # fmt: skip
    sync_children(CostOption, CostOption.objects.filter(service__source=src), {
        (ids[r.source_id], "Gratis"): {"service_id": ids[r.source_id], "option": "Gratis",
                                       "amount": Decimal("0.00"), "currency": "EUR"}
        for r in records if r.free},
        lambda c: (c.service_id, c.option), report.tally("CostOption"))  # fmt: skip
    sync_attributes(src, _attributes(
        (ids[r.source_id], term_id) for r in records for term_id in _themes(r.themes, theme_ids)
    ), report)  # fmt: skip
    unthemed = sorted({r.name for r in records if not r.themes})
    if unthemed:
        report.note(f"{len(unthemed)} poverty/welfare service name(s) without a theme: "
                    f"{', '.join(unthemed)}")  # fmt: skip


def import_amsterdam(data_dir: Path) -> Report:
    """Import both Amsterdam sources. Requires the Amsterdam areas with boundaries
    (``import-cbs --municipality GM0363``). Call inside a transaction; raises ImportFailure
    before writing on bad input."""
    data_dir = Path(data_dir)
    municipality = Municipality.objects.filter(code=AMSTERDAM).first()
    if municipality is None:
        raise ImportFailure(
            data_dir,
            "",
            "municipality GM0363 (Amsterdam) is not loaded; run "
            "'socialebasis import-cbs --municipality GM0363' first",
        )
    _, polygons = neighbourhood_finder(municipality)
    if not polygons:
        raise ImportFailure(
            data_dir,
            "",
            "no Amsterdam neighbourhood boundaries loaded; run "
            "'socialebasis import-cbs --municipality GM0363' first",
        )
    report = Report()
    for text in CREDITS:
        report.credit(text)
    facilities = read_facilities(data_dir)  # both files are validated before any write
    records = read_poverty_services(data_dir)
    ensure_theme_taxonomy()
    theme_ids = _term_ids(THEME_TAXONOMY)
    import_facilities(facilities, municipality, theme_ids, report)
    import_poverty_services(records, municipality, theme_ids, report)
    return report
