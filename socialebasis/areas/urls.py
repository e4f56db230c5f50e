from django.urls import path

from socialebasis.areas import views

app_name = "areas"
urlpatterns = [
    path("", views.index, name="index"),
    path("wijken/<str:code>/", views.district_detail, name="district"),
    path("buurten/<str:code>/", views.neighbourhood_detail, name="neighbourhood"),
]
