"""What the residents app declares to the trust layer (imported by ``ResidentsConfig.ready``):
protected models, audit subject types, consent purposes with their wordings, retention
policies, the sections of a resident's export and erasure, and the hooks the privacy app
calls (accounts of a municipality's residents, unlinking an account).

Retention: a resident's file is kept 24 months after the last activity (a change, or a login
to their own pages), then anonymised (the row stays for counts over time); consents go with
the file.
"""

from django.utils.translation import gettext_lazy as _

from socialebasis.lib.protected import register_protected
from socialebasis.notifications.kinds import register_kind
from socialebasis.privacy.constants import RetentionAction
from socialebasis.privacy.registry import (
    ResidentDataSection,
    register_account_unlinker,
    register_people_of_municipality,
    register_resident_data,
    register_subject_type,
)
from socialebasis.privacy.retention import RetentionPolicy, register
from socialebasis.privacy.wording import purpose_label, register_purpose
from socialebasis.residents.access import user_ids_of_residents_in
from socialebasis.residents.actions import do_anonymise_resident
from socialebasis.residents.constants import CONSENT_ON_BEHALF, WORDINGS, Purpose
from socialebasis.residents.models import Resident

RESIDENT_MONTHS = 24

register_protected("residents.Resident", accessors=("resident_files", "resident"))
register_protected("residents.Consent", accessors=("consents",))
register_subject_type("residents.resident", _("Inwonersdossier"), app="residents")
register_subject_type("residents.consent", _("Toestemming"), app="residents")

for _purpose in Purpose:
    register_purpose(_purpose.value, _purpose.label, WORDINGS[_purpose], app="residents")


def _consent_context(stored: dict) -> dict:
    return {"purpose_label": purpose_label(stored.get("purpose", ""))}


register_kind(
    CONSENT_ON_BEHALF,
    _("Toestemming namens u vastgelegd"),
    _("Een medewerker heeft namens u een toestemming gegeven of ingetrokken."),
    about_resident=True,
    prepare=_consent_context,
    app="residents",
)


def _due_residents(cutoff):
    # A resident who still logs in to their own pages is active too.
    return Resident.objects.filter(anonymised_at__isnull=True, last_activity_at__lt=cutoff).exclude(
        user__last_login__gte=cutoff
    )


def _anonymise_resident(resident):
    return do_anonymise_resident(resident)


def _resident_municipality(resident) -> str:
    return resident.municipality.code


register(
    RetentionPolicy(
        model="residents.Resident",
        months=RESIDENT_MONTHS,
        action=RetentionAction.ANONYMISE,
        basis=_("laatste activiteit"),
        due=_due_residents,
        apply=_anonymise_resident,
        municipality=_resident_municipality,
        note=_(
            "Naam, geboortedatum, e-mail en telefoon worden leeggemaakt; toestemmingen "
            "verdwijnen; een account dat alleen voor dit dossier was, wordt geanonimiseerd."
        ),
    )
)
register(
    RetentionPolicy(
        model="residents.Consent",
        months=None,
        action=RetentionAction.WITH_RESIDENT,
        basis=_("het dossier van de inwoner"),
        note=_("Bewijs van toestemming blijft zolang het dossier bestaat."),
    )
)


def _export_consents(resident) -> list[dict]:
    return [
        {
            "purpose": c.purpose,
            "purpose_label": str(c.purpose_label),
            "wording_version": c.wording_version,
            "wording_text": c.wording_text,
            "given_at": c.given_at,
            "recorded_by": str(c.recorded_by_id or ""),
            "on_behalf": c.on_behalf,
            "reason": c.reason,
            "withdrawn_at": c.withdrawn_at,
            "withdrawn_by": str(c.withdrawn_by_id or ""),
            "withdrawal_reason": c.withdrawal_reason,
            "superseded_at": c.superseded_at,
        }
        for c in resident.consents.order_by("given_at")
    ]


def _erase_consents(resident) -> int:
    count, _ = resident.consents.all().delete()
    return count


register_resident_data(
    ResidentDataSection(
        key="consents",
        label=_("Toestemmingen"),
        fields=[
            ("purpose_label", _("Doel")),
            ("wording_version", _("Versie van de tekst")),
            ("wording_text", _("Getoonde tekst")),
            ("given_at", _("Gegeven op")),
            ("on_behalf", _("Namens u vastgelegd")),
            ("reason", _("Reden")),
            ("withdrawn_at", _("Ingetrokken op")),
            ("withdrawal_reason", _("Reden van intrekken")),
            ("superseded_at", _("Vervangen door nieuwe tekst op")),
        ],
        export=_export_consents,
        erase=_erase_consents,
    )
)


def _unlink_account(user) -> None:
    # The file stays (its own clock runs), but no longer points to the account.
    Resident.objects.filter(user_id=user.pk).update(user=None)


register_account_unlinker(_unlink_account)
register_people_of_municipality(user_ids_of_residents_in)
