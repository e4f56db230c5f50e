"""Settings of the test run: the real settings plus the example app
(``socialebasis.testing.exampleapp``), which proves that a new app wires itself into the
trust layer from its own folder."""

from socialebasis.settings import *  # noqa: F403
from socialebasis.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "socialebasis.testing.exampleapp"]

# Tests run tasks immediately (a test of the worker itself switches to the database backend).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
