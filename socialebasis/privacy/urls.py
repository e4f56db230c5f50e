from django.urls import path

from socialebasis.privacy import views

app_name = "privacy"
urlpatterns = [
    path("mijn-gegevens/", views.overview, name="overview"),
    path("mijn-gegevens/toestemmingen/", views.consents, name="consents"),
    path("mijn-gegevens/wie-keek/", views.who_looked, name="who_looked"),
    path("mijn-gegevens/download/", views.download_json, name="download_json"),
    path("mijn-gegevens/download.html", views.download_html, name="download_html"),
    path("mijn-gegevens/wissen/", views.erase, name="erase"),
    path("mijn-gegevens/gewist/", views.erased, name="erased"),
    path("privacy/audit/", views.audit_log, name="audit"),
    path("privacy/audit.csv", views.audit_csv, name="audit_csv"),
]
