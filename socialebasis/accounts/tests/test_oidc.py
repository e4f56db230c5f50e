"""Single sign-on against a fake OpenID Connect provider: requests-mock answers the token,
userinfo and JWKS endpoints (RS256 with a key made here, and HS256), and the test client
drives the real authenticate and callback views."""

import time
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import override_settings

from socialebasis.accounts.security import email_digest
from socialebasis.accounts.tests.conftest import add_totp, totp_code
from socialebasis.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

IDP = "https://idp.gemeente.example"
CLIENT_ID = "sociale-basis"
SECRET = "client-geheim-voor-tests"
OIDC = {
    "OIDC_ENABLED": True,
    "OIDC_RP_CLIENT_ID": CLIENT_ID,
    "OIDC_RP_CLIENT_SECRET": SECRET,
    "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{IDP}/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": f"{IDP}/token",
    "OIDC_OP_USER_ENDPOINT": f"{IDP}/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": f"{IDP}/jwks",
    "OIDC_OP_ISSUER": IDP,
    "OIDC_RP_SIGN_ALGO": "RS256",
}

_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
_PRIVATE_PEM = _KEY.private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
)
_JWK = {
    **jwt.algorithms.RSAAlgorithm.to_jwk(_KEY.public_key(), as_dict=True),
    "kid": "test-key",
    "alg": "RS256",
    "use": "sig",
}


class FakeProvider:
    """The IdP's back channel. ``claims`` is what the userinfo endpoint answers; the ID
    token carries the nonce the browser brought (or ``nonce`` when set, to test refusal)."""

    def __init__(self, requests_mock, *, email, algo="RS256"):
        self.mock, self.email, self.algo = requests_mock, email, algo
        self.nonce = None
        self.audience = CLIENT_ID
        self.issuer = IDP
        requests_mock.get(f"{IDP}/jwks", json={"keys": [_JWK]})
        requests_mock.get(f"{IDP}/userinfo", json=self._userinfo)
        self.token = requests_mock.post(f"{IDP}/token", json=self._token)

    def _userinfo(self, request, context):
        assert request.headers["Authorization"] == "Bearer access-123"
        return {"sub": "medewerker-1", "email": self.email, "email_verified": True}

    def _token(self, request, context):
        form = parse_qs(request.text)
        nonce = self.nonce or self.browser_nonce
        payload = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": "medewerker-1",
            "email": self.email,
            "nonce": nonce,
            "iat": int(time.time()),
            "exp": int(time.time()) + 300,
        }
        self.form = form
        if self.algo == "RS256":
            id_token = jwt.encode(
                payload, _PRIVATE_PEM, algorithm="RS256", headers={"kid": "test-key"}
            )
        else:
            id_token = jwt.encode(payload, SECRET, algorithm="HS256")
        return {"access_token": "access-123", "token_type": "Bearer", "id_token": id_token}

    def start(self, client, next_url="/account/"):
        """The browser clicks the button: it is sent to the IdP with state, nonce, PKCE."""
        response = client.get(f"/oidc/authenticate/?next={next_url}")
        assert response.status_code == 302
        location = urlparse(response["Location"])
        assert f"{location.scheme}://{location.netloc}{location.path}" == f"{IDP}/authorize"
        query = {k: v[0] for k, v in parse_qs(location.query).items()}
        assert query["client_id"] == CLIENT_ID
        assert query["redirect_uri"] == "http://testserver/oidc/callback/"
        assert query["code_challenge_method"] == "S256" and query["nonce"]
        self.browser_nonce = query["nonce"]
        return query["state"]


@pytest.fixture
def staff(world):
    return world["worker"]


def test_button_only_when_configured(client, db):
    assert "gemeente-account" not in client.get("/account/inloggen/").content.decode()
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404
    with override_settings(**OIDC):
        page = client.get("/account/inloggen/?next=/zoeken/").content.decode()
        assert "Inloggen met gemeente-account" in page
        assert 'href="/oidc/authenticate/?next=%2Fzoeken%2F"' in page


@override_settings(**OIDC)
def test_existing_user_logs_in_through_the_provider(client, staff, requests_mock):
    provider = FakeProvider(requests_mock, email="SW-West@example.org")
    state = provider.start(client, next_url="/zoeken/")
    response = client.get(f"/oidc/callback/?code=code-abc&state={state}")
    assert response.status_code == 302 and response["Location"] == "/zoeken/"
    assert provider.form["code"] == ["code-abc"] and provider.form["code_verifier"]
    page = client.get("/account/")
    assert page.status_code == 200 and staff.email in page.content.decode()
    row = AuditEvent.objects.get(event="login")
    assert row.actor_id == staff.pk and row.reason == "oidc"


