"""The register of personal data: retention per model, and what is linked to a resident.

Retention (rendered into docs/privacy.md by scripts/render_permission_matrix.py):

================================  ===============================  ==========================
model                             kept                             then
================================  ===============================  ==========================
residents.Resident                24 months after last activity    anonymised (row stays)
                                  (a change, or a login)
privacy.Consent                   as long as the resident's file   removed with the file
directory.ErrorReport             12 months after it was sent      deleted
accounts.User (no professional    6 months after last login        anonymised (row stays,
role, deactivated)                (or creation)                    deactivated, scrubbed)
audit.AuditEvent                  kept (no personal content)       never changed
================================  ===============================  ==========================

Accounts that hold a professional role are not touched by retention: their names must stay
resolvable in the audit log ("who looked at my file") for as long as the organisation is
accountable; the organisation deactivates them when someone leaves.
"""

from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from socialebasis.accounts.constants import PROFESSIONAL_ROLES
from socialebasis.privacy.constants import RetentionAction
from socialebasis.privacy.registry import ResidentDataSection, register_resident_data
from socialebasis.privacy.retention import RetentionPolicy, register

RESIDENT_MONTHS = 24
ERROR_REPORT_MONTHS = 12
DEACTIVATED_ACCOUNT_MONTHS = 6


# ---------------------------------------------------------------- retention


def _due_residents(cutoff):
    from socialebasis.residents.models import Resident

    # A resident who still logs in to their own pages is active too.
    return Resident.objects.filter(anonymised_at__isnull=True, last_activity_at__lt=cutoff).exclude(
        user__last_login__gte=cutoff
    )


def _anonymise_resident(resident):
    from socialebasis.privacy.actions import do_anonymise_resident

    return do_anonymise_resident(resident)


def _resident_municipality(resident) -> str:
    return resident.municipality.code


def _due_error_reports(cutoff):
    from socialebasis.directory.models import ErrorReport

    return ErrorReport.objects.filter(created_at__lt=cutoff)


def _error_report_municipality(report) -> str:
    subject = report.service or report.location or report.organization
    municipality = getattr(subject, "municipality", None)
    return getattr(municipality, "code", "") or ""


def _due_accounts(cutoff):
    from socialebasis.accounts.models import User
    from socialebasis.privacy.actions import ANONYMISED_EMAIL_DOMAIN

    return (
        User.objects.filter(is_active=False, is_staff=False, is_superuser=False)
        .exclude(email__endswith="@" + ANONYMISED_EMAIL_DOMAIN)
        .exclude(memberships__role__in=PROFESSIONAL_ROLES)
        .annotate(last_seen=Coalesce("last_login", "date_joined"))
        .filter(last_seen__lt=cutoff)
    )


def _anonymise_account(user):
    from socialebasis.privacy.actions import do_anonymise_user

    resident = getattr(user, "resident", None)
    if resident is not None:
        # The file stays (its own clock runs), but no longer points to the account.
        type(resident).objects.filter(pk=resident.pk).update(user=None)
    do_anonymise_user(user)
    return []


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
        model="privacy.Consent",
        months=None,
        action=RetentionAction.WITH_RESIDENT,
        basis=_("het dossier van de inwoner"),
        note=_("Bewijs van toestemming blijft zolang het dossier bestaat."),
    )
)
register(
    RetentionPolicy(
        model="directory.ErrorReport",
        months=ERROR_REPORT_MONTHS,
        action=RetentionAction.DELETE,
        basis=_("datum van de melding"),
        due=_due_error_reports,
        municipality=_error_report_municipality,
        note=_("De melding bevat naam en e-mailadres van de melder."),
    )
)
register(
    RetentionPolicy(
        model="accounts.User",
        months=DEACTIVATED_ACCOUNT_MONTHS,
        action=RetentionAction.ANONYMISE,
        basis=_("laatste login (of aanmaak)"),
        due=_due_accounts,
        apply=_anonymise_account,
        note=_(
            "Alleen gedeactiveerde accounts zonder professionele rol. Accounts van "
            "professionals blijven, zodat het auditlog kan blijven zeggen wie een dossier "
            "bekeek."
        ),
    )
)
register(
    RetentionPolicy(
        model="audit.AuditEvent",
        months=None,
        action=RetentionAction.KEEP,
        basis=_("nooit gewijzigd of verwijderd"),
        note=_("Bevat alleen ids, gebeurtenissen en veldnamen, geen persoonlijke inhoud."),
    )
)


# ---------------------------------------------------------------- linked to a resident


def _export_consents(resident) -> list[dict]:
    return [
        {
            "purpose": c.purpose,
            "purpose_label": str(c.get_purpose_display()),
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


def _export_error_reports(resident) -> list[dict]:
    from socialebasis.privacy.actions import error_reports_of

    return [
        {
            "created_at": r.created_at,
            "about": str(r.service or r.location or r.organization or ""),
            "reporter_name": r.reporter_name,
            "reporter_email": r.reporter_email,
            "message": r.message,
            "status": str(r.get_status_display()),
        }
        for r in error_reports_of(resident).select_related("service", "location", "organization")
    ]


def _erase_error_reports(resident) -> int:
    from socialebasis.privacy.actions import error_reports_of

    # The report itself (what is wrong on the social map) stays useful; who sent it goes.
    return error_reports_of(resident).update(reporter_name="", reporter_email="")


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
register_resident_data(
    ResidentDataSection(
        key="error_reports",
        label=_("Uw meldingen over de sociale kaart"),
        fields=[
            ("created_at", _("Verstuurd op")),
            ("about", _("Over")),
            ("reporter_name", _("Naam")),
            ("reporter_email", _("E-mailadres")),
            ("message", _("Melding")),
            ("status", _("Status")),
        ],
        export=_export_error_reports,
        erase=_erase_error_reports,
    )
)
