"""The Dutch theme taxonomy of the social base (taxonomy code ``sb-thema``).

Two levels: themes and, under some, sub-themes. Codes are stable slugs used in URLs
(``?theme=geld-en-schulden``) and in the HSDS export; names are Dutch, with the English name in
the description. A filter on a theme includes its children (prefix match on ``path``).
"""

from django.db import transaction

from socialebasis.directory.constants import THEME_TAXONOMY
from socialebasis.directory.models import Taxonomy, TaxonomyTerm

# (code, Dutch name, English name, [(child code, Dutch name, English name), ...])
THEMES: list[tuple[str, str, str, list[tuple[str, str, str]]]] = [
    (
        "ontmoeting",
        "Ontmoeting en activiteiten",
        "Meeting and activities",
        [
            ("buurtkamer", "Buurtkamer", "Neighbourhood living room"),
            ("buurthuis", "Buurthuis en wijkcentrum", "Community centre"),
            ("speeltuin", "Speeltuin en kinderboerderij", "Playground and children's farm"),
        ],
    ),
    ("mantelzorg", "Mantelzorg", "Informal care", []),
    ("vrijwilligerswerk", "Vrijwilligerswerk", "Volunteering", []),
    (
        "geld-en-schulden",
        "Geld en schulden",
        "Money and debt",
        [
            ("schuldhulp", "Schuldhulpverlening", "Debt counselling"),
            ("minimaregelingen", "Minimaregelingen en toeslagen", "Low-income schemes"),
            ("voedsel", "Voedselhulp", "Food aid"),
        ],
    ),
    ("eenzaamheid", "Eenzaamheid en sociaal contact", "Loneliness and social contact", []),
    (
        "opvoeding-en-jeugd",
        "Opvoeden en jeugd",
        "Parenting and youth",
        [
            ("jongerenwerk", "Jongerenwerk", "Youth work"),
            ("opvoedondersteuning", "Opvoedondersteuning", "Parenting support"),
        ],
    ),
    ("ouderen", "Ouderen", "Elderly", []),
    ("gezondheid", "Gezondheid en welzijn", "Health and well-being", []),
    ("wonen", "Wonen", "Housing", []),
    ("werk-en-dagbesteding", "Werk en dagbesteding", "Work and daytime activity", []),
    ("taal-en-digitaal", "Taal en digitale vaardigheden", "Language and digital skills", []),
    ("sport-en-bewegen", "Sport en bewegen", "Sport and exercise", []),
    ("kunst-en-cultuur", "Kunst, cultuur en bibliotheek", "Arts, culture and library", []),
    ("onderwijs", "Onderwijs", "Education", []),
    ("opvang", "Opvang en crisis", "Shelter and crisis", []),
    ("sociaal-werk", "Sociaal werk en buurtteams", "Social work and neighbourhood teams", []),
]


@transaction.atomic
def ensure_theme_taxonomy() -> Taxonomy:
    """Create or update the theme taxonomy and its terms. Idempotent; returns the taxonomy."""
    taxonomy, _ = Taxonomy.objects.update_or_create(
        code=THEME_TAXONOMY,
        defaults={
            "name": "Thema's sociale basis",
            "description": "Themes of the Dutch social base (Sociale Basis)",
            "version": "1",
        },
    )
    for code, name, english, children in THEMES:
        parent, _ = TaxonomyTerm.objects.update_or_create(
            taxonomy=taxonomy,
            code=code,
            defaults={"name": name, "description": english, "parent": None},
        )
        for child_code, child_name, child_english in children:
            TaxonomyTerm.objects.update_or_create(
                taxonomy=taxonomy,
                code=child_code,
                defaults={"name": child_name, "description": child_english, "parent": parent},
            )
    return taxonomy
