from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "socialebasis.api"
    verbose_name = "API"

    def ready(self):
        # Registers the OpenAPI extension of our filters (patterns, lengths, booleans).
        import socialebasis.lib.drf.schemas  # noqa: F401
