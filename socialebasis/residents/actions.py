"""Writes of the residents app: consent, rectification, erasure and anonymisation of a
resident's file. Every write audits (``audit.events``), and ``acting_user`` is keyword-only
everywhere.

- ``do_give_consent`` / ``do_withdraw_consent``: by the resident themself, or by a
  professional on their behalf with a reason (``ReasonRequired`` otherwise).
- ``do_change_resident``: a professional corrects the file (``record_changed`` with the
  changed field names).
- ``do_erase_resident``: the right to erasure. Deletes the resident's file and everything
  registered as linked to it (``privacy.registry``), deactivates and scrubs their account,
  and records that it happened. Audit rows stay (they hold ids, no personal content).
- ``do_anonymise_resident``: used by the retention job (it writes the audit rows).

A consent given or withdrawn on a resident's behalf is notified to the resident when they
have an account (``consent_on_behalf``: about a resident, so its mail only says "log in").
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from socialebasis.audit import events
from socialebasis.notifications.actions import notify
from socialebasis.privacy.actions import (
    REASON_MAX_LENGTH,
    do_anonymise_user,
    holds_professional_role,
    scrub_admin_log,
)
from socialebasis.privacy.constants import PURPOSES
from socialebasis.privacy.registry import resident_data_sections
from socialebasis.privacy.wording import current_wording
from socialebasis.residents.access import residents_for_user
from socialebasis.residents.constants import CONSENT_ON_BEHALF
from socialebasis.residents.models import Consent, Resident


class UnknownPurpose(ValueError):
    """No app registered this consent purpose."""


def _purpose(purpose: str) -> str:
    if purpose not in PURPOSES:
        raise UnknownPurpose(f"unknown consent purpose {purpose!r}")
    return str(purpose)


class ReasonRequired(ValueError):
    """A professional acted on a resident's behalf without giving a reason."""

    def __init__(self):
        super().__init__(_("Geef een reden: u doet dit namens de inwoner."))


class OutOfReach(ValueError):
    """The correction would put the file outside what the acting professional may open (a
    neighbourhood outside their team's districts): they would lose the file mid-work."""

    def __init__(self):
        super().__init__(
            _(
                "Deze buurt ligt buiten het werkgebied van uw team: daarna kunt u het dossier "
                "niet meer openen. Vraag de privacy officer om het dossier over te dragen."
            )
        )


class WordingChanged(ValueError):
    """The resident saw an older text than the current one; show them the new text."""

    def __init__(self):
        super().__init__(
            _("De tekst van deze toestemming is intussen gewijzigd. Lees de nieuwe tekst.")
        )


def _on_behalf(resident, acting_user) -> bool:
    return acting_user is None or resident.user_id is None or resident.user_id != acting_user.pk


def _clean_reason(resident, acting_user, reason: str) -> str:
    reason = (reason or "").strip()[:REASON_MAX_LENGTH]
    if _on_behalf(resident, acting_user) and not reason:
        raise ReasonRequired()
    return reason


def _touch(resident) -> None:
    Resident.objects.filter(pk=resident.pk).update(last_activity_at=timezone.now())


def _locked_with_active_consent(resident, purpose: str) -> tuple[Resident, Consent | None]:
    """The resident's row, locked until the transaction ends (one consent writer per
    resident at a time, so two clicks cannot make two active rows), and the active consent
    for ``purpose``, if any."""
    resident = (
        Resident.objects.select_for_update(of=("self",))
        .select_related("municipality")
        .get(pk=resident.pk)
    )
    active = Consent.objects.filter(
        resident=resident, purpose=purpose, withdrawn_at__isnull=True, superseded_at__isnull=True
    ).first()
    return resident, active


@transaction.atomic
def do_give_consent(
    resident,
    purpose: str,
    *,
    acting_user,
    reason: str = "",
    wording_version: int | None = None,
) -> Consent:
    """Record that ``resident`` consents to ``purpose`` on the current wording.

    ``wording_version`` is the version the resident was shown; when it is not the current one
    ``WordingChanged`` is raised (they must read the new text). Giving a consent that already
    counts changes nothing; an active consent on an older wording is superseded.
    Raises UnknownPurpose for a purpose no app registered, ReasonRequired when a
    professional acts without a reason.
    """
    purpose = _purpose(purpose)
    wording = current_wording(purpose)
    if wording_version is not None and wording_version != wording.version:
        raise WordingChanged()
    reason = _clean_reason(resident, acting_user, reason)
    resident, active = _locked_with_active_consent(resident, purpose)
    if active is not None and active.wording_version == wording.version:
        return active
    now = timezone.now()
    if active is not None:
        active.superseded_at = now
        active.save(update_fields=["superseded_at"])
    consent = Consent.objects.create(
        resident=resident,
        purpose=purpose,
        wording_version=wording.version,
        wording_text=str(wording.text),
        language=get_language() or "",
        given_at=now,
        recorded_by=acting_user,
        on_behalf=_on_behalf(resident, acting_user),
        reason=reason,
    )
    _touch(resident)
    events.consent_given(acting_user, consent, reason=reason)
    _tell_resident(resident, consent, acting_user, given=True)
    return consent


@transaction.atomic
def do_withdraw_consent(resident, purpose: str, *, acting_user, reason: str = "") -> Consent | None:
    """Withdraw ``resident``'s active consent for ``purpose`` (also one on an older wording).
    Returns the withdrawn row, or None when there was nothing to withdraw."""
    purpose = _purpose(purpose)
    reason = _clean_reason(resident, acting_user, reason)
    resident, active = _locked_with_active_consent(resident, purpose)
    if active is None:
        return None
    active.withdrawn_at = timezone.now()
    active.withdrawn_by = acting_user
    active.withdrawal_reason = reason
    active.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    _touch(resident)
    events.consent_withdrawn(acting_user, active, reason=reason)
    _tell_resident(resident, active, acting_user, given=False)
    return active


