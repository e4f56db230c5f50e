"""Every write of the accounts app, each with its audit event (``audit.events``).

Every ``do_*`` function takes ``acting_user`` as a required keyword: the logged-in user who
acts, or None when nobody is logged in (a resident registering, following a link from an
e-mail, or resetting a forgotten password).
"""

import uuid

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from socialebasis.accounts import twofactor
from socialebasis.accounts.constants import personal_data_roles
from socialebasis.accounts.exceptions import ApprovalRequired, GrantNotPending, SelfGrantRefused
from socialebasis.accounts.models import Membership, RoleGrant, User
from socialebasis.audit import events
from socialebasis.audit.constants import register_event

# A user changed their own account details (the row names the fields, never the values).
ACCOUNT_CHANGED = register_event(
    "account_changed", gettext_lazy("Accountgegevens gewijzigd"), app="accounts"
)

# ------------------------------------------------------------------ sessions and e-mail


def do_logout_everywhere(user: User, *, acting_user) -> None:
    """End every session of ``user``: a new ``security_stamp`` changes the session hash
    (``User.get_session_auth_hash``), so Django drops every session made before. The view
    keeps the acting session alive with ``update_session_auth_hash``."""
    with transaction.atomic():
        user.security_stamp = uuid.uuid4()
        user.save(update_fields=["security_stamp"])
        events.logout_everywhere(user, actor=acting_user)


def do_verify_email(user: User, *, acting_user, activate: bool = False) -> bool:
    """Mark the e-mail address confirmed (a signed link or a password-reset link proved it;
    ``acting_user`` is usually None then, the audit row names ``user``).

    ``activate`` also activates an account that registered itself and never logged in.
    Returns False when it was confirmed already.
    """
    if user.email_verified_at is not None:
        return False
    with transaction.atomic():
        user.email_verified_at = timezone.now()
        fields = ["email_verified_at"]
        if activate and not user.is_active and user.last_login is None:
            user.is_active = True
            fields.append("is_active")
        user.save(update_fields=fields)
        events.email_verified(user)
    return True


def do_register_user(email: str, password: str, *, acting_user, full_name: str = "") -> User:
    """A resident's own account (``acting_user`` None) or one made for them: inactive until
    the e-mail address is confirmed. Returns the new user."""
    with transaction.atomic():
        user = User.objects.create_user(email, password, full_name=full_name, is_active=False)
        events.record_created(acting_user, user)
    return user


def do_record_repeated_registration(user: User, password: str, *, acting_user) -> None:
    """Someone registered again with the address of ``user``'s account: audited
    (``registration_repeated``; ``acting_user`` is None, nobody is logged in). The typed
    password is hashed and dropped: the same work as a new account's hash (argon2 is most of
    a registration's time), so how long the answer takes does not tell that the address has
    an account. Nothing of the account changes."""
    make_password(password)  # the result is dropped on purpose (see above)
    with transaction.atomic():
        events.registration_repeated(user)


def do_record_password_change(user: User, *, acting_user) -> None:
    """Audit a new password (set through Django's password forms, which save it) by
    ``acting_user`` (an administrator, the user themself, or None: a reset by e-mail link)."""
    events.password_changed(user, actor=acting_user)


# ------------------------------------------------------------------ two-factor authentication


def do_enable_two_factor(device, code: str, *, acting_user) -> list[str] | None:
    """Confirm a TOTP device being set up with its first code.

    Returns the ten new recovery codes (to show once), or None when the code is wrong.
    Any earlier app of the user is replaced.
    """
    user = device.user
    if device.confirmed or not device.verify_token(twofactor.normalise_code(code)):
        return None
    with transaction.atomic():
        type(device).objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = twofactor.new_recovery_codes(user)
        events.two_factor_enabled(user, detail="totp")
    return codes


def do_regenerate_recovery_codes(user: User, *, acting_user) -> list[str]:
    """Ten new recovery codes; the old ones stop working."""
    with transaction.atomic():
        codes = twofactor.new_recovery_codes(user)
        events.two_factor_enabled(user, detail="recovery codes renewed")
    return codes


def do_disable_two_factor(user: User, *, acting_user) -> None:
    """Remove the authenticator app and recovery codes (by the user, or an administrator
    for someone who lost both)."""
    with transaction.atomic():
        twofactor.remove_devices(user)
        events.two_factor_disabled(acting_user, user)


