"""Login pages: log in and out, the code step, the account page, two-factor setup and
recovery codes, logout everywhere, e-mail confirmation, password reset and change, and
registration for residents. Function views; Django's password views where they fit."""

import django_otp
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import get_usage

from socialebasis.accounts import actions, emails, twofactor
from socialebasis.accounts.forms import (
    CodeForm,
    ConfirmTOTPForm,
    LoginForm,
    PasswordChangeForm,
    PasswordConfirmForm,
    PasswordResetForm,
    RegistrationForm,
    SetPasswordForm,
)
from socialebasis.accounts.login import (
    complete_login,
    count_failed_code,
    pending_login,
    safe_next,
    start_pending_login,
)
from socialebasis.accounts.models import User
from socialebasis.accounts.security import email_digest
from socialebasis.audit import events
from socialebasis.lib.ratelimit import rate_limited, too_many_requests

NEW_CODES_KEY = "sb_new_recovery_codes"


def _acting(request):
    """The logged-in user of ``request``, or None (the ``acting_user`` of an action)."""
    return request.user if request.user.is_authenticated else None


def _with_next(url_name: str, next_url: str) -> str:
    url = reverse(url_name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _too_many_failures(request, *, count: bool = False):
    """Failed logins (passwords and codes) per IP address across all accounts, on top of
    the per-account lock-out: at most ``RATE_LIMITS["login"]`` (``SB_RATE_LIMIT_LOGIN``).
    Successful logins do not count. Over the limit a password alone no longer logs in: a
    right password with two-factor authentication still does, after its code (``LoginView``),
    so an office behind one address keeps working while someone there guesses passwords.
    Returns the 429 answer when over the limit, else None; ``count`` adds this failure."""
    rate = getattr(settings, "RATE_LIMITS", {}).get("login")
    if not rate:
        return None
    usage = get_usage(
        request, group="sb.login-failures", key="ip", rate=rate, method=["POST"], increment=count
    )
    if usage is None or not usage["should_limit"]:
        return None
    return too_many_requests(request, retry_after=usage.get("time_left"))


def _require_verified(request):
    """A redirect to the code step when this session must prove the second factor first."""
    user = request.user
    if twofactor.has_two_factor(user) and not user.is_verified():
        return redirect(_with_next("accounts:two_factor_verify", request.get_full_path()))
    return None


# ------------------------------------------------------------------ log in and out


class LoginView(auth_views.LoginView):
    """E-mail and password; a user with an authenticator app continues to the code step."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        next_url = self.get_redirect_url()
        context["oidc_enabled"] = settings.OIDC_ENABLED
        context["oidc_label"] = settings.OIDC_LABEL or _("Inloggen met gemeente-account")
        context["oidc_url"] = _with_next("oidc:authenticate", next_url)
        context.update(_lockout_context())
        return context

    def post(self, request, *args, **kwargs):
        self.over_limit = _too_many_failures(request)  # before this attempt; not counted
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        limited = _too_many_failures(self.request, count=True)
        if self.over_limit is not None:
            return self._code_only(None, self.over_limit)
        if limited is not None:
            return limited
        return super().form_invalid(form)

    def form_valid(self, form):
        user = form.get_user()
        next_url = self.get_success_url()
        if self.over_limit is not None:
            return self._code_only(
                user if twofactor.has_two_factor(user) else None, self.over_limit
            )
        if twofactor.has_two_factor(user):
            start_pending_login(self.request, user, next_url=next_url, method="password")
            return redirect("accounts:two_factor_verify")
        complete_login(self.request, user, method="password")
        if user.is_professional:
            messages.warning(
                self.request,
                _(
                    "Stel tweestapsverificatie in. Zonder kunt u geen persoonsgegevens van "
                    "inwoners openen."
                ),
            )
        return HttpResponseRedirect(next_url)

    def _code_only(self, user, limited):
        """Over the address's failed-login limit: one answer to every attempt (429 with the
        code step), so it tells nobody whether the password was right. Only a right password
        of an account with two-factor authentication (``user``) waits for a code that can
        complete it; for anything else no code will do."""
        next_url = self.get_success_url()
        start_pending_login(self.request, user, next_url=next_url, method="password")
        response = render(
            self.request,
            "accounts/two_factor_verify.html",
            {
                "form": CodeForm(),
                "pending": True,
                "over_limit": True,
                "code_url": reverse("accounts:two_factor_verify"),
            },
            status=429,
        )
        if limited.has_header("Retry-After"):
            response["Retry-After"] = limited["Retry-After"]
        return response


def _lockout_context() -> dict:
    return {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }


def locked_out(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the page after too many failed logins (HTTP 429)."""
    return render(request, "accounts/locked_out.html", _lockout_context(), status=429)


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        events.logout(request.user)
    auth.logout(request)
    messages.info(request, _("U bent uitgelogd."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    """The code step: completes a pending login, or verifies a logged-in session (a
    professional about to open personal data)."""
    if request.user.is_authenticated:
        user, pending = request.user, None
        if not twofactor.has_two_factor(user):
            return redirect(_with_next("accounts:two_factor_setup", request.GET.get("next", "")))
        next_url = safe_next(request, request.GET.get("next"), reverse("accounts:account"))
        if user.is_verified():
            return HttpResponseRedirect(next_url)
    else:
        user, pending = pending_login(request)
        if not pending:
            messages.info(request, _("Log opnieuw in."))
            return redirect("accounts:login")
        next_url = pending["next"]

    # No check of the address's failure limit before the code: over it, a right code after
    # a right password still logs in (LoginView); a wrong one is counted and answered 429.
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if user is None:  # a login no code completes (LoginView._code_only)
            status = _refuse_code(request, form, pending)
            if status is None:
                return redirect("accounts:login")
        elif twofactor.is_throttled(user):
            form.add_error(
                "code",
                _("Te veel onjuiste codes achter elkaar. Wacht even en probeer het opnieuw."),
            )
        elif (device := twofactor.verify_code(user, form.cleaned_data["code"])) is not None:
            if pending is not None:
                complete_login(
                    request,
                    user,
                    method=pending["method"],
                    device=device,
                    backend=pending["backend"],
                )
            else:
                django_otp.login(request, device)
                if twofactor.is_recovery_device(device):
                    actions.do_record_recovery_code_used(user, acting_user=user)
            if twofactor.is_recovery_device(device):
                messages.warning(
                    request,
                    _("U gebruikte een herstelcode. U hebt er nog %(count)s over.")
                    % {"count": twofactor.recovery_codes_left(user)},
                )
            return HttpResponseRedirect(next_url)
        else:
            events.login_failed(email_digest(user.email))
            status = _refuse_code(request, form, pending)
            if status is None:
                return redirect("accounts:login")
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "pending": pending is not None, "over_limit": status == 429},
        status=status,
    )


