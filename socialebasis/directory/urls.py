from django.urls import path

from socialebasis.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.home, name="home"),
    path("zoeken/", views.search, name="search"),
    path("diensten/<uuid:service_id>/", views.service_detail, name="service"),
    path("organisaties/<uuid:organization_id>/", views.organization_detail, name="organization"),
    path("locaties/<uuid:location_id>/", views.location_detail, name="location"),
    path("melden/", views.report_error, name="report"),
    path("melden/bedankt/", views.report_thanks, name="report_thanks"),
]
