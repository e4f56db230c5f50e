"""``socialebasis serve``: the production web server (gunicorn)."""

import copy
import os

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from socialebasis.lib.env import env_int, env_str


def default_workers() -> int:
    """gunicorn's rule of thumb: two workers per CPU core plus one (5 on 2 cores)."""
    return 2 * len(os.sched_getaffinity(0)) + 1


def gunicorn_logging() -> dict:
    """The site's LOGGING (JSON or text, through the privacy filter) for gunicorn's own
    messages too (start, worker boot and timeout), so that the whole stream is one format."""
    config = copy.deepcopy(settings.LOGGING)
    config["loggers"] = {
        **config.get("loggers", {}),
        "gunicorn.error": {"level": "INFO", "handlers": [], "propagate": True},
    }
    return config


class Command(BaseCommand):
    help = (
        "Serve the site with gunicorn, the production web server. Static files come from "
        "STATIC_ROOT through WhiteNoise (run 'collectstatic' first in production: the command "
        "refuses to start without its manifest). Put a reverse proxy with TLS in front "
        "(docs/deploy.md). Environment: SB_BIND (default 127.0.0.1:8000), SB_WEB_CONCURRENCY "
        "(worker processes, default 2 x CPU cores + 1), SB_WEB_TIMEOUT (seconds a request may "
        "take, default 30). /healthz and /readyz answer a load balancer."
    )
    requires_system_checks = []  # the workers load the site; `check --deploy` is its own step

    def add_arguments(self, parser):
        parser.add_argument(
            "--bind",
            default=env_str("SB_BIND", "127.0.0.1:8000"),
            help="HOST:PORT or unix:PATH to listen on (env SB_BIND; default 127.0.0.1:8000)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=env_int("SB_WEB_CONCURRENCY", default_workers()),
            help="worker processes (env SB_WEB_CONCURRENCY; default 2 x CPU cores + 1)",
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=env_int("SB_WEB_TIMEOUT", 30),
            help="seconds before a silent worker is restarted (env SB_WEB_TIMEOUT; default 30)",
        )

    def handle(self, *args, bind, workers, timeout, **options):
        if workers < 1:
            raise CommandError(f"--workers/SB_WEB_CONCURRENCY must be at least 1, not {workers}")
        self._check_static_files()
        connections.close_all()  # no database connection may be shared with forked workers
        from socialebasis.ops.server import Server

        Server(
            {
                "bind": bind,
                "workers": workers,
                "timeout": timeout,
                "graceful_timeout": timeout,
                "proc_name": "socialebasis",
                # Requests are logged by the application (socialebasis.request), not twice.
                "accesslog": None,
                "logconfig_dict": gunicorn_logging(),
            }
        ).run()

    def _check_static_files(self) -> None:
        """With the manifest storage (production), pages fail without collectstatic's
        manifest: refuse to start instead of answering 500 on every page."""
        if not isinstance(staticfiles_storage, ManifestFilesMixin):
            return
        manifest = staticfiles_storage.path(staticfiles_storage.manifest_name)
        if not os.path.exists(manifest):
            raise CommandError(
                f"No static files manifest at {manifest}: run 'socialebasis collectstatic "
                f"--noinput' first (STATIC_ROOT={settings.STATIC_ROOT})."
            )