def _refuse_code(request, form, pending) -> int | None:
    """A wrong code: counted per address (and per pending login). The status to answer
    with (429 once the address is over its failure limit), or None when the pending login
    is used up (the user must enter the password again)."""
    limited = _too_many_failures(request, count=True)
    if pending is not None and not count_failed_code(request):
        messages.error(request, _("Te veel onjuiste codes. Log opnieuw in."))
        return None
    form.add_error("code", _("Deze code klopt niet of is al gebruikt."))
    return 429 if limited is not None else 200


# ------------------------------------------------------------------ account page


@login_required
@require_http_methods(["GET"])
def account(request):
    user = request.user
    memberships = user.memberships.select_related("municipality", "team", "region").order_by(
        "municipality__name", "role"
    )
    return render(
        request,
        "accounts/account.html",
        {
            "account_user": user,
            "memberships": memberships,
            "two_factor": twofactor.has_two_factor(user),
            "two_factor_device": twofactor.totp_device(user),
            "recovery_left": twofactor.recovery_codes_left(user),
            "verified_session": user.is_verified(),
            "is_professional": user.is_professional,
        },
    )


@login_required
@require_POST
def logout_everywhere(request):
    actions.do_logout_everywhere(request.user, acting_user=request.user)
    update_session_auth_hash(request, request.user)  # this session stays
    messages.success(
        request,
        _("U bent uitgelogd op alle andere apparaten en browsers. Hier bent u nog ingelogd."),
    )
    return redirect("accounts:account")


@login_required
@require_POST
@rate_limited("form")
def send_verification(request):
    if request.user.email_verified_at is None:
        emails.send_verification_email(request, request.user)
        messages.success(
            request,
            _("We hebben een bevestigingslink gestuurd naar %(email)s.")
            % {"email": request.user.email},
        )
    return redirect("accounts:account")


@never_cache
@require_http_methods(["GET", "POST"])
def verify_email(request, token):
    """The link from the confirmation e-mail: a button confirms (link checkers in mail
    programs only GET, so they cannot confirm on the owner's behalf)."""
    found = emails.verification_for_token(token)
    if found is None:
        return render(request, "accounts/verify_email.html", {"invalid": True}, status=400)
    user, email = found
    if request.method == "POST":
        if email != user.email:  # a new address the user asked for
            try:
                actions.do_confirm_email_change(user, email, acting_user=_acting(request))
            except actions.EmailTaken as exc:
                context = {"invalid": True, "message": str(exc)}
                return render(request, "accounts/verify_email.html", context, status=400)
            messages.success(
                request, _("Uw nieuwe e-mailadres is bevestigd. U logt er voortaan mee in.")
            )
        elif actions.do_verify_email(user, acting_user=_acting(request), activate=True):
            messages.success(request, _("Uw e-mailadres is bevestigd."))
        else:
            messages.info(request, _("Uw e-mailadres was al bevestigd."))
        return redirect("accounts:account" if request.user.is_authenticated else "accounts:login")
    return render(request, "accounts/verify_email.html", {"email": email})


# ------------------------------------------------------------------ two-factor authentication


