"""Browser test of issue 3: a social worker logs in with a TOTP code, opens a resident's
file, and the resident then sees that visit on their "who looked at my file" page.

The personas come from ``socialebasis seed-personas`` (run by the e2e server fixture): known
password, and TOTP keys derived from the persona key, so the test computes the code an
authenticator app would show.
"""

import re
import time

from django_otp.oath import totp
from playwright.sync_api import expect

from socialebasis.testing.personas import EMAIL_DOMAIN, PERSONA_PASSWORD, totp_key
from tests.e2e.conftest import axe_violations


def _email(key: str) -> str:
    return f"{key.replace('_', '-')}@{EMAIL_DOMAIN}"


_LAST_STEP: dict[str, int] = {}


def _code(key: str) -> str:
    """The persona's current code. A code counts once: when this process already used the
    current 30-second step for ``key``, the next step's code is given (accepted within the
    device's tolerance of one step), and after that it waits for a new step."""
    now = int(time.time()) // 30
    step = max(now, _LAST_STEP.get(key, -1) + 1)
    while step > now + 1:
        time.sleep(1)
        now = int(time.time()) // 30
    _LAST_STEP[key] = step
    return f"{totp(bytes.fromhex(totp_key(key)), drift=step - now):06d}"


def _log_in(page, key: str) -> None:
    page.get_by_label("E-mailadres").fill(_email(key))
    page.get_by_label("Wachtwoord", exact=True).fill(PERSONA_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def test_social_worker_logs_in_with_totp_and_resident_sees_the_visit(new_page):
    worker = new_page()
    # The list of files needs a login; the login page remembers where the worker was going.
    worker.goto("/dossiers/")
    expect(worker).to_have_url(re.compile(r"/account/inloggen/\?next=/dossiers/$"))
    _log_in(worker, "social_worker")

    # The password alone is not enough: the code step.
    expect(worker).to_have_url(re.compile(r"/account/tweestaps/code/$"))
    expect(worker.get_by_role("heading", level=1)).to_have_text("Code invullen")
    assert axe_violations(worker) == []
    worker.get_by_label("Code", exact=True).fill("000000")
    worker.get_by_role("button", name="Doorgaan").click()
    expect(worker.locator("#error-summary")).to_contain_text("klopt niet")
    worker.wait_for_timeout(1100)  # django-otp waits a second after a wrong code
    worker.get_by_label("Code", exact=True).fill(_code("social_worker"))
    worker.get_by_role("button", name="Doorgaan").click()

    # Logged in and verified: the list, then Fatima's file.
    expect(worker).to_have_url(re.compile(r"/dossiers/$"))
    expect(worker.get_by_role("link", name="Mijn account")).to_be_visible()
    worker.get_by_role("link", name="Fatima Yilmaz").click()
    expect(worker).to_have_url(re.compile(r"/dossiers/[0-9a-f-]{36}/$"))
    expect(worker.get_by_role("heading", level=1)).to_contain_text("Fatima")

    # Fatima logs in (no two-factor for her) and looks who opened her file.
    resident = new_page()
    resident.goto("/account/inloggen/")
    _log_in(resident, "resident")
    expect(resident).to_have_url(re.compile(r"/account/$"))
    resident.goto("/mijn-gegevens/wie-keek/")
    rows = resident.locator("#who-looked tbody tr")
    visit = rows.filter(has_text="Sanne Willems")
    expect(visit).to_have_count(1)
    expect(visit).to_contain_text("Dossier bekeken")
    expect(visit).to_contain_text("Sociaal werker")
    assert axe_violations(resident) == []
    resident.screenshot(path="/tmp/e2e-who-looked.png", full_page=True)

    # Logging out through the header button ends the worker's session.
    worker.get_by_role("button", name="Uitloggen").click()
    worker.goto("/dossiers/")
    expect(worker).to_have_url(re.compile(r"/account/inloggen/"))
