"""The directory's audit events, registered with the audit app (``audit.constants``).

Imported by ``DirectoryConfig.ready``. The rows are written by ``directory.actions`` only,
through ``audit.events.append``, with changed field names and counts, never values: an
``ErrorReport`` holds a resident's name and e-mail address (personal data), so its rows name
the report by id and its new status only.
"""

from django.utils.translation import gettext_lazy as _

from socialebasis.audit.constants import register_event
from socialebasis.privacy.registry import register_subject_type

APP = "directory"

# Organisations, services and locations (the social map; not personal data).
DIRECTORY_ENTRY_CREATED = register_event(
    "directory_entry_created", _("Sociale kaart: vermelding toegevoegd"), app=APP
)
DIRECTORY_ENTRY_CHANGED = register_event(
    "directory_entry_changed", _("Sociale kaart gewijzigd"), app=APP
)
DIRECTORY_ENTRY_DELETED = register_event(
    "directory_entry_deleted", _("Sociale kaart: vermelding verwijderd"), app=APP
)
DIRECTORY_IMPORTED = register_event("directory_imported", _("Sociale kaart geïmporteerd"), app=APP)

# Residents' error reports (personal data: the reporter's name and e-mail address).
ERROR_REPORT_CREATED = register_event("error_report_created", _("Foutmelding ontvangen"), app=APP)
ERROR_REPORT_MODERATED = register_event(
    "error_report_moderated", _("Foutmelding beoordeeld"), app=APP
)
ERROR_REPORT_DELETED = register_event("error_report_deleted", _("Foutmelding verwijderd"), app=APP)

# What the rows are about, as the privacy officer's audit filter names them.
for _label, _name in [
    ("directory.organization", _("Organisatie (sociale kaart)")),
    ("directory.service", _("Dienst (sociale kaart)")),
    ("directory.location", _("Locatie (sociale kaart)")),
    ("directory.taxonomy", _("Taxonomie (sociale kaart)")),
    ("directory.taxonomyterm", _("Thema (sociale kaart)")),
    ("directory.synonymgroup", _("Synoniemen (zoeken)")),
    ("directory.import", _("Import van de sociale kaart")),
]:
    register_subject_type(_label, _name, app=APP)
