"""/api/v1/ routes of the areas."""

from rest_framework.routers import SimpleRouter

from socialebasis.areas.api import views

router = SimpleRouter()
router.register("municipalities", views.MunicipalityViewSet, basename="municipality")
router.register("districts", views.DistrictViewSet, basename="district")
router.register("neighbourhoods", views.NeighbourhoodViewSet, basename="neighbourhood")

urlpatterns = router.urls
