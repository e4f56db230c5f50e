"""API root: /api/v1/ (our own read API, described by the OpenAPI schema at /api/schema/ and
docs/openapi.yaml) and /api/hsds/ (Open Referral HSDS 3.0, described by the HSDS spec)."""

from csp.decorators import csp_update
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, include, path, re_path, resolve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from socialebasis.api import hsds
from socialebasis.areas.api.urls import router as areas_router
from socialebasis.directory.api import views as directory_views
from socialebasis.directory.api.urls import router as directory_router


class Router(DefaultRouter):
    include_format_suffixes = False


# Swagger UI: served from our own static files (drf-spectacular-sidecar, no CDN); the split
# view serves its start-up script as a file (no inline script). The page has one inline
# <style> block, so this page alone allows inline style (see THREAT_MODEL.md).
swagger_ui = csp_update({"style-src": ["'unsafe-inline'"]})(
    SpectacularSwaggerSplitView.as_view(url_name="api-schema")
)

v1 = Router()
v1.registry.extend(directory_router.registry)
v1.registry.extend(areas_router.registry)


def not_found(request, rest=""):
    """Any other /api/ path: a JSON 404 (or the redirect to the path with a slash, as
    Django's APPEND_SLASH would do)."""
    if not request.path_info.endswith("/"):
        try:
            match = resolve(request.path_info + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(
                request.path + "/" + (f"?{query}" if query else "")
            )
    return JsonResponse({"detail": "Not found."}, status=404)


urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", swagger_ui, name="api-docs"),
    path("v1/search/", directory_views.search_view, name="api-search"),
    path("v1/", include(v1.urls)),
    path("hsds/", include(hsds.urlpatterns)),
    re_path(r"^(?P<rest>.*)$", not_found),
]
