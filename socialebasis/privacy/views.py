"""Pages of the privacy app.

The resident's own pages (``/mijn-gegevens/``): overview, consents, who looked at my file,
download (JSON and HTML) and erasure. They show only the logged-in user's own file
(``residents.access.own_resident_for_user``); an account without a file gets a 404 page.

The privacy officer's audit viewer (``/privacy/audit/``) and its CSV export, scoped by
``privacy.access.audit_events_for_user`` (404 for everyone else).
"""

import csv
import functools
import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from socialebasis.audit import events
from socialebasis.audit.constants import EventType
from socialebasis.privacy import actions
from socialebasis.privacy.access import audit_events_for_user
from socialebasis.privacy.filters import AuditEventFilter
from socialebasis.privacy.forms import ConsentsForm, EraseForm
from socialebasis.privacy.queries import consent_states
from socialebasis.privacy.subject import (
    audit_entries,
    audit_rows_about,
    build_export,
    describe_actors,
    export_as_json_data,
)
from socialebasis.residents.access import own_resident_for_user

PAGE_SIZE = 50


def own_file(view):
    """Login required; passes the user's own resident file, or shows the 404 page
    "no file linked to this account"."""

    @functools.wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        try:
            resident = own_resident_for_user(request.user)
        except Http404:
            return render(request, "privacy/no_file.html", status=404)
        return view(request, resident, *args, **kwargs)

    return wrapper


@require_GET
@own_file
def overview(request, resident):
    states = consent_states(resident)
    return render(
        request,
        "privacy/overview.html",
        {
            "resident": resident,
            "consents_given": sum(s.given for s in states),
            "consents_total": len(states),
            "views": audit_rows_about(resident).filter(event=EventType.RECORD_VIEWED).count(),
        },
    )


@require_http_methods(["GET", "POST"])
@own_file
def consents(request, resident):
    """All consents on one page: a checkbox per purpose with its current text."""
    states = consent_states(resident)
    if request.method == "POST":
        form = ConsentsForm(request.POST, states=states)
        if form.is_valid():
            changed = 0
            try:
                for state in states:
                    wanted = form.cleaned_data[state.purpose]
                    if wanted and not state.given:
                        version = form.cleaned_data[f"version_{state.purpose}"]
                        actions.do_give_consent(
                            resident, state.purpose, request.user, wording_version=version
                        )
                        changed += 1
                    elif not wanted and state.given:
                        actions.do_withdraw_consent(resident, state.purpose, request.user)
                        changed += 1
            except actions.WordingChanged as exc:
                form.add_error(state.purpose, str(exc))
            else:
                if changed:
                    messages.success(request, _("Uw keuzes zijn opgeslagen."))
                else:
                    messages.info(request, _("U heeft niets veranderd."))
                return redirect("privacy:consents")
    else:
        form = ConsentsForm(states=states)
    return render(request, "privacy/consents.html", {"resident": resident, "form": form})


@require_GET
@own_file
def who_looked(request, resident):
    """Who looked at my file, and everything else that happened to it, newest first."""
    page = Paginator(audit_rows_about(resident), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "privacy/who_looked.html",
        {"resident": resident, "page": page, "entries": audit_entries(page, resident)},
    )


def _export_filename(extension: str) -> str:
    return f"mijn-gegevens-{timezone.localdate():%Y-%m-%d}.{extension}"


def export_json_response(resident) -> HttpResponse:
    """Everything about ``resident`` as a JSON download (the caller audits it)."""
    data = export_as_json_data(build_export(resident))
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{_export_filename("json")}"'
    return response


def render_export(request, resident, *, json_url: str, for_officer: bool = False):
    """Everything about ``resident`` as a readable page (the caller audits it)."""
    context = {"resident_obj": resident, "json_url": json_url, "for_officer": for_officer}
    return render(request, "privacy/export.html", {**context, **build_export(resident)})


@require_GET
@own_file
def download_json(request, resident):
    """Everything about me, machine-readable (JSON). Audited as an export."""
    events.export_made(request.user, resident, kind="inzageverzoek (json)")
    return export_json_response(resident)


@require_GET
@own_file
def download_html(request, resident):
    """Everything about me, as a readable page. Audited as an export."""
    events.export_made(request.user, resident, kind="inzageverzoek (html)")
    return render_export(request, resident, json_url=reverse("privacy:download_json"))


@require_http_methods(["GET", "POST"])
@own_file
def erase(request, resident):
    """Erase my data: a confirmation page; the POST erases and logs out."""
    form = EraseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        actions.do_erase_resident(resident, request.user)
        logout(request)
        return redirect("privacy:erased")
    return render(request, "privacy/erase.html", {"resident": resident, "form": form})


@require_GET
def erased(request):
    return render(request, "privacy/erased.html")


# ---------------------------------------------------------------- privacy officer


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
