"""gunicorn running the Django site, configured by ``socialebasis serve``."""

from gunicorn.app.base import BaseApplication


class Server(BaseApplication):
    """A gunicorn application with its settings given as a dict (no command line parsing)."""

    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from django.core.wsgi import get_wsgi_application

        return get_wsgi_application()
