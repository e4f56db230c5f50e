"""The professional's pages of residents' files.

- ``/dossiers/``: the names of the files the user may open (``residents_for_user``). Only
  for professionals who passed two-factor authentication; the list is not audited per row
  (it shows names and neighbourhoods only), opening a file is.
- ``/dossiers/<id>/``: one file, obtained only through ``access_resident_for_user`` (404
  when denied; ``TwoFactorRequired`` propagates to the two-factor middleware). An optional
  ``?reden=`` is stored as the reason of the audited opening.
- ``/dossiers/<id>/corrigeren/``: a professional who may open the file corrects it
  (``access_resident_for_correction``, ``actions.do_change_resident``; audited with the
  changed field names).
- ``/dossiers/<id>/toestemming/``: a privacy officer records or withdraws a consent on the
  resident's behalf, with a reason.
- ``/dossiers/<id>/inzage/`` and ``/dossiers/<id>/wissen/``: a privacy officer handles a
  data-subject request of a resident (e.g. one without an account): the full export
  (readable page, ``?formaat=json`` for the file; audited) and erasure (with a reason).

The resident's own pages (``/mijn-gegevens/``, URL namespace ``mydata``): overview,
account details (rectification), consents, who looked at my file, download (JSON and HTML)
and erasure. They show only the logged-in user's own file (``own_resident_for_user``); an
account without a file gets a 404 page.
"""

import functools
import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from socialebasis.accounts import actions as account_actions
from socialebasis.accounts import emails as account_emails
from socialebasis.accounts.twofactor import require_two_factor
from socialebasis.audit import events
from socialebasis.audit.constants import EventType
from socialebasis.lib.ratelimit import rate_limited
from socialebasis.privacy.subject import audit_entries, export_as_json_data
from socialebasis.residents import actions
from socialebasis.residents.access import (
    access_resident_as_privacy_officer,
    access_resident_for_correction,
    access_resident_for_user,
    may_record_consent_on_behalf,
    own_resident_for_user,
)
from socialebasis.residents.constants import Purpose
from socialebasis.residents.export import build_export
from socialebasis.residents.filters import ResidentFilter
from socialebasis.residents.forms import (
    AccountDetailsForm,
    ConsentsForm,
    EraseForm,
    OfficerEraseForm,
    OnBehalfConsentForm,
    ResidentForm,
)
from socialebasis.residents.queries import (
    ConsentRequired,
    audit_rows_about,
    consent_states,
    require_consent,
    resident_list_for_user,
)

PAGE_SIZE = 50
REASON_MAX_LENGTH = 200


@require_GET
@login_required
def resident_list(request):
    """The files the user may open, searchable by name and neighbourhood (``ResidentFilter``
    over the already-scoped list); a bad filter value shows next to its field."""
    if not request.user.is_professional:
        raise Http404("Not a professional")
    require_two_factor(request.user)  # lists of names are personal data too
    filterset = ResidentFilter(request.GET or None, queryset=resident_list_for_user(request.user))
    rows = filterset.queryset.none() if filterset.errors else filterset.qs
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "residents/list.html", {"page": page, "form": filterset.form})


