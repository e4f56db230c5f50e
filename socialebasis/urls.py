"""Root URLconf. Each app owns its URLs; pages are Dutch-first with /en/ via the language switch.

An app's pages are mounted from its own ``AppConfig.urls``: a list of (prefix, URLconf
module) pairs, included in the order of ``INSTALLED_APPS`` under the language prefix. So a new
app brings its routes without editing this file (``docs/add-an-app.md``).
"""

from django.apps import apps
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from socialebasis.ops.health import healthz, readyz
from socialebasis.security.views import security_txt


def app_pages() -> list:
    """The ``path(prefix, include(module))`` of every installed app that declares ``urls``."""
    return [
        path(prefix, include(module))
        for config in apps.get_app_configs()
        for prefix, module in getattr(config, "urls", ())
    ]


urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path(".well-known/security.txt", security_txt, name="security-txt"),
    # Answered by the first middleware (socialebasis.ops.health); routed for reverse().
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("api/", include("socialebasis.api.urls")),
    path("oidc/", include("socialebasis.accounts.oidc_urls")),
]
urlpatterns += i18n_patterns(
    path("beheer/", admin.site.urls),
    *app_pages(),
    prefix_default_language=False,
)
