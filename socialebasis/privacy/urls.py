from django.urls import path

from socialebasis.privacy import views

app_name = "privacy"
urlpatterns = [
    path("privacy/audit/", views.audit_log, name="audit"),
    path("privacy/audit.csv", views.audit_csv, name="audit_csv"),
]
