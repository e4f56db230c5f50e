"""A person's notifications: ``/meldingen/`` (namespace ``notifications``)."""

from django.urls import path

from socialebasis.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<uuid:notification_id>/", views.notification_open, name="open"),
    path("alles-gelezen/", views.mark_all_read, name="mark_all_read"),
    path("instellingen/", views.preferences, name="preferences"),
]