@require_GET
@login_required
def resident_detail(request, resident_id):
    reason = request.GET.get("reden", "").strip()[:REASON_MAX_LENGTH]
    resident = access_resident_for_user(request.user, resident_id, reason=reason)
    try:
        # The network (later work) is shown only with the resident's consent.
        require_consent(resident, Purpose.WORKER_SEES_NETWORK)
        network_refusal = ""
    except ConsentRequired as exc:
        network_refusal = exc.message
    return render(
        request,
        "residents/detail.html",
        {
            "resident": resident,
            "states": consent_states(resident),
            "network_refusal": network_refusal,
            "is_privacy_officer": may_record_consent_on_behalf(request.user, resident),
            # Professionals correct a file; the resident asks them to.
            "may_correct": resident.user_id != request.user.pk and not resident.anonymised_at,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def consent_on_behalf(request, resident_id):
    """A privacy officer records a consent (or its withdrawal) on the resident's behalf."""
    form = OnBehalfConsentForm(request.POST or None, initial={"purpose": request.GET.get("doel")})
    valid = request.method == "POST" and form.is_valid()
    reason = form.cleaned_data["reason"] if valid else "toestemming vastleggen namens inwoner"
    resident = access_resident_as_privacy_officer(request.user, resident_id, reason=reason)
    if valid:
        purpose, change = form.cleaned_data["purpose"], form.cleaned_data["change"]
        if change == OnBehalfConsentForm.GIVE:
            actions.do_give_consent(resident, purpose, acting_user=request.user, reason=reason)
            messages.success(request, _("De toestemming is vastgelegd."))
        elif actions.do_withdraw_consent(
            resident, purpose, acting_user=request.user, reason=reason
        ):
            messages.success(request, _("De toestemming is ingetrokken."))
        else:
            messages.info(request, _("Er was geen toestemming om in te trekken."))
        return redirect("residents:detail", resident_id=resident.pk)
    return render(
        request,
        "residents/consent_on_behalf.html",
        {"resident": resident, "form": form, "states": consent_states(resident)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def resident_edit(request, resident_id):
    """A professional corrects the file; only the fields they changed are written."""
    resident = access_resident_for_correction(
        request.user, resident_id, reason="dossier corrigeren"
    )
    form = ResidentForm(request.POST or None, instance=resident)
    if request.method == "POST" and form.is_valid():
        try:
            changed = actions.do_change_resident(resident, form.changes(), acting_user=request.user)
        except actions.OutOfReach as exc:
            form.add_error("neighbourhood", str(exc))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if changed:
                messages.success(request, _("Het dossier is bijgewerkt."))
            else:
                messages.info(request, _("U heeft niets veranderd."))
            return redirect("residents:detail", resident_id=resident.pk)
    return render(request, "residents/edit.html", {"resident": resident, "form": form})


@require_GET
@login_required
def resident_export(request, resident_id):
    """A privacy officer's export of everything about a resident (an access request)."""
    as_json = request.GET.get("formaat") == "json"
    resident = access_resident_as_privacy_officer(
        request.user, resident_id, reason="inzageverzoek behandelen"
    )
    kind = (
        "inzageverzoek via privacy officer (json)"
        if as_json
        else ("inzageverzoek via privacy officer (html)")
    )
    events.export_made(request.user, resident, kind=kind)
    if as_json:
        return export_json_response(resident, prefix=f"inzage-dossier-{resident.pk}")
    url = reverse("residents:export", kwargs={"resident_id": resident.pk}) + "?formaat=json"
    return render_export(request, resident, json_url=url, for_officer=True)


@require_http_methods(["GET", "POST"])
@login_required
def resident_erase(request, resident_id):
    """A privacy officer erases a resident's data on their request, with a reason."""
    form = OfficerEraseForm(request.POST or None)
    valid = request.method == "POST" and form.is_valid()
    reason = form.cleaned_data["reason"] if valid else "verzoek om wissen behandelen"
    resident = access_resident_as_privacy_officer(request.user, resident_id, reason=reason)
    if valid:
        actions.do_erase_resident(resident, acting_user=request.user, reason=reason)
        messages.success(request, _("De gegevens van de inwoner zijn gewist."))
        return redirect("residents:list")
    return render(request, "residents/erase.html", {"resident": resident, "form": form})


# ------------------------------------------------------- the resident's own data (/mijn-gegevens/)


def own_file(view):
    """Login required; passes the user's own resident file, or shows the 404 page
    "no file linked to this account"."""

    @functools.wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        try:
            resident = own_resident_for_user(request.user)
        except Http404:
            return render(request, "residents/mydata/no_file.html", status=404)
        return view(request, resident, *args, **kwargs)

    return wrapper


@require_GET
@own_file
def overview(request, resident):
    states = consent_states(resident)
    return render(
        request,
        "residents/mydata/overview.html",
        {
            "resident": resident,
            "consents_given": sum(s.given for s in states),
            "consents_total": len(states),
            "views": audit_rows_about(resident).filter(event=EventType.RECORD_VIEWED).count(),
        },
    )


@require_http_methods(["GET", "POST"])
@rate_limited("form", key="user_or_ip")  # a new address gets a mail: no mail bombing from here
@own_file
def account_details(request, resident):
    """The resident corrects her account details: name, preferred language, e-mail address
    (a new one is confirmed by a link mailed to it, through the accounts mail queue)."""
    user = request.user
    form = AccountDetailsForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            changed = account_actions.do_change_account(
                user,
                acting_user=user,
                full_name=form.cleaned_data["full_name"],
                language=form.cleaned_data["language"],
                email=form.cleaned_data["email"],
            )
        except account_actions.AccountManaged as exc:
            form.add_error(None, str(exc))
        else:
            # Back on the page, in the language she chose (if she chose one).
            with translation.override(user.language or translation.get_language()):
                _account_saved_messages(request, user, changed)
                return redirect(reverse("mydata:account"))
    return render(
        request,
        "residents/mydata/account.html",
        {"resident": resident, "form": form, "pending_email": user.pending_email},
    )


def _account_saved_messages(request, user, changed: list[str]) -> None:
    if "pending_email" in changed and user.pending_email:
        account_emails.send_email_change_confirmation(request, user)
        messages.success(
            request,
            _(
                "We hebben een link gestuurd naar %(email)s. Uw nieuwe e-mailadres gaat in "
                "zodra u op die link klikt."
            )
            % {"email": user.pending_email},
        )
    if set(changed) - {"pending_email"}:
        messages.success(request, _("Uw gegevens zijn opgeslagen."))
    elif changed == ["pending_email"] and not user.pending_email:
        messages.info(request, _("De wijziging van uw e-mailadres is geannuleerd."))
    elif not changed:
        messages.info(request, _("U heeft niets veranderd."))


@require_http_methods(["GET", "POST"])
@own_file
def my_consents(request, resident):
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
                            resident,
                            state.purpose,
                            acting_user=request.user,
                            wording_version=version,
                        )
                        changed += 1
                    elif not wanted and state.given:
                        actions.do_withdraw_consent(
                            resident, state.purpose, acting_user=request.user
                        )
                        changed += 1
            except actions.WordingChanged as exc:
                form.add_error(state.purpose, str(exc))
            else:
                if changed:
                    messages.success(request, _("Uw keuzes zijn opgeslagen."))
                else:
                    messages.info(request, _("U heeft niets veranderd."))
                return redirect("mydata:consents")
    else:
        form = ConsentsForm(states=states)
    return render(request, "residents/mydata/consents.html", {"resident": resident, "form": form})


@require_GET
@own_file
def who_looked(request, resident):
    """Who looked at my file, and everything else that happened to it, newest first."""
    page = Paginator(audit_rows_about(resident), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "residents/mydata/who_looked.html",
        {"resident": resident, "page": page, "entries": audit_entries(page, resident)},
    )


def _export_filename(extension: str, prefix: str) -> str:
    return f"{prefix}-{timezone.localdate():%Y-%m-%d}.{extension}"


def export_json_response(resident, *, prefix: str = "mijn-gegevens") -> HttpResponse:
    """Everything about ``resident`` as a JSON download (the caller audits it), named
    ``<prefix>-<date>.json`` (the resident's own: "mijn-gegevens"; a privacy officer's: the
    file's id, so two residents' exports never share a name)."""
    data = export_as_json_data(build_export(resident))
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{_export_filename("json", prefix)}"'
    return response


def render_export(request, resident, *, json_url: str, for_officer: bool = False):
    """Everything about ``resident`` as a readable page (the caller audits it)."""
    context = {"resident_obj": resident, "json_url": json_url, "for_officer": for_officer}
    return render(request, "residents/mydata/export.html", {**context, **build_export(resident)})


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
    return render_export(request, resident, json_url=reverse("mydata:download_json"))


@require_http_methods(["GET", "POST"])
@own_file
def erase(request, resident):
    """Erase my data: a confirmation page; the POST erases and logs out."""
    form = EraseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        actions.do_erase_resident(resident, acting_user=request.user)
        logout(request)
        return redirect("mydata:erased")
    return render(request, "residents/mydata/erase.html", {"resident": resident, "form": form})


@require_GET
def erased(request):
    return render(request, "residents/mydata/erased.html")