@login_required
@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """Scan a QR code (or type the secret), confirm with a first code; recovery codes follow."""
    user = request.user
    next_url = safe_next(request, request.GET.get("next"))
    if twofactor.has_two_factor(user):
        if (response := _require_verified(request)) is not None:
            return response
        messages.info(
            request,
            _(
                "Tweestapsverificatie staat al aan. Zet het eerst uit om een andere app te "
                "koppelen."
            ),
        )
        return redirect("accounts:account")
    device = twofactor.unconfirmed_totp_device(user)
    form = ConfirmTOTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not device.verify_is_allowed()[0]:
            form.add_error("code", _("Te veel onjuiste codes achter elkaar. Wacht even."))
        elif (
            codes := actions.do_enable_two_factor(
                device, form.cleaned_data["code"], acting_user=user
            )
        ) is not None:
            device.refresh_from_db()
            django_otp.login(request, device)
            request.session[NEW_CODES_KEY] = codes
            messages.success(request, _("Tweestapsverificatie staat aan."))
            return redirect(_with_next("accounts:recovery_codes", next_url))
        else:
            form.add_error("code", _("Deze code klopt niet. Controleer de tijd op uw telefoon."))
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": twofactor.qr_code_svg(device),
            "secret": twofactor.secret_for_display(device),
            "required": user.is_professional,
            "next_url": next_url,
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def recovery_codes(request):
    """New codes are shown once, right after they were made; POST makes new ones."""
    user = request.user
    if not twofactor.has_two_factor(user):
        return redirect("accounts:two_factor_setup")
    if (response := _require_verified(request)) is not None:
        return response
    next_url = safe_next(request, request.GET.get("next"))
    if request.method == "POST":
        request.session[NEW_CODES_KEY] = actions.do_regenerate_recovery_codes(
            user, acting_user=user
        )
        messages.success(request, _("U hebt nieuwe herstelcodes. De oude werken niet meer."))
        return redirect(_with_next("accounts:recovery_codes", next_url))
    codes = request.session.pop(NEW_CODES_KEY, None)
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "left": twofactor.recovery_codes_left(user), "next_url": next_url},
    )


@login_required
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def two_factor_disable(request):
    user = request.user
    if not twofactor.has_two_factor(user):
        return redirect("accounts:account")
    if (response := _require_verified(request)) is not None:
        return response
    form = PasswordConfirmForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.do_disable_two_factor(user, acting_user=user)
        messages.success(request, _("Tweestapsverificatie staat uit."))
        return redirect("accounts:account")
    return render(
        request,
        "accounts/two_factor_disable.html",
        {"form": form, "is_professional": user.is_professional},
    )


# ------------------------------------------------------------------ passwords


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        response = super().form_valid(form)  # keeps this session, ends the others
        actions.do_record_password_change(form.user, acting_user=self.request.user)
        messages.success(
            self.request,
            gettext_lazy("Uw wachtwoord is gewijzigd. Op andere apparaten bent u uitgelogd."),
        )
        return response


@method_decorator(rate_limited("form"), name="post")
class PasswordResetView(auth_views.PasswordResetView):
    """Sends mail: at most ``RATE_LIMITS["form"]`` requests per IP address."""

    template_name = "accounts/password_reset.html"
    form_class = PasswordResetForm
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choose a new password from a reset or invitation link. The link arrived by e-mail,
    so following it also confirms the address."""

    template_name = "accounts/password_reset_confirm.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            # A reset by e-mail link: nobody is logged in.
            actions.do_record_password_change(form.user, acting_user=None)
            actions.do_verify_email(form.user, acting_user=None)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


# ------------------------------------------------------------------ registration


@csrf_protect
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
@rate_limited("form")
def register(request):
    """A resident makes an account. It works once the e-mail address is confirmed. The
    answer is the same whether or not the address had an account already (the owner of an
    existing account gets a note instead), and so is the work behind it (a password hash, an
    audit row, a queued mail), so neither the page nor its timing reveals anybody's account."""
    if request.user.is_authenticated:
        return redirect("accounts:account")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        existing = User.objects.filter(email__iexact=email).first()
        if existing is None:
            user = actions.do_register_user(
                email,
                form.cleaned_data["password1"],
                acting_user=None,
                full_name=form.cleaned_data["full_name"],
            )
            emails.send_verification_email(request, user)
        elif (
            not existing.is_active
            and existing.email_verified_at is None
            and not existing.last_login
        ):
            emails.send_verification_email(request, existing)  # registered, never confirmed
        else:
            emails.send_already_registered_email(request, existing)
        if existing is not None:  # the same work as a new account: a hash and an audit row
            actions.do_record_repeated_registration(
                existing, form.cleaned_data["password1"], acting_user=None
            )
        request.session["sb_registered_email"] = email
        return redirect("accounts:register_done")
    return render(request, "accounts/register.html", {"form": form})


@require_http_methods(["GET"])
def register_done(request):
    return render(
        request,
        "accounts/register_done.html",
        {"email": request.session.get("sb_registered_email")},
    )
