"""Single sign-on URLs, outside the language prefix: the redirect URI registered at the
identity provider is always ``/oidc/callback/``."""

from django.urls import path

from socialebasis.accounts import oidc

app_name = "oidc"
urlpatterns = [
    path("authenticate/", oidc.AuthenticateView.as_view(), name="authenticate"),
    path("callback/", oidc.CallbackView.as_view(), name="callback"),
]