def do_record_recovery_code_used(user: User, *, acting_user) -> None:
    """Audit that ``user`` logged in with a recovery code (``acting_user``: the user, who
    is not logged in yet while the code is checked, or None)."""
    events.recovery_code_used(user)


# ------------------------------------------------------------------ roles
#
# Roles that open personal data (``constants.personal_data_roles``) take four eyes: one
# administrator requests the grant (``do_request_role_grant``), another approves it
# (``do_approve_role_grant``), which creates the membership. Nobody requests or approves one
# for themself, and ``do_grant_role``/``do_save_membership`` refuse to create or widen such a
# membership directly (``ApprovalRequired``). Other roles are granted directly, audited.

# Editing these fields of a membership that opens personal data widens or moves its reach.
SCOPE_FIELDS = frozenset({"user", "role", "municipality", "team", "region"})


def _validate(membership: Membership) -> None:
    membership.full_clean(validate_unique=False, validate_constraints=False)


def _is_self(acting_user, user) -> bool:
    return acting_user is not None and getattr(acting_user, "pk", None) == user.pk


def needs_approval(membership: Membership, changed_fields: list[str] | None = None) -> bool:
    """Whether saving ``membership`` would give personal-data access that needs four eyes: a
    new membership with such a role, or a change of its user, role or scope."""
    if membership.role not in personal_data_roles():
        return False
    if membership._state.adding or changed_fields is None:
        return True
    return bool(SCOPE_FIELDS & set(changed_fields))


def do_grant_role(
    user: User,
    role: str,
    municipality,
    team=None,
    *,
    region=None,
    acting_user,
) -> Membership:
    """Give ``user`` a role in ``municipality`` (within ``team``; reaching
    ``region``'s other municipalities when given). Granting a role held already returns the
    existing membership without a new audit row. A role that opens personal data raises
    ``ApprovalRequired`` (use ``do_request_role_grant``)."""
    existing = Membership.objects.filter(
        user=user, role=role, municipality=municipality, team=team
    ).first()
    if existing is not None:
        return existing
    membership = Membership(
        user=user,
        role=role,
        municipality=municipality,
        team=team,
        region=region,
    )
    return do_save_membership(membership, acting_user=acting_user)


def do_save_membership(
    membership: Membership, *, acting_user, changed_fields: list[str] | None = None
) -> Membership:
    """Save a new or edited membership (the admin's forms end here) and audit it.

    Raises ``SelfGrantRefused`` when ``acting_user`` would give themself a role that opens
    personal data, ``ApprovalRequired`` for anyone else (``needs_approval``)."""
    if needs_approval(membership, changed_fields):
        if _is_self(acting_user, membership.user):
            raise SelfGrantRefused("nobody gives themself a role that opens personal data")
        raise ApprovalRequired("a role that opens personal data needs a second administrator")
    return _save_membership(membership, acting_user=acting_user, changed_fields=changed_fields)


def _save_membership(membership, *, acting_user, changed_fields=None) -> Membership:
    _validate(membership)
    adding = membership._state.adding
    if not adding and changed_fields is not None and not changed_fields:
        return membership
    with transaction.atomic():
        membership.save()
        if adding:
            events.role_changed(acting_user, membership, change="granted")
        else:
            events.role_changed(
                acting_user, membership, change="changed", fields=changed_fields or []
            )
    return membership


def do_revoke_role(membership: Membership, *, acting_user) -> None:
    """Take a role away (the membership row goes; the audit row keeps its id)."""
    with transaction.atomic():
        events.role_changed(acting_user, membership, change="revoked")
        membership.delete()


def do_revoke_roles(user: User, role: str, municipality, *, acting_user) -> int:
    """Take ``role`` in ``municipality`` away from ``user`` in every team; returns how many."""
    memberships = list(Membership.objects.filter(user=user, role=role, municipality=municipality))
    for membership in memberships:
        do_revoke_role(membership, acting_user=acting_user)
    return len(memberships)


# ------------------------------------------------------------------ own account details


class AccountManaged(ValueError):
    """A professional's name and address are managed by an administrator: residents see
    them in "who looked at my file", so nobody renames themself there."""

    def __init__(self):
        super().__init__(
            _("Uw naam en e-mailadres worden beheerd door de beheerder van uw organisatie.")
        )


