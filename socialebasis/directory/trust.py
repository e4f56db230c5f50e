"""What the directory declares to the trust layer (imported by ``DirectoryConfig.ready``).

The social map itself is public, not personal data. Error reports are: they carry the
reporter's name and e-mail address. So ``ErrorReport`` is protected (read by the admin and
``actions.py`` only), kept 12 months, part of a resident's export (matched on the e-mail of
their file or account) and scrubbed of the reporter on erasure.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from socialebasis.directory.models import ErrorReport
from socialebasis.lib.protected import register_protected
from socialebasis.privacy.constants import RetentionAction
from socialebasis.privacy.registry import (
    ResidentDataSection,
    register_resident_data,
    register_subject_type,
)
from socialebasis.privacy.retention import RetentionPolicy, register

ERROR_REPORT_MONTHS = 12

register_protected("directory.ErrorReport", accessors=("error_reports",))
register_subject_type("directory.errorreport", _("Foutmelding"), app="directory")


def error_reports_of(resident):
    """Error reports the resident sent (matched on the e-mail of their file or account)."""
    emails = {e.lower() for e in (resident.email, getattr(resident.user, "email", "")) if e}
    if not emails:
        return ErrorReport.objects.none()
    query = Q()
    for email in emails:
        query |= Q(reporter_email__iexact=email)
    return ErrorReport.objects.filter(query)


def _due_error_reports(cutoff):
    return ErrorReport.objects.filter(created_at__lt=cutoff)


def _error_report_municipality(report) -> str:
    subject = report.service or report.location or report.organization
    municipality = getattr(subject, "municipality", None)
    return getattr(municipality, "code", "") or ""


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


def _export_error_reports(resident) -> list[dict]:
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
    # The report itself (what is wrong on the social map) stays useful; who sent it goes.
    return error_reports_of(resident).update(reporter_name="", reporter_email="")


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
