"""The one settings module of Sociale Basis, driven by environment variables.

Variables (all optional; the defaults run the embedded demo on SQLite):

- ``SB_DEBUG``: "1" for development: Django's technical error pages (default "1" unless
  ``SB_PRODUCTION=1``; ``make demo`` runs with "0", so visitors see the site's own 404 and
  500 pages, never a list of URL patterns).
- ``SB_PRODUCTION``: "1" turns on production hardening (secure cookies, HSTS).
- ``SB_SECRET_KEY``: required in production.
- ``DATABASE_URL``: e.g. ``postgres://postgres@127.0.0.1:5432/socialebasis``;
  default ``sqlite:///<repo>/db.sqlite3``.
- ``SB_ALLOWED_HOSTS``: comma-separated host names.
- ``SB_TILE_URL`` / ``SB_TILE_ATTRIBUTION``: Leaflet tile layer (PDOK BRT by default;
  empty disables tiles, the map still shows markers).
- ``SB_GEOCODER``: ``offline`` (default, from loaded data) or ``pdok``;
  ``SB_PDOK_URL`` overrides the PDOK Locatieserver endpoint.
- ``SB_DATA_DIR``: where the public data files live (default ``<repo>/data``).
- ``SB_STATIC_ROOT``: where ``collectstatic`` puts the static files and WhiteNoise serves them
  from in production (default ``<repo>/staticfiles``).

Serving and logs (``socialebasis.ops``; ``docs/deploy.md``):

- ``SB_BIND`` (default ``127.0.0.1:8000``), ``SB_WEB_CONCURRENCY`` (worker processes, default
  2 x CPU cores + 1) and ``SB_WEB_TIMEOUT`` (seconds, default 30): ``socialebasis serve``.
- ``SB_LOG_FORMAT``: ``json`` (one JSON object per line; default in production) or ``text``
  (default otherwise). ``SB_LOG_LEVEL`` (default WARNING) for everything but the request and
  task lines, which are always written (INFO).

Login and accounts (``socialebasis.accounts``, see docs in its modules):

- ``SB_EMAIL_HOST``: SMTP server; when set (and ``SB_EMAIL_BACKEND`` is not), mail goes out
  by SMTP, otherwise to the console (development). ``SB_EMAIL_PORT`` (default 587),
  ``SB_EMAIL_HOST_USER``, ``SB_EMAIL_HOST_PASSWORD``, ``SB_EMAIL_USE_TLS`` (default 1),
  ``SB_EMAIL_USE_SSL`` (default 0), ``SB_EMAIL_TIMEOUT`` (seconds, default 10),
  ``SB_DEFAULT_FROM_EMAIL`` (default ``Sociale Basis <noreply@localhost>``),
  ``SB_EMAIL_BACKEND`` (a Django e-mail backend path; overrides the choice above). Mail is
  sent by the worker (``socialebasis worker``), never inside a request.
- ``SB_SITE_URL``: the site's address as people reach it (``https://host``), for links in
  mail sent outside a request (notifications, scheduled jobs); default
  ``http://127.0.0.1:8000``.
- ``SB_TASKS_IMMEDIATE``: 1 runs background tasks (mail) inside the request, without a worker
  (default 0: tasks wait in the database for ``socialebasis worker``).
- ``SB_PROFESSIONAL_IDLE_MINUTES``: sessions of professionals end after this many minutes
  without a request (default 15); other users keep Django's two-week session.
- ``SB_LOGIN_FAILURE_LIMIT`` (default 5) and ``SB_LOGIN_COOLOFF_MINUTES`` (default 15):
  django-axes locks an e-mail address *from one IP address* (the client's, see
  ``SB_CLIENT_IP_HEADER``) after that many failed logins.
- ``SB_OIDC_CLIENT_ID``, ``SB_OIDC_CLIENT_SECRET``, ``SB_OIDC_AUTHORIZATION_ENDPOINT``,
  ``SB_OIDC_TOKEN_ENDPOINT``, ``SB_OIDC_USERINFO_ENDPOINT``, ``SB_OIDC_JWKS_ENDPOINT``:
  single sign-on for a municipality's staff (OpenID Connect); off unless client id,
  secret and the authorization, token and userinfo endpoints are all set.
  ``SB_OIDC_SIGN_ALGO`` (default RS256; RS*/ES* need the JWKS endpoint),
  ``SB_OIDC_ISSUER`` (checked against the ID token's ``iss`` when set),
  ``SB_OIDC_SCOPES`` (default ``openid email profile``), ``SB_OIDC_USE_PKCE`` (default 1),
  ``SB_OIDC_EMAIL_DOMAINS`` (comma-separated; when set, only those e-mail domains may
  use single sign-on), ``SB_OIDC_LABEL`` (the button text; default
  "Inloggen met gemeente-account"). The redirect URI to register at the provider is
  ``https://<host>/oidc/callback/``. Only existing, active accounts can log in this way.

Hardening (``socialebasis.security``, ``socialebasis.lib.ratelimit``; see THREAT_MODEL.md):

- ``SB_CACHE_URL``: the shared cache for rate limits and API throttling, with atomic
  counters: ``db://`` (default, the database cache in table ``sb_cache``, shared by all
  processes; ``lib.cache.AtomicDatabaseCache``), ``redis://host:6379/0`` or ``locmem://``
  (one development process only; refused by ``check --deploy``).
- ``SB_RATE_LIMITS``: "0" switches the rate limits of forms off (default on).
  ``SB_RATE_LIMIT_REPORT`` (default ``10/h`` per IP address: the error report form),
  ``SB_RATE_LIMIT_LOGIN`` (default ``30/h`` failed logins per IP address on any accounts, on
  top of the lock-out; over it only a right password with two-factor authentication and its
  code log in from that address) and
  ``SB_RATE_LIMIT_FORM`` (default ``30/h``: any other public form using the helper);
  a rate is ``N/s``, ``N/m``, ``N/h`` or ``N/day``, or ``off``.
- ``SB_API_RATE_ANON`` (default ``1000/h`` per IP address) and ``SB_API_RATE_USER`` (default
  ``5000/h`` per user): throttling of ``/api/``; over the limit the API answers 429 JSON.
- ``SB_CLIENT_IP_HEADER``: the request header with the client's address when the site runs
  behind a reverse proxy (e.g. ``X-Real-IP``, set by the proxy); it wins over
  ``SB_NUM_PROXIES`` (default 0): with n > 0 proxies that append to ``X-Forwarded-For``, the
  n-th address from its right. With neither, the connection's address (``X-Forwarded-For``
  is ignored). One address (``lib.clientip.client_ip``) for the lock-out, the form limits,
  the API throttle and the lock-out records.
- ``SB_SECURITY_CONTACT``: ``Contact:`` of ``/.well-known/security.txt`` (a ``mailto:`` or
  ``https:`` URI; default ``mailto:security@localhost``); ``SB_SECURITY_POLICY_URL``
  (optional ``Policy:``); the file expires 365 days after the request.
- ``SB_HSTS_PRELOAD`` (default 1 in production): the ``preload`` directive of HSTS.
- ``SB_CSP_REPORT_URI``: where browsers send Content-Security-Policy violation reports
  (optional).

Audit log (``socialebasis.audit``; rotation in docs/privacy.md):

- ``SB_AUDIT_KEY``: the key of the audit chain's HMAC; required in production (long and
  random, kept out of the database and its backups). Development uses a fixed key.
- ``SB_AUDIT_KEYS``: comma-separated retired keys, kept so that rows signed before a key
  rotation still verify.
- ``SB_AUDIT_ANCHOR_FILE``: the anchor store, a file outside the database (another machine,
  write-once storage) to which ``record_anchor`` (hourly, ``audit.tasks``) and
  ``verify-audit`` append the chain's head; ``verify-audit`` checks it by default.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from socialebasis.lib.env import env_bool, env_int, env_list, env_str
from socialebasis.lib.hardening import cache_config, rate, tile_origin
from socialebasis.ops.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION = env_bool("SB_PRODUCTION", False)
DEBUG = env_bool("SB_DEBUG", not PRODUCTION)

SECRET_KEY = env_str("SB_SECRET_KEY", "" if PRODUCTION else "dev-only-insecure-key-change-me")
if PRODUCTION and not SECRET_KEY:
    raise RuntimeError("SB_SECRET_KEY must be set when SB_PRODUCTION=1")

# The audit chain's HMAC key (socialebasis.audit.chain): in the environment, never in the
# database, so whoever can write the audit table cannot recompute the hashes.
AUDIT_KEY = env_str("SB_AUDIT_KEY", "" if PRODUCTION else "dev-only-audit-key-change-me")
if PRODUCTION and not AUDIT_KEY:
    raise RuntimeError("SB_AUDIT_KEY must be set when SB_PRODUCTION=1")
AUDIT_KEYS = env_list("SB_AUDIT_KEYS", [])  # retired keys: old rows still verify
AUDIT_ANCHOR_FILE = env_str("SB_AUDIT_ANCHOR_FILE", "")

ALLOWED_HOSTS = env_list("SB_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "template_partials",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI as static files, no CDN
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "socialebasis.accounts",
    "socialebasis.audit",
    "socialebasis.privacy",
    "socialebasis.areas",
    "socialebasis.notifications",
    "socialebasis.directory",
    "socialebasis.residents",
    "socialebasis.api",
    "socialebasis.security",
    "socialebasis.scheduling",
    "socialebasis.ops",
]

# Background work: Django's tasks framework (the django-tasks backport) on the database the
# platform already has (django-tasks-db), run by `socialebasis worker`. Mail is always sent
# from a task. SB_TASKS_IMMEDIATE=1 runs tasks inside the request instead (no worker needed).
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if env_bool("SB_TASKS_IMMEDIATE", False)
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}

MIDDLEWARE = [
    # /healthz and /readyz first: no host check, HTTPS redirect, session or log line.
    "socialebasis.ops.middleware.health_checks",
    "socialebasis.ops.middleware.request_log",  # one line per request, with its request id
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "socialebasis.api.middleware.api_language",  # Accept-Language on /api/ (after Locale)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "socialebasis.accounts.middleware.ProfessionalIdleTimeoutMiddleware",
    "socialebasis.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: turns a lock-out into the lock-out page (429).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "socialebasis.urls"
WSGI_APPLICATION = "socialebasis.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "socialebasis.lib.context.site",
                "socialebasis.notifications.context_processors.unread",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets readers and a writer work at once; a busy timeout avoids "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# Argon2id first: new and re-saved passwords use it; older hashes still verify and are
# upgraded at the next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# django-axes watches every login first (lock-outs), then passwords, then single sign-on.
AUTHENTICATION_BACKENDS = [
    "socialebasis.accounts.security.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
    "socialebasis.accounts.oidc.MunicipalOIDCBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:account"
LOGOUT_REDIRECT_URL = "directory:home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset or invitation link works for one day
EMAIL_VERIFICATION_MAX_AGE = 60 * 60 * 24 * 3  # seconds an e-mail confirmation link works
PROFESSIONAL_IDLE_MINUTES = env_int("SB_PROFESSIONAL_IDLE_MINUTES", 15)

# Brute-force protection (django-axes). Failures count per e-mail address *and* IP address
# together: a stranger elsewhere cannot lock a colleague out (denial of service), and a
# town hall behind one NAT address is not locked as a whole. Guessing one account from many
# addresses meets argon2, the password rules and, for professionals, two-factor
# authentication. Axes stores a keyed hash of the typed e-mail, never the address itself.
AXES_FAILURE_LIMIT = env_int("SB_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SB_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "socialebasis.accounts.security.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "socialebasis.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "socialebasis.lib.clientip.client_ip"  # as the rate limits
AXES_DISABLE_ACCESS_LOG = True  # successful logins are in our own audit log
AXES_VERBOSE = False

# Two-factor authentication (django-otp): TOTP apps and one-time recovery codes.
OTP_TOTP_ISSUER = "Sociale Basis"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "socialebasis" / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("SB_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_DIR = Path(env_str("SB_DATA_DIR", str(BASE_DIR / "data")))

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "TITLE": "Sociale Basis API",
    "DESCRIPTION": "Read API of the social map (directory), areas and search. "
    "The Open Referral HSDS 3.0 API lives under /api/hsds/.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "OrganizationKindEnum": "socialebasis.directory.constants.OrganizationKind",
        "LocationKindEnum": "socialebasis.directory.constants.LocationKind",
        "LocationTypeEnum": "socialebasis.directory.constants.LocationType",
        "ServiceStatusEnum": "socialebasis.directory.constants.ServiceStatus",
    },
}

TILE_URL = env_str(
    "SB_TILE_URL",
    "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png",
)
TILE_ATTRIBUTION = env_str("SB_TILE_ATTRIBUTION", "Kaartgegevens &copy; Kadaster (PDOK BRT)")
GEOCODER = env_str("SB_GEOCODER", "offline")
PDOK_URL = env_str("SB_PDOK_URL", "https://api.pdok.nl/bzk/locatieserver/search/v3_1/free")

# The site's own address, for links in mail sent outside a request (notifications, jobs).
SITE_URL = env_str("SB_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
EMAIL_HOST = env_str("SB_EMAIL_HOST", "")
EMAIL_BACKEND = env_str(
    "SB_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("SB_EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("SB_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("SB_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_SSL = env_bool("SB_EMAIL_USE_SSL", False)
EMAIL_USE_TLS = env_bool("SB_EMAIL_USE_TLS", not EMAIL_USE_SSL)
EMAIL_TIMEOUT = env_int("SB_EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("SB_DEFAULT_FROM_EMAIL", "Sociale Basis <noreply@localhost>")

# Single sign-on for a municipality's staff (mozilla-django-oidc, OpenID Connect code flow
# with nonce and PKCE). Off unless configured; the settings exist (empty) either way because
# the library reads them when its views and backend are created.
OIDC_RP_CLIENT_ID = env_str("SB_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env_str("SB_OIDC_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("SB_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env_str("SB_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env_str("SB_OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env_str("SB_OIDC_JWKS_ENDPOINT", "")
OIDC_OP_ISSUER = env_str("SB_OIDC_ISSUER", "")
OIDC_RP_SIGN_ALGO = env_str("SB_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("SB_OIDC_SCOPES", "openid email profile")
OIDC_USE_PKCE = env_bool("SB_OIDC_USE_PKCE", True)
OIDC_USE_NONCE = True
OIDC_CREATE_USER = False  # only existing accounts (matched by e-mail) may log in
OIDC_EMAIL_DOMAINS = [d.lower() for d in env_list("SB_OIDC_EMAIL_DOMAINS", [])]
OIDC_LABEL = env_str("SB_OIDC_LABEL", "")
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc:callback"
OIDC_TIMEOUT = 10
OIDC_ENABLED = bool(
    OIDC_RP_CLIENT_ID
    and OIDC_RP_CLIENT_SECRET
    and OIDC_OP_AUTHORIZATION_ENDPOINT
    and OIDC_OP_TOKEN_ENDPOINT
    and OIDC_OP_USER_ENDPOINT
)

# ---------------------------------------------------------------- hardening
# One shared cache for every process (rate limits must hold behind a load balancer).
CACHES = {"default": cache_config(env_str("SB_CACHE_URL", ""))}

# Rate limits of public forms (socialebasis.lib.ratelimit), per IP address; None = no limit.
# django_ratelimit is used as a library, not in INSTALLED_APPS: its system check accepts only
# memcached and django-redis, not Django's own Redis cache (atomic INCR) nor our database
# cache (atomic by a row lock, lib.cache). Our deploy check security.E001 refuses a
# per-process cache instead.
RATELIMIT_ENABLE = env_bool("SB_RATE_LIMITS", True)
RATELIMIT_USE_CACHE = "default"
RATE_LIMITS = {
    "report": rate(env_str("SB_RATE_LIMIT_REPORT", "10/h")),
    "login": rate(env_str("SB_RATE_LIMIT_LOGIN", "30/h")),
    "form": rate(env_str("SB_RATE_LIMIT_FORM", "30/h")),
}
# The client's address (socialebasis.lib.clientip.client_ip): one answer for the lock-out, the
# form limits, the API throttle and the lock-out records. 0 proxies: X-Forwarded-For is ignored.
CLIENT_IP_HEADER = env_str("SB_CLIENT_IP_HEADER", "").strip()
NUM_PROXIES = env_int("SB_NUM_PROXIES", 0)
RATELIMIT_IP_META_KEY = "socialebasis.lib.clientip.client_ip"

# API throttling (DRF; the HSDS views use the same rates through socialebasis.lib.ratelimit).
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = [
    "socialebasis.lib.drf.throttling.AnonThrottle",
    "socialebasis.lib.drf.throttling.UserThrottle",
]
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    "anon": rate(env_str("SB_API_RATE_ANON", "1000/h")),
    "user": rate(env_str("SB_API_RATE_USER", "5000/h")),
}
# DRF's own X-Forwarded-For reading is not used (the throttles key on client_ip); stated for
# consistency: 0, never None (None would key on the whole header).
REST_FRAMEWORK["NUM_PROXIES"] = NUM_PROXIES

# Content-Security-Policy (django-csp 4): no inline script and no inline style anywhere
# (templates/tests check it: scripts are files, data goes in <script type=application/json>).
# Leaflet positions map tiles and markers through element.style (the CSSOM), which style-src
# does not govern, so 'unsafe-inline' is not needed for the map. The only exception is the
# Swagger UI page /api/docs/ (socialebasis.api.urls), which has one inline <style> block.
_img_src = ["'self'", "data:"]
if tile_origin(TILE_URL):
    _img_src.append(tile_origin(TILE_URL))
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": _img_src,
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    },
}
if env_str("SB_CSP_REPORT_URI", ""):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"] = [env_str("SB_CSP_REPORT_URI", "")]

# Headers for every response (Django's defaults, stated so that a change is deliberate).
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# No script reads the CSRF cookie: forms (also those htmx submits) carry {% csrf_token %}.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

SECURITY_CONTACT = env_str("SB_SECURITY_CONTACT", "mailto:security@localhost")
SECURITY_POLICY_URL = env_str("SB_SECURITY_POLICY_URL", "")

LOGGING = logging_config(
    env_str("SB_LOG_FORMAT", "json" if PRODUCTION else "text"), env_str("SB_LOG_LEVEL", "WARNING")
)

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SB_HSTS_PRELOAD", True)
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_SSL_REDIRECT = env_bool("SB_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Hashed names (cached for a year) and a gzip copy of each text file, made by
    # collectstatic; WhiteNoise sends the gzip copy to clients that accept it. (Brotli, when
    # the `brotli` package is installed, costs ~25x the CPU per collectstatic.)
    STORAGES["staticfiles"]["BACKEND"] = "whitenoise.storage.CompressedManifestStaticFilesStorage"
else:
    # Development and the demo: WhiteNoise serves straight from the source folders, also with
    # SB_DEBUG=0 (where runserver serves no static files).
    WHITENOISE_USE_FINDERS = True