class EmailTaken(ValueError):
    """Another account uses the confirmed address by now."""

    def __init__(self):
        super().__init__(
            _("Dit e-mailadres hoort inmiddels bij een ander account. Kies een ander adres.")
        )


def _is_managed(user: User) -> bool:
    return user.is_staff or user.is_superuser or user.is_professional


def do_change_account(
    user: User,
    *,
    acting_user,
    full_name: str | None = None,
    language: str | None = None,
    email: str | None = None,
) -> list[str]:
    """Rectification of one's own account: name (at most 200 characters), preferred
    language (a code of ``settings.LANGUAGES``, "" for none) and e-mail address. None leaves
    a field as it is.

    A new address is not used yet: it waits in ``pending_email`` until the link mailed to it
    is followed (the caller sends it: ``emails.send_email_change_confirmation``); typing the
    current address again cancels a pending change. Returns the names of the changed fields,
    audited as ``account_changed`` with those names, never the values (nothing is written
    when nothing changed). Raises AccountManaged when staff or a professional changes name
    or address, ValueError for an unknown language or a name that is too long.
    """
    new = {}
    if full_name is not None:
        new["full_name"] = full_name.strip()
        if len(new["full_name"]) > 200:
            raise ValueError("full_name is longer than 200 characters")
    if language is not None:
        if language and language not in dict(settings.LANGUAGES):
            raise ValueError(f"unknown language {language!r}")
        new["language"] = language
    with transaction.atomic():
        stored = User.objects.select_for_update().get(pk=user.pk)
        if email is not None:
            email = User.objects.normalize_email(email.strip()).lower()
            new["pending_email"] = "" if email == stored.email else email
        changed = sorted(name for name, value in new.items() if getattr(stored, name) != value)
        if not changed:
            return []
        if {"full_name", "pending_email"} & set(changed) and _is_managed(stored):
            raise AccountManaged()
        for name in changed:
            setattr(user, name, new[name])
        user.save(update_fields=changed)
        events.append(ACCOUNT_CHANGED, acting_user, user, fields=changed)
    return changed


def do_confirm_email_change(user: User, email: str, *, acting_user) -> bool:
    """The link mailed to ``email`` was followed: it becomes the account's (confirmed)
    address, with which the user logs in from now on. Returns False when ``email`` is no
    longer the pending address (cancelled, or confirmed already). Raises EmailTaken when
    another account uses it by now. Audited as ``account_changed`` (field names only)."""
    with transaction.atomic():
        stored = User.objects.select_for_update().get(pk=user.pk)
        if not stored.pending_email or stored.pending_email != email:
            return False
        if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
            raise EmailTaken()
        user.email, user.pending_email = email, ""
        user.email_verified_at = timezone.now()
        fields = ["email", "email_verified_at", "pending_email"]
        try:
            with transaction.atomic():  # another account may take it at this very moment
                user.save(update_fields=fields)
        except IntegrityError as exc:
            raise EmailTaken() from exc
        events.append(ACCOUNT_CHANGED, acting_user, user, fields=fields)
    return True


# ------------------------------------------------------------------ four-eyes role grants


def _require_administrator(acting_user) -> None:
    if acting_user is None or not (acting_user.is_active and acting_user.is_staff):
        raise PermissionDenied("only an administrator requests or decides role grants")


def do_request_role_grant(
    user: User,
    role: str,
    municipality,
    team=None,
    *,
    region=None,
    acting_user,
) -> RoleGrant:
    """Ask for ``user`` to get ``role`` (one that opens personal data) in ``municipality``
    (within ``team``, reaching ``region``); a second administrator decides. Returns the
    pending grant (the open one when the same grant is pending already).

    Raises ``SelfGrantRefused`` for a request for oneself, ``PermissionDenied`` when
    ``acting_user`` is no administrator, ValueError for a role that needs no approval
    (``do_grant_role``), ValidationError when the team or region does not fit, or the user
    holds the role already."""
    from django.core.exceptions import ValidationError

    _require_administrator(acting_user)
    if _is_self(acting_user, user):
        raise SelfGrantRefused("nobody requests a role that opens personal data for themself")
    if role not in personal_data_roles():
        raise ValueError(f"role {role!r} opens no personal data: grant it with do_grant_role")
    grant = RoleGrant(user=user, role=role, municipality=municipality, team=team, region=region)
    _validate(grant.as_membership())
    if Membership.objects.filter(
        user=user, role=role, municipality=municipality, team=team
    ).exists():
        raise ValidationError({"role": "holds this role already"})
    pending = RoleGrant.objects.filter(
        user=user, role=role, municipality=municipality, team=team, status=RoleGrant.Status.PENDING
    )
    try:
        with transaction.atomic():
            if pending.exists():
                return pending.get()
            grant.requested_by = acting_user
            grant.save()
            events.role_grant(acting_user, grant, step="requested")
    except IntegrityError:
        # The same request made at the same moment (the constraint allows one open request).
        return pending.get()
    return grant


