"""The professional's pages of residents' files.

- ``/dossiers/``: the names of the files the user may open (``residents_for_user``). Only
  for professionals who passed two-factor authentication; the list is not audited per row
  (it shows names and neighbourhoods only), opening a file is.
- ``/dossiers/<id>/``: one file, obtained only through ``access_resident_for_user`` (404
  when denied; ``TwoFactorRequired`` propagates to the two-factor middleware). An optional
  ``?reden=`` is stored as the reason of the audited opening.
- ``/dossiers/<id>/toestemming/``: a privacy officer records or withdraws a consent on the
  resident's behalf, with a reason.
- ``/dossiers/<id>/inzage/`` and ``/dossiers/<id>/wissen/``: a privacy officer handles a
  data-subject request of a resident (e.g. one without an account): the full export
  (readable page, ``?formaat=json`` for the file; audited) and erasure (with a reason).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from socialebasis.audit import events
from socialebasis.privacy import actions as privacy_actions
from socialebasis.privacy.access import (
    access_resident_as_privacy_officer,
    may_record_consent_on_behalf,
)
from socialebasis.privacy.constants import Purpose
from socialebasis.privacy.forms import OfficerEraseForm, OnBehalfConsentForm
from socialebasis.privacy.queries import ConsentRequired, consent_states, require_consent
from socialebasis.privacy.views import export_json_response, render_export
from socialebasis.residents.access import access_resident_for_user, require_professional_verified
from socialebasis.residents.queries import resident_list_for_user

PAGE_SIZE = 50
REASON_MAX_LENGTH = 200


@require_GET
@login_required
def resident_list(request):
    if not request.user.is_professional:
        raise Http404("Not a professional")
    require_professional_verified(request.user)
    page = Paginator(resident_list_for_user(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "residents/list.html", {"page": page})


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
            privacy_actions.do_give_consent(resident, purpose, request.user, reason)
            messages.success(request, _("De toestemming is vastgelegd."))
        elif privacy_actions.do_withdraw_consent(resident, purpose, request.user, reason):
            messages.success(request, _("De toestemming is ingetrokken."))
        else:
            messages.info(request, _("Er was geen toestemming om in te trekken."))
        return redirect("residents:detail", resident_id=resident.pk)
    return render(
        request,
        "residents/consent_on_behalf.html",
        {"resident": resident, "form": form, "states": consent_states(resident)},
    )


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
        return export_json_response(resident)
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
        privacy_actions.do_erase_resident(resident, request.user, reason)
        messages.success(request, _("De gegevens van de inwoner zijn gewist."))
        return redirect("residents:list")
    return render(request, "residents/erase.html", {"resident": resident, "form": form})
