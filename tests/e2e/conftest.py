"""Browser tests: Playwright drives Debian's Chromium against a real server process.

The server runs ``manage.py runserver --noreload`` on a free port with its own database,
loaded once per session with the real Amsterdam data (CBS areas of GM0363 and the Amsterdam
importers): a SQLite file in a temp dir, or, when DATABASE_URL points at PostgreSQL, a
throwaway database next to it (dropped afterwards, also when loading fails).

Chromium: ``SB_CHROMIUM`` names the browser to use; when it is set, it is the only candidate
(a wrong path is reported, never silently replaced by another browser). Otherwise ``chromium``
or ``chromium-browser`` on PATH, then Debian's /usr/bin/chromium. Without a browser the tests
are skipped, unless SB_REQUIRE_BROWSER=1 (CI), which turns "browser not found" into an error
of every browser test (pytest exits non-zero).
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
AXE = ROOT / "static" / "vendor" / "axe-core" / "axe.min.js"
LOAD_DATA = """
import io, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialebasis.settings")
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("import_cbs", "--municipality", "GM0363", stdout=io.StringIO())
call_command("import_amsterdam", stdout=io.StringIO())
call_command("seed_personas", stdout=io.StringIO())  # the test personas (tests/e2e/test_login_totp.py)
"""


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def _chromium() -> str | None:
    explicit = os.environ.get("SB_CHROMIUM", "").strip()
    if explicit:
        return shutil.which(explicit)
    for name in ["chromium", "chromium-browser", *CHROMIUM_CANDIDATES]:
        path = shutil.which(name)
        if path:
            return path
    return None


def _require_chromium() -> str:
    """The Chromium to use; skips (or fails with SB_REQUIRE_BROWSER=1) when there is none."""
    path = _chromium()
    if path:
        return path
    explicit = os.environ.get("SB_CHROMIUM", "").strip()
    reason = (
        f"SB_CHROMIUM={explicit!r} is not an executable"
        if explicit
        else "Chromium not found (install Debian's chromium or set SB_CHROMIUM)"
    )
    if os.environ.get("SB_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}; SB_REQUIRE_BROWSER=1 makes this a failure", pytrace=False)
    pytest.skip(f"{reason}; browser tests skipped")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _e2e_database_url(tmp: Path) -> tuple[str, callable]:
    """A database URL for the server and a function that drops it afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parsed = urlparse(url)
        name = f"{parsed.path.lstrip('/') or 'sb'}_e2e_{os.getpid()}"
        admin = urlunparse(parsed._replace(path="/postgres"))

        def run_sql(sql):
            import psycopg

            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(sql)

        run_sql(f'DROP DATABASE IF EXISTS "{name}"')
        run_sql(f'CREATE DATABASE "{name}"')
        return urlunparse(parsed._replace(path=f"/{name}")), lambda: run_sql(
            f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
        )
    return f"sqlite:///{tmp / 'e2e.sqlite3'}", lambda: None


@pytest.fixture(scope="session")
def server_url(tmp_path_factory):
    """Base URL of a running server with the real Amsterdam data."""
    _require_chromium()  # no browser: skip (or fail) before spending time on data
    tmp = tmp_path_factory.mktemp("e2e")
    database_url, drop = _e2e_database_url(tmp)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SB_TILE_URL": "",  # offline: the map draws markers on a plain background
        "SB_DEBUG": "1",  # runserver serves the static files
        "SB_PRODUCTION": "0",
        "SB_GEOCODER": "offline",
        "PYTHONUNBUFFERED": "1",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    log_path = tmp / "server.log"
    process = None
    log = None
    try:
        # migrate + import_cbs --municipality GM0363 + import_amsterdam, in one process
        # (Django starts once: ~2.5 s less than three manage.py runs).
        done = subprocess.run(
            [sys.executable, "-c", LOAD_DATA], env=env, cwd=ROOT, capture_output=True, text=True
        )
        if done.returncode != 0:
            raise RuntimeError(
                f"loading the e2e data failed ({done.returncode}):\n"
                f"{done.stdout[-3000:]}\n{done.stderr[-5000:]}"
            )
        port = _free_port()
        log = open(log_path, "w")  # noqa: SIM115  (closed below)
        process = subprocess.Popen(
            [*manage, "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{port}"],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"runserver exited:\n{log_path.read_text()}")
            try:
                urllib.request.urlopen(url + "/", timeout=2)  # noqa: S310 (local server)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"runserver did not answer in 30 s:\n{log_path.read_text()}"
                    ) from None
                time.sleep(0.1)
        yield url
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if log is not None:
            log.close()
        drop()


@pytest.fixture(scope="session")
def browser():
    path = _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, server_url):
    """Factory for pages in fresh contexts (options: java_script_enabled=False, locale, ...).

    Each page records uncaught JavaScript errors, console errors (CSP violations among them) and
    5xx responses; the test errors at teardown if there were any, so a broken script, a blocked
    inline style or a server error never passes unnoticed.
    """
    contexts = []
    problems: list[str] = []

    def make(**options):
        settings = {
            "base_url": server_url,
            "locale": "nl-NL",
            "timezone_id": "Europe/Amsterdam",
            "viewport": {"width": 1280, "height": 900},
            # No smooth scrolling: a focused element is in view as soon as it has focus.
            "reduced_motion": "reduce",
            **options,
        }
        context = browser.new_context(**settings)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
        page.on(
            "console",
            lambda message: (
                problems.append(f"console {message.type}: {message.text} ({page.url})")
                if message.type == "error"
                else None
            ),
        )
        page.on(
            "response",
            lambda response: (
                problems.append(f"HTTP {response.status} for {response.url}")
                if response.status >= 500
                else None
            ),
        )
        return page

    yield make
    for context in contexts:
        context.close()
    assert not problems, "\n".join(problems)


@pytest.fixture
def page(new_page):
    return new_page()


def axe_violations(page) -> list[dict]:
    """Run axe-core (vendored) on the page; returns violations (WCAG 2.0/2.1 A and AA).

    axe is evaluated through the DevTools protocol rather than a <script> tag, so the tests need
    no CSP bypass and a strict Content-Security-Policy stays in force during the browser tests.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]
