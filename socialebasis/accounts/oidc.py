"""Single sign-on for a municipality's staff: OpenID Connect (authorization code flow with
state, nonce and PKCE) through mozilla-django-oidc, configured by ``SB_OIDC_*`` settings.

Decisions:
- Only existing, active accounts can log in this way, matched by e-mail address (case
  does not matter); an unknown address is refused and audited (``login_failed`` with a
  keyed hash), no account is created. Accounts and roles are given by an administrator,
  so a working IdP login alone never grants access to anything.
- ``SB_OIDC_EMAIL_DOMAINS`` narrows single sign-on to the municipality's own domains, and
  an ID token must be issued for this client (``aud``) and, when ``SB_OIDC_ISSUER`` is set,
  by that issuer; an ``email_verified: false`` claim is refused.
- Logging in through the IdP is the first factor only: a user with an authenticator app
  still gives a code, and professionals still need two-factor authentication here before
  they open personal data (an IdP's own MFA is not visible to us in a standard way).
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from socialebasis.accounts import twofactor
from socialebasis.accounts.login import complete_login, start_pending_login
from socialebasis.accounts.security import email_digest, normalise_email
from socialebasis.audit import events


class MunicipalOIDCBackend(OIDCAuthenticationBackend):
    """Matches the IdP's e-mail claim to an existing active account."""

    # Keyword-only arguments: Django offers password logins (username/password) to this
    # backend too; they do not fit this signature, so Django skips it for them.
    def authenticate(self, request, *, nonce, code_verifier=None):
        if not settings.OIDC_ENABLED:
            return None
        return super().authenticate(request, nonce=nonce, code_verifier=code_verifier)

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)  # signature, expiry, nonce
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token was issued for another client")
        if settings.OIDC_OP_ISSUER and payload.get("iss") != settings.OIDC_OP_ISSUER:
            raise SuspiciousOperation("ID token has another issuer")
        return payload

    def verify_claims(self, claims):
        return bool(claims.get("email")) and claims.get("email_verified", True) is not False

    def filter_users_by_claims(self, claims):
        email = normalise_email(claims.get("email"))
        domains = settings.OIDC_EMAIL_DOMAINS
        if not email or (domains and email.rsplit("@", 1)[-1] not in domains):
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)

    def get_or_create_user(self, access_token, id_token, payload):
        try:
            user = super().get_or_create_user(access_token, id_token, payload)
        except SuspiciousOperation:
            events.login_failed(email_digest(payload.get("email", "")))
            raise
        if user is None:
            # The userinfo claims were fetched in super(); the ID token names the same
            # person. Audit with a keyed hash of whichever e-mail we saw.
            events.login_failed(email_digest(self._last_email or payload.get("email", "")))
        return user

    _last_email = ""

    def get_userinfo(self, access_token, id_token, payload):
        claims = super().get_userinfo(access_token, id_token, payload)
        self._last_email = claims.get("email", "") if isinstance(claims, dict) else ""
        return claims

    def create_user(self, claims):  # pragma: no cover  (OIDC_CREATE_USER is False)
        raise SuspiciousOperation("Accounts are not created through single sign-on")


def _require_enabled():
    if not settings.OIDC_ENABLED:
        raise Http404("Single sign-on is not configured")


class AuthenticateView(OIDCAuthenticationRequestView):
    """Sends the browser to the IdP (with state, nonce and a PKCE challenge)."""

    def get(self, request):
        _require_enabled()
        return super().get(request)


class CallbackView(OIDCAuthenticationCallbackView):
    """The IdP sends the browser back here. A wrong or replayed ``state`` is a 400 (the
    library raises SuspiciousOperation), as is an ID token with the wrong nonce."""

    def get(self, request):
        _require_enabled()
        return super().get(request)

    @property
    def failure_url(self):
        return reverse("accounts:login")

    def login_failure(self):
        messages.error(
            self.request,
            _(
                "Inloggen met uw gemeente-account is niet gelukt. Alleen medewerkers met een "
                "account op dit platform kunnen zo inloggen; vraag de beheerder om een account."
            ),
        )
        return HttpResponseRedirect(self.failure_url)

    def login_success(self):
        user, request = self.user, self.request
        next_url = self.success_url
        request.session.pop("oidc_login_next", None)
        if twofactor.has_two_factor(user):
            start_pending_login(request, user, next_url=next_url, method="oidc")
            return redirect("accounts:two_factor_verify")
        complete_login(request, user, method="oidc", backend=user.backend)
        return HttpResponseRedirect(next_url)
