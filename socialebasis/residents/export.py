"""A resident's data-subject view: the audit rows about their file, and the export of
everything the platform holds about them (``build_export``), walking every section that an
app registered with ``privacy.registry``."""

from django.utils import timezone
from django.utils.translation import gettext as _

from socialebasis.privacy.registry import resident_data_sections
from socialebasis.privacy.subject import audit_entries
from socialebasis.residents.models import Resident
from socialebasis.residents.queries import audit_rows_about

EXPORT_FORMAT = "sociale-basis/persoonsgegevens"
EXPORT_VERSION = 1


RESIDENT_FIELDS = [
    "id",
    "given_name",
    "family_name",
    "date_of_birth",
    "email",
    "phone",
    "created_at",
    "last_activity_at",
]


def build_export(resident) -> dict:
    """Everything the platform holds about ``resident``: their file, account, every
    registered linked section (consents, ...) and the audit rows about them."""
    meta = Resident._meta
    file = {name: getattr(resident, name) for name in RESIDENT_FIELDS}
    file["municipality"] = {"code": resident.municipality.code, "name": resident.municipality.name}
    file["neighbourhood"] = (
        {"code": resident.neighbourhood.code, "name": resident.neighbourhood.name}
        if resident.neighbourhood_id
        else None
    )
    labels = {name: str(meta.get_field(name).verbose_name) for name in RESIDENT_FIELDS}
    labels.update(id=_("Nummer van uw dossier"), created_at=_("Aangemaakt op"))
    labels.update(municipality=_("Gemeente"), neighbourhood=_("Buurt"))

    account = None
    if resident.user_id:
        user = resident.user
        account = {
            "email": user.email,
            "full_name": user.full_name,
            "pending_email": user.pending_email,
            "language": user.language,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "email_verified_at": user.email_verified_at,
            "is_active": user.is_active,
            "roles": [
                {
                    "role": m.role,
                    "role_label": str(m.get_role_display()),
                    "municipality": m.municipality.name,
                    "team": m.team.name if m.team_id else "",
                }
                for m in user.memberships.select_related("municipality", "team")
            ],
        }

    sections = [
        {"key": s.key, "label": str(s.label), "fields": s.fields, "rows": s.export(resident)}
        for s in resident_data_sections()
    ]
    audit = audit_entries(audit_rows_about(resident, account=True), resident)
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "generated_at": timezone.now(),
        "resident": file,
        "resident_labels": labels,
        "account": account,
        "sections": sections,
        "audit": audit,
    }
