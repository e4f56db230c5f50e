"""The resident's own data: ``/mijn-gegevens/`` (namespace ``mydata``)."""

from django.urls import path

from socialebasis.residents import views

app_name = "mydata"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("account/", views.account_details, name="account"),
    path("toestemmingen/", views.my_consents, name="consents"),
    path("wie-keek/", views.who_looked, name="who_looked"),
    path("download/", views.download_json, name="download_json"),
    path("download.html", views.download_html, name="download_html"),
    path("wissen/", views.erase, name="erase"),
    path("gewist/", views.erased, name="erased"),
]
