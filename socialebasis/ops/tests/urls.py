"""The site's URLs plus a page that raises PermissionDenied, for the 403 page's test."""

from django.conf.urls.i18n import i18n_patterns
from django.core.exceptions import PermissionDenied
from django.urls import path

from socialebasis.urls import urlpatterns as site


def forbidden(request):
    raise PermissionDenied("the reason stays in the log")


urlpatterns = [*site, *i18n_patterns(path("verboden/", forbidden), prefix_default_language=False)]
