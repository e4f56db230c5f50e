"""Structured logs: one record per request and per task, no personal data (the JSON line of
a real production server is tested in test_production.py)."""

import json
import logging
import uuid

import pytest

from socialebasis.accounts import tasks
from socialebasis.ops.logs import PrivacyFilter, logging_config
from socialebasis.testing.personas import login_as

pytestmark = pytest.mark.django_db


def json_line(record: logging.LogRecord) -> dict:
    """The record as the production handler writes it."""
    config = logging_config("json", "WARNING")["formatters"]["json"]
    formatter_class = config.pop("()")
    from django.utils.module_loading import import_string

    formatter = import_string(formatter_class)(**config)
    PrivacyFilter().filter(record)
    return json.loads(formatter.format(record))


def request_records(caplog):
    return [r for r in caplog.records if r.name == "socialebasis.request"]


def test_a_request_is_one_record_with_its_fields(client, caplog):
    caplog.set_level(logging.INFO, logger="socialebasis.request")
    response = client.get("/zoeken/?q=jan%40example.nl", HTTP_X_REQUEST_ID="abc-123")
    assert response["X-Request-ID"] == "abc-123"
    (record,) = request_records(caplog)
    line = json_line(record)
    assert {k: line[k] for k in ("method", "path", "status", "request_id", "user_id")} == {
        "method": "GET",
        "path": "/zoeken/",
        "status": 200,
        "request_id": "abc-123",
        "user_id": None,
    }
    assert line["duration_ms"] >= 0 and line["level"] == "INFO" and "time" in line
    assert "example.nl" not in json.dumps(line)


def test_the_user_is_logged_by_id_never_by_e_mail(client, caplog, personas):
    login_as(client, personas.resident)
    caplog.set_level(logging.INFO, logger="socialebasis.request")
    client.get("/account/")
    line = json_line(request_records(caplog)[-1])
    assert line["user_id"] == str(personas.resident.user.pk)
    assert personas.resident.user.email not in json.dumps(line)


def test_a_missing_or_odd_request_id_is_replaced(client, caplog):
    caplog.set_level(logging.INFO, logger="socialebasis.request")
    client.get("/", HTTP_X_REQUEST_ID="<script>\n")
    generated = client.get("/")["X-Request-ID"]
    ids = [json_line(r)["request_id"] for r in request_records(caplog)]
    assert len(ids) == 2 and "<script>" not in ids[0] and len(generated) == 32


def test_secret_url_parts_are_not_logged(client, caplog):
    caplog.set_level(logging.INFO, logger="socialebasis.request")
    client.get("/account/e-mail-bevestigen/secret-signed-value-123/")
    line = json_line(request_records(caplog)[-1])
    assert line["path"] == "/account/e-mail-bevestigen/<token>/"


def test_a_task_is_one_record_without_its_arguments(caplog):
    caplog.set_level(logging.INFO, logger="socialebasis.task")
    user_id = str(uuid.uuid4())  # no such user: the task skips it, and finishes
    tasks.send_account_email.enqueue("verify", user_id, "https://secret.example", "nl")
    (record,) = [r for r in caplog.records if r.name == "socialebasis.task"]
    line = json_line(record)
    assert line["task"] == "socialebasis.accounts.tasks.send_account_email"
    assert line["status"] == "SUCCESSFUL" and line["task_id"]
    assert line["duration_ms"] >= 0
    text = json.dumps(line)
    assert user_id not in text and "secret.example" not in text


def test_e_mail_addresses_in_messages_are_replaced():
    record = logging.LogRecord(
        "x", logging.ERROR, __file__, 1, "mail to %s refused", ("jan@example.nl",), None
    )
    record.request = object()  # Django's error records carry the request (its query string)
    line = json_line(record)
    assert line["message"] == "mail to [e-mail] refused"
    assert "request" not in line


def test_log_format_is_checked():
    with pytest.raises(ValueError, match="SB_LOG_FORMAT"):
        logging_config("xml", "INFO")
