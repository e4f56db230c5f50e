"""What the directory declares to the trust layer (imported by ``DirectoryConfig.ready``).

The social map itself is public, not personal data. Error reports are: they carry the
reporter's name and e-mail address. So ``ErrorReport`` is protected (read by the admin and
``actions.py`` only), kept 12 months, part of a resident's export (the reports sent from
their account: ``ErrorReport.user``, never matched on a typed e-mail address, which anyone
can type) and anonymised on erasure: the report about the social map stays, its link to the
account, the name and the e-mail address go. When retention anonymises an inactive account,
its reports are unlinked and keep their own 12 months.
"""

from django.utils.translation import gettext_lazy as _

from socialebasis.directory.models import ErrorReport
from socialebasis.lib.protected import register_protected
from socialebasis.privacy.constants import RetentionAction
from socialebasis.privacy.registry import (
    ResidentDataSection,
    register_account_unlinker,
    register_resident_data,
    register_subject_type,
)
from socialebasis.privacy.retention import RetentionPolicy, register

ERROR_REPORT_MONTHS = 12

register_protected("directory.ErrorReport", accessors=("error_reports",))
register_subject_type("directory.errorreport", _("Foutmelding"), app="directory")


def error_reports_of(resident):
    """Error reports sent from the resident's own account (none without an account). A
    typed e-mail address proves nothing about who sent a report, so it links nothing."""
    if resident.user_id is None:
        return ErrorReport.objects.none()
    return ErrorReport.objects.filter(user_id=resident.user_id)


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
    return error_reports_of(resident).update(user=None, reporter_name="", reporter_email="")


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


def _unlink_account(user) -> None:
    # Retention anonymises an inactive account; its reports keep their own clock.
    ErrorReport.objects.filter(user_id=user.pk).update(user=None)


register_account_unlinker(_unlink_account)