def _decide(grant: RoleGrant, acting_user) -> RoleGrant:
    """The pending grant, locked for the decision (a second decision waits, then fails)."""
    _require_administrator(acting_user)
    locked = RoleGrant.objects.select_for_update().select_related("municipality").get(pk=grant.pk)
    if locked.status != RoleGrant.Status.PENDING:
        raise GrantNotPending(f"this grant was {locked.status} already")
    return locked


def do_approve_role_grant(grant: RoleGrant, *, acting_user) -> Membership:
    """Approve ``grant``: creates the membership (audited ``role_approved`` and
    ``role_changed``), which ``role_first_use`` reports when it is first used.

    Raises ``SelfGrantRefused`` when ``acting_user`` requested the grant or is its grantee,
    ``GrantNotPending`` when it was decided already, ``PermissionDenied`` for a
    non-administrator, ValidationError when the membership no longer fits (team moved)."""
    with transaction.atomic():
        grant = _decide(grant, acting_user)
        if grant.requested_by_id == acting_user.pk or grant.user_id == acting_user.pk:
            raise SelfGrantRefused("a second administrator approves: not the requester or grantee")
        membership = Membership.objects.filter(
            user=grant.user, role=grant.role, municipality=grant.municipality, team=grant.team
        ).first()
        if membership is None:
            membership = grant.as_membership()
            membership.awaiting_first_use = True
            _save_membership(membership, acting_user=acting_user)
        grant.status = RoleGrant.Status.APPROVED
        grant.decided_by, grant.decided_at = acting_user, timezone.now()
        grant.membership = membership
        grant.save(update_fields=["status", "decided_by", "decided_at", "membership"])
        events.role_grant(acting_user, grant, step="approved")
    return membership


def do_reject_role_grant(grant: RoleGrant, *, acting_user) -> RoleGrant:
    """Reject ``grant`` (another administrator), or withdraw it (its requester); audited
    ``role_rejected``. The grantee cannot reject their own (``SelfGrantRefused``);
    ``GrantNotPending`` when it was decided already."""
    with transaction.atomic():
        grant = _decide(grant, acting_user)
        if grant.user_id == acting_user.pk:
            raise SelfGrantRefused("the grantee does not decide their own grant")
        grant.status = RoleGrant.Status.REJECTED
        grant.decided_by, grant.decided_at = acting_user, timezone.now()
        grant.save(update_fields=["status", "decided_by", "decided_at"])
        events.role_grant(acting_user, grant, step="rejected")
    return grant


def do_record_role_use(user: User, municipality_ids, *, acting_user) -> int:
    """Note that ``user`` opened personal data in ``municipality_ids``: every membership an
    approved grant created that reaches one of them and was not used yet writes
    ``role_first_use`` (in its municipality's audit, so its privacy officer sees it). Returns
    how many. ``acting_user`` is ``user``. One query when there is nothing to note."""
    wanted = set(municipality_ids)
    waiting = list(
        Membership.objects.filter(user_id=user.pk, awaiting_first_use=True).select_related(
            "municipality", "region"
        )
    )
    written = 0
    for membership in (m for m in waiting if m.municipality_ids() & wanted):
        with transaction.atomic():
            # Only the request that clears the flag writes the event (parallel requests).
            cleared = Membership.objects.filter(pk=membership.pk, awaiting_first_use=True).update(
                awaiting_first_use=False
            )
            if cleared:
                events.role_first_use(user, membership)
                written += 1
    return written
