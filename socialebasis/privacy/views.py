"""Pages of the privacy app: the privacy officer's audit viewer (``/privacy/audit/``) and
its CSV export, scoped by ``privacy.access.audit_events_for_user`` (404 for everyone else).
The resident's own data pages (``/mijn-gegevens/``) are the residents app's."""

import csv

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from socialebasis.audit import events
from socialebasis.privacy.access import audit_events_for_user
from socialebasis.privacy.filters import AuditEventFilter
from socialebasis.privacy.subject import describe_actors

PAGE_SIZE = 50


def _filtered_audit(request):
    filterset = AuditEventFilter(request.GET or None, queryset=audit_events_for_user(request.user))
    valid = not filterset.is_bound or filterset.is_valid()
    rows = filterset.qs.order_by("-sequence") if valid else filterset.queryset.none()
    return filterset, valid, rows


@require_GET
@login_required
def audit_log(request):
    """The audit log for a privacy officer: filter by subject, actor, event and period."""
    filterset, valid, rows = _filtered_audit(request)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    users = describe_actors([row.actor_id for row in page])
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "privacy/audit.html",
        {
            "filter": filterset,
            "form": filterset.form,
            "valid": valid,
            "page": page,
            "rows": [(row, users[row.actor_id]) for row in page],
            "csv_query": query.urlencode(),
        },
    )


def _csv_cell(value) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value):
        return value


@require_GET
@login_required
def audit_csv(request):
    """The filtered audit rows as CSV. Audited (``audit_exported``, with the filters)."""
    filterset, valid, rows = _filtered_audit(request)
    if not valid:
        errors = "; ".join(f"{k}: {' '.join(v)}" for k, v in filterset.form.errors.items())
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    query = request.GET.copy()
    query.pop("page", None)
    events.audit_exported(request.user, filters=query.urlencode())
    writer = csv.writer(_Echo())
    header = [
        "sequence", "occurred_at", "event", "actor_id", "actor_email", "subject_type",
        "subject_id", "municipality_code", "reason", "fields", "hash",
    ]  # fmt: skip

    def lines():
        yield "\ufeff" + writer.writerow(header)  # BOM: spreadsheets read UTF-8 correctly
        emails: dict = {}
        for chunk_start in range(0, rows.count(), 2000):
            chunk = list(rows[chunk_start : chunk_start + 2000])
            missing = {r.actor_id for r in chunk if r.actor_id and r.actor_id not in emails}
            if missing:
                from django.contrib.auth import get_user_model

                for pk, email in (
                    get_user_model().objects.filter(pk__in=missing).values_list("pk", "email")
                ):
                    emails[pk] = email
            for r in chunk:
                yield writer.writerow(
                    _csv_cell(v)
                    for v in (
                        r.sequence,
                        timezone.localtime(r.occurred_at).isoformat(),
                        r.event,
                        r.actor_id or "",
                        emails.get(r.actor_id, ""),
                        r.subject_type,
                        r.subject_id,
                        r.municipality_code,
                        r.reason,
                        " ".join(r.fields),
                        r.hash,
                    )
                )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    filename = f"auditlog-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
