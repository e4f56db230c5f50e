"""One client address for lock-out, form limits, the API throttle and the lock-out records,
through real login, report and API requests with the settings the documented environment
variables produce (``SB_CLIENT_IP_HEADER``, ``SB_NUM_PROXIES``)."""

import importlib.util

import pytest
from axes.models import AccessAttempt
from django.test import override_settings

from socialebasis.accounts.tests.conftest import PASSWORD, login
from socialebasis.testing import factories as f

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"  # the reverse proxy: every request reaches the app from its address
ADDRESS_KEYS = (
    "CLIENT_IP_HEADER",
    "NUM_PROXIES",
    "RATELIMIT_IP_META_KEY",
    "AXES_CLIENT_IP_CALLABLE",
)


def settings_for(monkeypatch, settings, **env):
    """The address settings ``socialebasis/settings.py`` makes from ``env``, with the test's
    API rates (2 a minute) and login limits, for ``override_settings``."""
    for name in ("SB_CLIENT_IP_HEADER", "SB_NUM_PROXIES"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.find_spec("socialebasis.settings")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    values = {key: getattr(module, key) for key in ADDRESS_KEYS if hasattr(module, key)}
    rest = {**settings.REST_FRAMEWORK, "NUM_PROXIES": module.REST_FRAMEWORK["NUM_PROXIES"]}
    rest["DEFAULT_THROTTLE_RATES"] = {"anon": "2/min", "user": "5/min"}
    return override_settings(REST_FRAMEWORK=rest, **values)


def behind_proxy(monkeypatch, settings):
    return settings_for(monkeypatch, settings, SB_CLIENT_IP_HEADER="X-Real-IP", SB_NUM_PROXIES="1")


def from_client(address: str) -> dict:
    """What the proxy sends: its own connection address and the client's in X-Real-IP."""
    return {"REMOTE_ADDR": PROXY, "HTTP_X_REAL_IP": address, "HTTP_X_FORWARDED_FOR": address}


def test_behind_the_proxy_a_lock_out_is_per_client(client, world, monkeypatch, settings):
    email = "sw-west@example.org"
    with behind_proxy(monkeypatch, settings):
        for attempt in range(5):
            login(client, email, f"fout-{attempt}", **from_client("198.51.100.1"))
        assert login(client, email, PASSWORD, **from_client("198.51.100.1")).status_code == 429
        # Another client behind the same proxy is not locked out of the same account.
        answer = login(client, email, PASSWORD, **from_client("198.51.100.2"))
        assert answer.status_code == 302 and answer["Location"] == "/account/"
    # The lock-out record names the client, not the proxy.
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.1"}


def test_behind_the_proxy_the_login_limit_is_per_client(client, world, monkeypatch, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "3/h"}
    with behind_proxy(monkeypatch, settings):
        for n in range(3):
            login(client, f"onbekend-{n}@example.org", "fout", **from_client("198.51.100.1"))
        assert (
            login(client, "x@example.org", "fout", **from_client("198.51.100.1")).status_code == 429
        )
        assert (
            login(client, "x@example.org", "fout", **from_client("198.51.100.2")).status_code == 200
        )


def test_behind_the_proxy_report_limit_and_api_throttle_are_per_client(
    client, monkeypatch, settings
):
    f.ServiceFactory()
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "report": "1/h"}
    report = {"reporter_name": "Jan", "reporter_email": "", "message": "Klopt niet."}
    with behind_proxy(monkeypatch, settings):
        assert client.post("/melden/", report, **from_client("198.51.100.1")).status_code == 302
        assert client.post("/melden/", report, **from_client("198.51.100.2")).status_code == 302
        assert client.post("/melden/", report, **from_client("198.51.100.1")).status_code == 429
        for _ in range(2):
            assert client.get("/api/v1/services/", **from_client("198.51.100.1")).status_code == 200
        assert client.get("/api/hsds/services", **from_client("198.51.100.1")).status_code == 429
        assert client.get("/api/v1/services/", **from_client("198.51.100.2")).status_code == 200


def test_without_a_proxy_forwarded_for_is_ignored(client, world, monkeypatch, settings):
    """No proxy configured (the default): a client that writes a new X-Forwarded-For on
    every request still has one counter, in the API throttle and in the lock-out."""
    f.ServiceFactory()
    with settings_for(monkeypatch, settings):
        codes = [
            client.get("/api/v1/services/", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
            for n in range(5)
        ]
        assert codes == [200, 200, 429, 429, 429]
        email = "sw-west@example.org"
        for n in range(5):
            login(client, email, "fout", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
        assert (
            login(client, email, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429
        )


def test_forwarded_for_counts_the_address_our_proxies_saw(client, monkeypatch, settings):
    """With SB_NUM_PROXIES=2 and no header: the second address from the right; what the client
    wrote further left does not matter."""
    f.ServiceFactory()
    with settings_for(monkeypatch, settings, SB_NUM_PROXIES="2"):
        for forged in ("1.1.1.1", "2.2.2.2"):
            xff = f"{forged}, 198.51.100.7, 10.0.0.1"
            assert client.get("/api/v1/services/", HTTP_X_FORWARDED_FOR=xff).status_code == 200
        xff = "9.9.9.9, 198.51.100.7, 10.0.0.1"
        assert client.get("/api/v1/services/", HTTP_X_FORWARDED_FOR=xff).status_code == 429
        xff = "198.51.100.8, 10.0.0.1"
        assert client.get("/api/v1/services/", HTTP_X_FORWARDED_FOR=xff).status_code == 200


@pytest.mark.parametrize(
    ("header", "num_proxies", "meta", "expected"),
    [
        ("X-Real-IP", 1, {"HTTP_X_REAL_IP": " 198.51.100.9 "}, "198.51.100.9"),
        ("X-Real-IP", 1, {"HTTP_X_REAL_IP": "2001:DB8::0:1"}, "2001:db8::1"),
        # garbage or a missing header: the connection's address, never a fresh counter
        ("X-Real-IP", 1, {"HTTP_X_REAL_IP": "niet-een-adres"}, PROXY),
        ("X-Real-IP", 1, {}, PROXY),
        ("", 1, {"HTTP_X_FORWARDED_FOR": "1.1.1.1, 198.51.100.9"}, "198.51.100.9"),
        ("", 3, {"HTTP_X_FORWARDED_FOR": "198.51.100.9"}, "198.51.100.9"),
        ("", 1, {"HTTP_X_FORWARDED_FOR": "1.1.1.1, onzin"}, PROXY),
        ("", 0, {"HTTP_X_FORWARDED_FOR": "198.51.100.9", "HTTP_X_REAL_IP": "1.1.1.1"}, PROXY),
    ],
)
def test_client_ip(header, num_proxies, meta, expected):
    from django.test import RequestFactory

    from socialebasis.lib.clientip import client_ip

    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, **meta)
    with override_settings(CLIENT_IP_HEADER=header, NUM_PROXIES=num_proxies):
        assert client_ip(request) == expected
