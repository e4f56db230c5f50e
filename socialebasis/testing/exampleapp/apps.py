"""An example sphere app, installed only in the test settings (``socialebasis.settings_test``).

It proves that a new app plugs into the trust layer from its own files alone: this folder
declares a model linked to a resident's file, its audit event, its retention policy and
export section, a consent purpose, a protected model and a route, and touches no file
outside it (``docs/add-an-app.md`` walks through the same steps).
"""

from django.apps import AppConfig


class ExampleAppConfig(AppConfig):
    name = "socialebasis.testing.exampleapp"
    label = "exampleapp"
    verbose_name = "Voorbeeld"
    urls = [("voorbeeld/", "socialebasis.testing.exampleapp.urls")]

    def ready(self) -> None:
        from socialebasis.testing.exampleapp import trust  # noqa: F401
