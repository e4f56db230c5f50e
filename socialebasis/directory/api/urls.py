"""/api/v1/ routes of the directory."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from socialebasis.directory.api import views

router = SimpleRouter()
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("services", views.ServiceViewSet, basename="service")
router.register("locations", views.LocationViewSet, basename="location")
router.register("taxonomy-terms", views.TaxonomyTermViewSet, basename="taxonomy-term")

urlpatterns = [
    path("search/", views.search_view, name="search"),
    *router.urls,
]