def _tell_resident(resident, consent, acting_user, *, given: bool) -> None:
    # Someone else changed the resident's consent: the resident hears of it (if they have
    # an account), so a choice made on their behalf is never a surprise.
    if not _on_behalf(resident, acting_user) or not resident.user_id:
        return
    with override(settings.LANGUAGE_CODE):
        url = reverse("mydata:consents")
    notify(resident.user, CONSENT_ON_BEHALF, {"purpose": consent.purpose, "given": given}, url=url)


# The fields of a file a professional may correct. The municipality is not among them: it
# decides which organisation is responsible for the file (the controller).
CORRECTABLE_FIELDS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "email",
    "phone",
    "neighbourhood",
)


@transaction.atomic
def do_change_resident(resident, changes: dict, *, acting_user) -> list[str]:
    """Rectification (AVG art. 16): a professional corrects ``resident``'s file.

    ``changes`` maps field names of ``CORRECTABLE_FIELDS`` to new values (only the fields
    the professional changed, so a colleague's correction of another field made meanwhile
    is kept). The row is locked while it is written. Returns the names of the fields whose
    value really changed, audited as ``record_changed`` with those names and never the
    values; nothing is written when nothing changed. Raises ValueError for another field or
    a neighbourhood outside the file's municipality, OutOfReach when the acting professional
    could no longer open the file afterwards (nothing is written), ValidationError for a
    value the model refuses (an empty first name, a malformed e-mail address).
    """
    unknown = set(changes) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise ValueError(f"not a correctable field: {', '.join(sorted(unknown))}")
    neighbourhood = changes.get("neighbourhood")
    if neighbourhood is not None and neighbourhood.municipality_id != resident.municipality_id:
        raise ValueError("the neighbourhood is not in the file's municipality")
    locked = (
        Resident.objects.select_for_update(of=("self",))
        .select_related("municipality")
        .get(pk=resident.pk, anonymised_at__isnull=True)
    )
    changed = sorted(name for name, value in changes.items() if getattr(locked, name) != value)
    if not changed:
        return []
    for name in changed:
        setattr(locked, name, changes[name])
    others = [f.name for f in Resident._meta.fields if f.name not in changed]
    locked.full_clean(exclude=others, validate_unique=False, validate_constraints=False)
    locked.last_activity_at = timezone.now()
    locked.save(update_fields=[*changed, "last_activity_at"])
    if (
        acting_user is not None
        and not residents_for_user(acting_user).filter(pk=locked.pk).exists()
    ):
        raise OutOfReach()  # rolls the change back (atomic)
    for name in changed:
        setattr(resident, name, getattr(locked, name))
    events.record_changed(acting_user, locked, fields=changed)
    return changed


def _remove_linked(resident) -> list[tuple[str, int]]:
    """Erase every registered section of ``resident``; returns (section key, count)."""
    return [(section.key, section.erase(resident)) for section in resident_data_sections()]


@transaction.atomic
def do_erase_resident(resident, *, acting_user, reason: str = "") -> dict:
    """Erase ``resident``: their file and everything linked to it, on their own request
    or by a privacy officer on their behalf (with a reason).

    The resident row is deleted (with everything that cascades from it), each registered
    section erased, and a resident-only account deactivated and scrubbed (an account that
    also holds a professional role is only unlinked). Writes ``erasure_requested``, then
    ``record_anonymised`` for the account and ``record_erased`` for the file. Returns what
    was removed, per section.
    """
    reason = _clean_reason(resident, acting_user, reason)
    resident = (
        Resident.objects.select_for_update(of=("self",))
        .select_related("municipality", "user")
        .get(pk=resident.pk)
    )
    events.erasure_requested(acting_user, resident)
    removed = dict(_remove_linked(resident))
    resident_id, code, user = str(resident.pk), resident.municipality.code, resident.user
    scrub_admin_log(resident)
    resident.delete()
    removed["resident"] = 1
    if user is not None and not holds_professional_role(user):
        do_anonymise_user(user)
        events.record_anonymised(acting_user, user, reason="gewist op verzoek")
        removed["account"] = 1
    events.record_erased(
        acting_user,
        "residents.resident",
        resident_id,
        code,
        reason=reason or "op verzoek van de inwoner",
    )
    return removed


def do_anonymise_resident(resident) -> list[tuple[str, str]]:
    """Replace the personal fields of ``resident`` and erase what is linked to it (used by
    the retention job; it writes the audit rows). The row stays, with its municipality and
    neighbourhood, so counts over time remain possible. Returns the (model label, id) of the
    linked rows that were removed or anonymised: consents, and a resident-only account."""
    touched: list[tuple[str, str]] = [
        ("residents.consent", str(pk)) for pk in resident.consents.values_list("pk", flat=True)
    ]
    _remove_linked(resident)
    user = resident.user
    resident.given_name = ""
    resident.family_name = ""
    resident.date_of_birth = None
    resident.email = ""
    resident.phone = ""
    resident.user = None
    resident.anonymised_at = timezone.now()
    resident.save()
    scrub_admin_log(resident)
    if user is not None and not holds_professional_role(user):
        do_anonymise_user(user)
        touched.append(("accounts.user", str(user.pk)))
    return touched
