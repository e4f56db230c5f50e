"""Production mode as a tested path (issue 8): ``collectstatic`` with the production settings
into a temporary STATIC_ROOT, then ``socialebasis serve`` (gunicorn) started for real as a
subprocess on a database of its own, asked for the main pages the way a reverse proxy would
(``X-Forwarded-Proto: https``). One server for the whole module."""

import json
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
import requests

from socialebasis.testing.scratch import ROOT, clean_env, run_python

PROXY = {"X-Forwarded-Proto": "https"}
STYLESHEET = re.compile(
    r'<link rel="stylesheet" href="(/static/vendor/utrecht/index\.[0-9a-f]{12}\.css)">'
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"socialebasis serve exited:\n{log.read_text()[-5000:]}")
        try:
            if requests.get(url + "/healthz", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"socialebasis serve did not answer within 60 s:\n{log.read_text()[-5000:]}")


@pytest.fixture(scope="module")
def production(tmp_path_factory, persona_database):
    """A namespace with ``url``, ``service_id`` and ``log`` (the server's stderr file)."""
    tmp = tmp_path_factory.mktemp("production")
    env = clean_env(
        DATABASE_URL=persona_database.url,
        SB_PRODUCTION="1",
        SB_SECRET_KEY=secrets.token_urlsafe(50),
        SB_AUDIT_KEY=secrets.token_urlsafe(50),
        SB_AUDIT_ANCHOR_FILE=str(tmp / "audit.anchor"),
        SB_ALLOWED_HOSTS="127.0.0.1",
        SB_STATIC_ROOT=str(tmp / "static"),
        SB_TILE_URL="",
    )
    run_python(
        "from socialebasis.cli import main; main(['socialebasis', 'collectstatic', '--noinput'])",
        env,
    )
    port = _free_port()
    log = tmp / "server.log"
    serve = [str(Path(sys.executable).with_name("socialebasis")), "serve"]
    with open(log, "w") as out:
        process = subprocess.Popen(
            [*serve, "--bind", f"127.0.0.1:{port}", "--workers", "2"],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process, log)
        yield SimpleNamespace(url=url, service_id=persona_database.service_id, log=log)
    finally:
        process.terminate()
        process.wait(timeout=30)


def get(production, path, **headers):
    return requests.get(
        production.url + path, headers={**PROXY, **headers}, timeout=20, allow_redirects=False
    )


MAIN_PAGES = ["/", "/zoeken/?q=buurtkamer", "/account/inloggen/", "/en/", "/en/zoeken/?q=help"]


@pytest.mark.parametrize("path", MAIN_PAGES)
def test_main_pages_answer_200_in_production(production, path):
    response = get(production, path)
    assert response.status_code == 200, response.text[:2000]
    assert STYLESHEET.search(response.text), "the stylesheet link is not a hashed static file"


def test_service_page_answers_200_in_production(production):
    response = get(production, f"/diensten/{production.service_id}/")
    assert response.status_code == 200, response.text[:2000]


def test_stylesheet_is_served_hashed_compressed_and_cached(production):
    href = STYLESHEET.search(get(production, "/").text).group(1)
    plain = get(production, href, **{"Accept-Encoding": "identity"})
    assert plain.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert int(plain.headers["Content-Length"]) > 400_000  # the 406 kB stylesheet
    gzipped = get(production, href, **{"Accept-Encoding": "gzip, deflate"})
    assert gzipped.headers["Content-Encoding"] == "gzip"
    assert int(gzipped.headers["Content-Length"]) < 60_000
    assert gzipped.content == plain.content  # requests decompresses: the same stylesheet
    assert "immutable" in gzipped.headers["Cache-Control"]


def test_plain_http_is_redirected_to_https(production):
    response = requests.get(production.url + "/", timeout=10, allow_redirects=False)
    assert response.status_code == 301
    assert response.headers["Location"].startswith("https://127.0.0.1")


def test_probes_answer_over_plain_http_and_any_host(production):
    """A load balancer probes the process directly: plain HTTP, its IP address as Host."""
    for path, body in [("/healthz", {"status": "ok"}), ("/readyz", {"status": "ready"})]:
        response = requests.get(
            production.url + path, headers={"Host": "10.1.2.3"}, timeout=10, allow_redirects=False
        )
        assert response.status_code == 200, response.text
        assert response.json() == body
    # Pages keep the host check.
    assert get(production, "/", Host="evil.example").status_code == 400


def test_unknown_page_is_the_dutch_404_in_the_site_frame(production):
    response = get(production, "/bestaat-niet/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.text
    assert STYLESHEET.search(response.text)
    english = get(production, "/en/does-not-exist/")
    assert english.status_code == 404
    assert "Page not found" in english.text


def test_each_request_is_one_json_log_line_without_personal_data(production):
    request_id = "probe-" + secrets.token_hex(8)
    get(production, "/zoeken/?q=jan.jansen%40example.nl+schuldhulp", **{"X-Request-ID": request_id})
    time.sleep(0.3)  # the line is written after the response
    lines = [line for line in production.log.read_text().splitlines() if request_id in line]
    assert len(lines) == 1, lines
    record = json.loads(lines[0])
    assert record["logger"] == "socialebasis.request"
    assert record["method"] == "GET"
    assert record["path"] == "/zoeken/"
    assert record["status"] == 200
    assert record["request_id"] == request_id
    assert record["user_id"] is None
    assert isinstance(record["duration_ms"], float)
    assert "example.nl" not in lines[0] and "schuldhulp" not in lines[0]


def test_the_server_log_is_json_lines_only(production):
    """gunicorn's own messages too: a log collector reads one format."""
    lines = [line for line in production.log.read_text().splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]
    assert any(
        r["logger"] == "gunicorn.error" and "Booting worker" in r["message"] for r in records
    )


def test_serve_refuses_to_start_without_collectstatic(tmp_path):
    env = clean_env(
        SB_PRODUCTION="1",
        SB_SECRET_KEY=secrets.token_urlsafe(50),
        SB_AUDIT_KEY=secrets.token_urlsafe(50),
        SB_STATIC_ROOT=str(tmp_path / "empty"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'unused.sqlite3'}",
    )
    serve = [str(Path(sys.executable).with_name("socialebasis")), "serve", "--bind", "127.0.0.1:1"]
    done = subprocess.run(serve, env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "collectstatic" in done.stderr and "manifest" in done.stderr


def test_serve_help_names_its_settings():
    serve = [str(Path(sys.executable).with_name("socialebasis")), "serve", "--help"]
    done = subprocess.run(serve, env=clean_env(), capture_output=True, text=True, check=True)
    for word in ("--bind", "--workers", "SB_BIND", "SB_WEB_CONCURRENCY", "/healthz"):
        assert word in done.stdout
