from django.urls import path

from socialebasis.testing.exampleapp import views

app_name = "exampleapp"
urlpatterns = [path("<uuid:resident_id>/", views.notes, name="notes")]
