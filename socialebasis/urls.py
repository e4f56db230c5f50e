"""Root URLconf. Each app owns its URLs; pages are Dutch-first with /en/ via the language switch."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from socialebasis.security.views import security_txt

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path(".well-known/security.txt", security_txt, name="security-txt"),
    path("api/", include("socialebasis.api.urls")),
    path("oidc/", include("socialebasis.accounts.oidc_urls")),
]
urlpatterns += i18n_patterns(
    path("beheer/", admin.site.urls),
    path("", include("socialebasis.directory.urls")),
    path("gebieden/", include("socialebasis.areas.urls")),
    path("", include("socialebasis.privacy.urls")),
    path("dossiers/", include("socialebasis.residents.urls")),
    path("account/", include("socialebasis.accounts.urls")),
    prefix_default_language=False,
)
