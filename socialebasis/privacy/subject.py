"""The data subject's view, for any app that answers data-subject requests: who the actors
of audit rows were (as the person may see them), and an export made JSON-ready.
``residents.export`` builds a resident's export from these and the registered sections."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from socialebasis.privacy.actions import is_anonymised_user


@dataclass
class Actor:
    """Who did something, as the resident may see it."""

    name: str
    role: str = ""
    is_self: bool = False
    removed: bool = False


def describe_actors(actor_ids, resident=None) -> dict:
    """Map actor ids to ``Actor``: the user's name and roles while the user
    exists, "verwijderde gebruiker" after that; None (the system) maps to "Systeem"."""
    ids = {pk for pk in actor_ids if pk is not None}
    users = get_user_model().objects.filter(pk__in=ids).prefetch_related("memberships__team")
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
