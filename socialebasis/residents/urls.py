from django.urls import path

from socialebasis.residents import views

app_name = "residents"
urlpatterns = [
    path("", views.resident_list, name="list"),
    path("<uuid:resident_id>/", views.resident_detail, name="detail"),
    path("<uuid:resident_id>/corrigeren/", views.resident_edit, name="edit"),
    path("<uuid:resident_id>/toestemming/", views.consent_on_behalf, name="consent"),
    path("<uuid:resident_id>/inzage/", views.resident_export, name="export"),
    path("<uuid:resident_id>/wissen/", views.resident_erase, name="erase"),
]
