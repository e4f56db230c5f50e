"""Content-Security-Policy and the other security headers, the production settings
(``check --deploy`` clean), and the settings helpers."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from socialebasis.lib.hardening import cache_config, rate, tile_origin

ROOT = Path(__file__).resolve().parents[3]


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.mark.django_db
def test_every_page_gets_a_strict_policy(client):
    response = client.get("/")
    assert response.status_code == 200
    csp = directives(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["connect-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["img-src"] == ["'self'", "data:", tile_origin(settings.TILE_URL)]
    assert "unsafe" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_other_security_headers(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_api_answers_carry_the_policy_too(client):
    response = client.get("/api/v1/services/")
    assert response.status_code == 200
    assert directives(response)["script-src"] == ["'self'"]


@pytest.mark.django_db
def test_swagger_ui_is_the_only_widened_page(client):
    page = client.get("/api/docs/")
    assert page.status_code == 200
    csp = directives(page)
    assert csp["script-src"] == ["'self'"]  # swagger-ui from our static files, no CDN
    assert "'unsafe-inline'" in csp["style-src"]
    assert "cdn.jsdelivr.net" not in page["Content-Security-Policy"]
    html = page.content.decode()
    assert "<script>" not in html  # the start-up script is a separate request
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")


def test_tile_origin_for_the_policy():
    assert tile_origin("https://service.pdok.nl/brt/{z}/{x}/{y}.png") == "https://service.pdok.nl"
    assert tile_origin("https://{s}.tile.example.org/{z}/{x}/{y}.png") == (
        "https://*.tile.example.org"
    )
    assert tile_origin("") is None
    assert tile_origin("/tiles/{z}/{x}/{y}.png") is None


def test_cache_from_url():
    assert cache_config("")["BACKEND"].endswith("AtomicDatabaseCache")
    assert cache_config("db://")["LOCATION"] == "sb_cache"
    redis = cache_config("redis://cache:6379/1")
    assert redis == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache:6379/1",
    }
    assert cache_config("locmem://")["BACKEND"].endswith("LocMemCache")
    with pytest.raises(ValueError, match="SB_CACHE_URL"):
        cache_config("memcached://x")


@pytest.mark.parametrize(
    ("raw", "parsed"),
    [("10/h", "10/h"), ("100/hour", "100/hour"), (" 5/M ", "5/m"), ("off", None), ("", None)],
)
def test_rates(raw, parsed):
    assert rate(raw) == parsed


@pytest.mark.parametrize("raw", ["10", "10/week", "x/h", "0/h", "10/5m"])
def test_bad_rates_are_refused(raw):
    with pytest.raises(ValueError):
        rate(raw)


def _run_manage(*args, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("SB_")
        and key not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env)
    # Production needs the audit chain's key too (tested in socialebasis/audit/tests).
    environment.setdefault("SB_AUDIT_KEY", secrets.token_urlsafe(50))
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = _run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SB_PRODUCTION="1",
        SB_SECRET_KEY=secrets.token_urlsafe(50),
        SB_ALLOWED_HOSTS="sociale-basis.example.nl",
        SB_AUDIT_ANCHOR_FILE="/var/lib/sociale-basis/audit-anchors.log",
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output, output


def test_check_deploy_refuses_a_per_process_cache():
    result = _run_manage(
        "check",
        "--deploy",
        SB_PRODUCTION="1",
        SB_SECRET_KEY=secrets.token_urlsafe(50),
        SB_CACHE_URL="locmem://",
    )
    assert result.returncode != 0
    assert "security.E001" in result.stderr + result.stdout


def test_production_settings():
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        " s.CSRF_COOKIE_HTTPONLY, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
        " s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.DEBUG)"
    )
    result = _run_manage(
        "shell", "-c", code, SB_PRODUCTION="1", SB_SECRET_KEY=secrets.token_urlsafe(50)
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        "True",
        "True",
        "True",
        "True",
        "31536000",
        "True",
        "True",
        "__Host-sessionid",
        "__Host-csrftoken",
        "False",
    ]


def test_production_needs_a_secret_key():
    result = _run_manage("check", SB_PRODUCTION="1")
    assert result.returncode != 0
    assert "SB_SECRET_KEY" in result.stderr