@override_settings(**{**OIDC, "OIDC_RP_SIGN_ALGO": "HS256", "OIDC_OP_JWKS_ENDPOINT": ""})
def test_hs256_provider(client, staff, requests_mock):
    provider = FakeProvider(requests_mock, email=staff.email, algo="HS256")
    state = provider.start(client)
    assert client.get(f"/oidc/callback/?code=c&state={state}")["Location"] == "/account/"
    assert client.get("/account/").status_code == 200


@override_settings(**OIDC)
def test_unknown_user_is_refused_not_created(client, world, requests_mock):
    from socialebasis.accounts.models import User

    provider = FakeProvider(requests_mock, email="onbekend@example.org")
    state = provider.start(client)
    response = client.get(f"/oidc/callback/?code=c&state={state}")
    assert response["Location"] == "/account/inloggen/"
    assert "niet gelukt" in client.get("/account/inloggen/").content.decode()
    assert client.get("/account/").status_code == 302
    assert not User.objects.filter(email="onbekend@example.org").exists()
    row = AuditEvent.objects.get(event="login_failed")
    assert row.subject_id == email_digest("onbekend@example.org")


@override_settings(**OIDC)
def test_inactive_user_is_refused(client, staff, requests_mock):
    staff.is_active = False
    staff.save()
    provider = FakeProvider(requests_mock, email=staff.email)
    state = provider.start(client)
    assert client.get(f"/oidc/callback/?code=c&state={state}")["Location"] == "/account/inloggen/"
    assert client.get("/account/").status_code == 302


@override_settings(**{**OIDC, "OIDC_EMAIL_DOMAINS": ["gemeente.example"]})
def test_only_allowed_domains(client, staff, requests_mock):
    provider = FakeProvider(requests_mock, email=staff.email)  # @example.org
    state = provider.start(client)
    assert client.get(f"/oidc/callback/?code=c&state={state}")["Location"] == "/account/inloggen/"
    assert client.get("/account/").status_code == 302


@override_settings(**OIDC)
def test_bad_state_is_refused(client, staff, requests_mock):
    provider = FakeProvider(requests_mock, email=staff.email)
    provider.start(client)
    response = client.get("/oidc/callback/?code=c&state=verzonnen")
    assert response.status_code == 400
    assert not provider.token.called
    assert client.get("/account/").status_code == 302


@override_settings(**OIDC)
def test_replayed_state_is_refused(client, staff, requests_mock):
    provider = FakeProvider(requests_mock, email=staff.email)
    state = provider.start(client)
    assert client.get(f"/oidc/callback/?code=c&state={state}").status_code == 302
    client.post("/account/uitloggen/")
    assert client.get(f"/oidc/callback/?code=c&state={state}").status_code in (302, 400)
    assert client.get("/account/").status_code == 302


@override_settings(**OIDC)
def test_wrong_nonce_is_refused(client, staff, requests_mock):
    provider = FakeProvider(requests_mock, email=staff.email)
    state = provider.start(client)
    provider.nonce = "een-andere-nonce"
    assert client.get(f"/oidc/callback/?code=c&state={state}").status_code == 400
    assert client.get("/account/").status_code == 302


@override_settings(**OIDC)
def test_token_for_another_client_or_issuer_is_refused(client, staff, requests_mock):
    provider = FakeProvider(requests_mock, email=staff.email)
    provider.audience = "een-andere-app"
    state = provider.start(client)
    assert client.get(f"/oidc/callback/?code=c&state={state}").status_code == 400
    provider.audience, provider.issuer = CLIENT_ID, "https://nep-idp.example"
    state = provider.start(client)
    assert client.get(f"/oidc/callback/?code=c&state={state}").status_code == 400
    assert client.get("/account/").status_code == 302


@override_settings(**OIDC)
def test_token_signed_with_another_key_is_refused(client, staff, requests_mock):
    provider = FakeProvider(requests_mock, email=staff.email)
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    requests_mock.get(
        f"{IDP}/jwks",
        json={
            "keys": [
                {
                    **jwt.algorithms.RSAAlgorithm.to_jwk(other.public_key(), as_dict=True),
                    "kid": "test-key",
                    "alg": "RS256",
                }
            ]
        },
    )
    state = provider.start(client)
    assert client.get(f"/oidc/callback/?code=c&state={state}").status_code == 400
    assert client.get("/account/").status_code == 302


@override_settings(**OIDC)
def test_user_with_totp_still_gives_a_code(client, staff, requests_mock):
    device = add_totp(staff)
    provider = FakeProvider(requests_mock, email=staff.email)
    state = provider.start(client, next_url="/zoeken/")
    response = client.get(f"/oidc/callback/?code=c&state={state}")
    assert response["Location"] == "/account/tweestaps/code/"
    assert client.get("/account/").status_code == 302
    response = client.post("/account/tweestaps/code/", {"code": totp_code(device)})
    assert response["Location"] == "/zoeken/"
    assert AuditEvent.objects.get(event="login").reason == "oidc+totp"
