"""The data subject's view: audit rows about a resident, who the actors were, and the full
export of everything the platform holds about them (``build_export``)."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from socialebasis.audit.models import AuditEvent
from socialebasis.privacy.actions import is_anonymised_user
from socialebasis.privacy.registry import resident_data_sections

EXPORT_FORMAT = "sociale-basis/persoonsgegevens"
EXPORT_VERSION = 1


def audit_rows_about(resident, *, account: bool = False) -> QuerySet[AuditEvent]:
    """Audit rows about ``resident``'s file and consents; with ``account`` also the rows
    about their account and the rows they caused themselves (logins, ...)."""
    consent_ids = [str(pk) for pk in resident.consents.values_list("pk", flat=True)]
    query = Q(subject_type="residents.resident", subject_id=str(resident.pk))
    if consent_ids:
        query |= Q(subject_type="privacy.consent", subject_id__in=consent_ids)
    if account and resident.user_id:
        query |= Q(subject_type="accounts.user", subject_id=str(resident.user_id))
        query |= Q(actor_id=resident.user_id)
    return AuditEvent.objects.filter(query).order_by("-sequence")


@dataclass
class Actor:
    """Who did something, as the resident may see it."""

    name: str
    role: str = ""
    is_self: bool = False
    removed: bool = False


def describe_actors(actor_ids, resident=None) -> dict:
    """Map actor ids to ``Actor``: the user's name and roles/organisations while the user
    exists, "verwijderde gebruiker" after that; None (the system) maps to "Systeem"."""
    ids = {pk for pk in actor_ids if pk is not None}
    users = (
        get_user_model()
        .objects.filter(pk__in=ids)
        .prefetch_related("memberships__organization", "memberships__team")
    )
    found = {}
    own_user_id = getattr(resident, "user_id", None)
    for user in users:
        if user.pk == own_user_id:
            found[user.pk] = Actor(_("U zelf"), is_self=True)
            continue
        if is_anonymised_user(user):
            continue
        roles = []
        for m in user.memberships.all():
            if resident is not None and m.municipality_id != resident.municipality_id:
                continue
            parts = [str(m.get_role_display())]
            if m.team_id:
                parts.append(m.team.name)
            if m.organization_id:
                parts.append(m.organization.name)
            roles.append(", ".join(parts))
        found[user.pk] = Actor(user.full_name or user.email, "; ".join(sorted(set(roles))))
    result = {pk: found.get(pk) or Actor(_("verwijderde gebruiker"), removed=True) for pk in ids}
    result[None] = Actor(_("Systeem (automatisch)"))
    return result


def audit_entries(rows, resident=None) -> list[dict]:
    """Audit rows with their actor described, ready for a page or an export."""
    rows = list(rows)
    actors = describe_actors([r.actor_id for r in rows], resident)
    return [
        {
            "sequence": r.sequence,
            "occurred_at": r.occurred_at,
            "event": r.event,
            "event_label": str(r.event_label),
            "actor": actors[r.actor_id],
            "subject_type": r.subject_type,
            "subject_id": r.subject_id,
            "reason": r.reason,
            "fields": r.fields,
        }
        for r in rows
    ]


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
    from socialebasis.residents.models import Resident

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
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "email_verified_at": user.email_verified_at,
            "is_active": user.is_active,
            "roles": [
                {
                    "role": m.role,
                    "role_label": str(m.get_role_display()),
                    "municipality": m.municipality.name,
                    "organization": m.organization.name if m.organization_id else "",
                    "team": m.team.name if m.team_id else "",
                }
                for m in user.memberships.select_related("municipality", "organization", "team")
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


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Actor):
        return {"name": str(value.name), "role": value.role}
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):  # datetime
        return timezone.localtime(value).isoformat() if value.tzinfo else value.isoformat()
    if hasattr(value, "isoformat"):  # date
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def export_as_json_data(export: dict) -> dict:
    """The export as JSON-ready data: local (Europe/Amsterdam) ISO times, plain strings;
    the HTML-only labels left out, each section's rows keyed by its ``key``."""
    data = {k: v for k, v in export.items() if k not in {"resident_labels", "sections"}}
    for section in export["sections"]:
        data[section["key"]] = section["rows"]
    return _jsonable(data)
