"""Writes of the directory. Every write is a ``do_<verb>_<noun>`` function (project rule), so
views, the API and commands share validation and, once the audit app lands, its audit event."""

from django.db import transaction

from socialebasis.directory.models import ErrorReport, Location, Organization, Service

MESSAGE_MAX_LENGTH = 5000
NAME_MAX_LENGTH = 200


@transaction.atomic
def do_report_error(
    *,
    message: str,
    reporter_name: str = "",
    reporter_email: str = "",
    service: Service | None = None,
    location: Location | None = None,
    organization: Organization | None = None,
    acting_user=None,
) -> ErrorReport:
    """Record a resident's report that an entry is wrong; it waits for moderation (status new).

    ``message`` is required and at most 5,000 characters; the name at most 200. At most one of
    service/location/organization is the subject (none: a general report). ``acting_user`` is
    the logged-in user, if any (for the audit event that comes with the audit app).
    Raises ValueError for input the form should have caught.
    """
    message = (message or "").strip()
    if not message:
        raise ValueError("message is required")
    if len(message) > MESSAGE_MAX_LENGTH:
        raise ValueError(f"message is longer than {MESSAGE_MAX_LENGTH} characters")
    reporter_name = (reporter_name or "").strip()
    if len(reporter_name) > NAME_MAX_LENGTH:
        raise ValueError(f"reporter_name is longer than {NAME_MAX_LENGTH} characters")
    if sum(x is not None for x in (service, location, organization)) > 1:
        raise ValueError("a report is about one service, location or organization")
    return ErrorReport.objects.create(
        service=service,
        location=location,
        organization=organization,
        reporter_name=reporter_name,
        reporter_email=(reporter_email or "").strip(),
        message=message,
    )


@transaction.atomic
def do_moderate_error_reports(reports, status: str, *, acting_user=None) -> int:
    """Set the moderation status of error reports (resolved/rejected/new) and when they were
    handled (None again for new). Returns the number of reports changed."""
    from django.utils import timezone

    from socialebasis.directory.constants import ReportStatus

    if status not in ReportStatus.values:
        raise ValueError(f"unknown report status {status!r}")
    handled_at = None if status == ReportStatus.NEW else timezone.now()
    return reports.exclude(status=status).update(status=status, handled_at=handled_at)


@transaction.atomic
def do_mark_verified(queryset, *, acting_user=None, day=None) -> int:
    """Set ``last_verified`` of organisations/services/locations to ``day`` (default today,
    Europe/Amsterdam). Returns the number of records updated."""
    from django.utils import timezone

    return queryset.update(last_verified=day or timezone.localdate())
