from django.urls import path

from socialebasis.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.account, name="account"),
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("uitloggen/", views.logout_view, name="logout"),
    path("uitloggen/overal/", views.logout_everywhere, name="logout_everywhere"),
    path("registreren/", views.register, name="register"),
    path("registreren/verstuurd/", views.register_done, name="register_done"),
    path("e-mail-bevestigen/", views.send_verification, name="send_verification"),
    path("e-mail-bevestigen/<str:token>/", views.verify_email, name="verify_email"),
    path("tweestaps/code/", views.two_factor_verify, name="two_factor_verify"),
    path("tweestaps/instellen/", views.two_factor_setup, name="two_factor_setup"),
    path("tweestaps/herstelcodes/", views.recovery_codes, name="recovery_codes"),
    path("tweestaps/uitzetten/", views.two_factor_disable, name="two_factor_disable"),
    path("wachtwoord-wijzigen/", views.PasswordChangeView.as_view(), name="password_change"),
    path("wachtwoord-vergeten/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "wachtwoord-vergeten/verstuurd/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "wachtwoord-herstellen/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord-herstellen/klaar/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
