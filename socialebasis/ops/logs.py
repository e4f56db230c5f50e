"""Structured logs: one line per request and per background task, without personal data.

``SB_LOG_FORMAT=json`` (default in production) writes each record as one JSON object on a
line (python-json-logger), ``text`` (default in development) as readable text. The records:

- ``socialebasis.request`` (INFO), one per request, from ``middleware.request_log`` (the
  second middleware): ``method``, ``path`` (never the query string, where searches and form
  input travel; secret URL parts such as password-reset tokens replaced by ``<token>``), ``status``,
  ``duration_ms``, ``request_id`` (the ``X-Request-ID`` header when it is a plain token of at
  most 100 characters, else a new UUID; also sent back as ``X-Request-ID``) and ``user_id``
  (the account's UUID, when the request already loaded its user; never the e-mail).
- ``socialebasis.task`` (INFO, WARNING when failed), one per finished task, from the
  django-tasks ``task_finished`` signal: ``task`` (its dotted path), ``task_id``, ``status``,
  ``duration_ms``. Never the task's arguments.

Every record passes ``PrivacyFilter``: it adds the current ``request_id``, drops the
``request`` object Django attaches to its own error records (its text holds the query
string) and replaces e-mail addresses in messages (an SMTP error names the recipient).
"""

import contextvars
import logging
import re
import uuid

from django.utils.functional import empty

REQUEST_ID = contextvars.ContextVar("request_id", default="-")
SECRET_URL_KWARGS = ("token", "uidb64")
_REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")

request_logger = logging.getLogger("socialebasis.request")
task_logger = logging.getLogger("socialebasis.task")


class PrivacyFilter(logging.Filter):
    """Adds ``request_id``; removes personal data Django or a library may put in a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):  # the request line brings its own
            record.request_id = REQUEST_ID.get()
        record.__dict__.pop("request", None)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed call; the handler reports it
            return True
        if "@" in message:
            record.msg, record.args = _EMAIL.sub("[e-mail]", message), None
        return True


def request_id_from(header: str | None) -> str:
    if header and _REQUEST_ID_PATTERN.match(header):
        return header
    return uuid.uuid4().hex


def logged_path(request) -> str:
    """The path without query string, secret URL parts replaced by ``<name>``."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    for name in SECRET_URL_KWARGS:
        value = match.kwargs.get(name) if match else None
        if value:
            path = path.replace(str(value), f"<{name}>")
    return path


def loaded_user_id(request) -> str | None:
    """The user's id if this request already loaded its user: logging must not add a
    session and user query to requests that never needed them."""
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return str(user.pk) if user.is_authenticated else None


def log_task_finished(sender, task_result, **kwargs) -> None:
    """One ``socialebasis.task`` record per finished task (django-tasks signal)."""
    started, finished = task_result.started_at, task_result.finished_at
    duration_ms = (
        round((finished - started).total_seconds() * 1000, 1) if started and finished else None
    )
    status = str(getattr(task_result.status, "value", task_result.status))
    fields = {
        "task": task_result.task.module_path,
        "task_id": str(task_result.id),
        "status": status,
        "duration_ms": duration_ms,
    }
    level = logging.WARNING if status == "FAILED" else logging.INFO
    task_logger.log(level, "task %s %s", fields["task"], status, extra=fields)


def connect_task_signals() -> None:
    from django_tasks.signals import task_finished

    task_finished.connect(log_task_finished, dispatch_uid="socialebasis.ops.task_log")


def logging_config(log_format: str, level: str) -> dict:
    """The ``LOGGING`` setting: everything to stderr through ``PrivacyFilter``, as JSON
    lines (``json``) or text (``text``); ValueError for another format."""
    if log_format not in {"json", "text"}:
        raise ValueError(f"SB_LOG_FORMAT={log_format!r}: use json or text")
    formatters = {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"privacy": {"()": "socialebasis.ops.logs.PrivacyFilter"}},
        "formatters": {log_format: formatters[log_format]},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["privacy"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # The request and task lines are the access log: always on.
            "socialebasis.request": {"level": "INFO"},
            "socialebasis.task": {"level": "INFO"},
            # 4xx are in the request line already; keep Django's 5xx reports (traceback).
            "django.request": {"level": "ERROR"},
        },
    }
