"""Default search synonyms of the social domain. The administrator edits them afterwards
(Beheer > Synoniemengroepen); this migration only adds groups that are not there yet."""

from django.db import migrations

DEFAULT_GROUPS = [
    ("geldzorgen, schulden, financiële problemen, betalingsachterstand, rood staan",
     "geldzorgen"),
    ("alleen, eenzaam, eenzaamheid, vereenzaming, weinig contact", "eenzaamheid"),
    ("mantelzorg, mantelzorger, zorgen voor naaste, zorgen voor een naaste", "mantelzorg"),
    ("buurthuis, wijkcentrum, buurtcentrum, huis van de wijk", "ontmoetingsplekken"),
    ("jongeren, jeugd, tieners", "jongeren"),
    ("ouderen, senioren, 65-plussers", "ouderen"),
    ("voedselbank, voedselhulp, gratis eten", "voedsel"),
    ("taalles, nederlands leren, taalcafé", "taal"),
    ("computerles, digitale vaardigheden, digitaal", "digitaal"),
    ("vrijwilligerswerk, vrijwilliger worden, vrijwilligers", "vrijwilligers"),
    ("opvoeding, opvoeden, ouderschap", "opvoeding"),
    ("dagbesteding, dagactiviteiten", "dagbesteding"),
    ("dakloos, daklozenopvang, nachtopvang", "opvang"),
]


def add_defaults(apps, schema_editor):
    group_model = apps.get_model("directory", "SynonymGroup")
    existing = set(group_model.objects.values_list("terms", flat=True))
    for terms, note in DEFAULT_GROUPS:
        if terms not in existing:
            group_model.objects.create(terms=terms, note=f"standaard: {note}")


def remove_defaults(apps, schema_editor):
    group_model = apps.get_model("directory", "SynonymGroup")
    group_model.objects.filter(terms__in=[t for t, _ in DEFAULT_GROUPS]).delete()


class Migration(migrations.Migration):
    dependencies = [("directory", "0004_searchterm_per_word")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
