"""Browser test: a privacy officer records a consent on Fatima's behalf; Fatima logs in,
sees the unread count in the header, reads the notification, opens it (it takes her to her
consents), and chooses which notifications she also gets by mail. axe-core on every page,
at desktop and phone width. Screenshots: /tmp/e2e-meldingen-1280.png,
/tmp/e2e-meldingen-375.png, /tmp/e2e-meldingen-instellingen-375.png.
"""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations
from tests.e2e.test_login_totp import _log_in
from tests.e2e.test_resident_list import _logged_in_privacy_officer


def _officer_withdraws_fatimas_consent(page):
    _logged_in_privacy_officer(page)
    page.locator("#residents").get_by_role("link", name=re.compile("Fatima Yilmaz")).click()
    page.locator("#consent-on-behalf").click()
    page.get_by_label("Doel").select_option(label="Mijn sociaal werker mag mijn netwerk zien")
    page.get_by_label("Wat legt u vast?").select_option(label="De inwoner trekt toestemming in")
    page.get_by_label("Reden").fill("Telefonisch op haar verzoek")
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.locator(".utrecht-alert").first).to_be_visible()


def test_a_resident_reads_what_was_done_on_her_behalf(new_page):
    _officer_withdraws_fatimas_consent(new_page())

    page = new_page()
    page.goto("/meldingen/")
    _log_in(page, "resident")
    expect(page).to_have_url(re.compile(r"/meldingen/$"))
    badge = page.get_by_role("navigation", name="Hoofdmenu").locator(".sb-badge")
    expect(badge).to_contain_text("1")
    item = page.locator("li.sb-notification--unread")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Mijn sociaal werker mag mijn netwerk zien")
    assert axe_violations(page) == []
    page.screenshot(path="/tmp/e2e-meldingen-1280.png", full_page=True)

    page.set_viewport_size({"width": 375, "height": 800})
    assert axe_violations(page) == []
    page.screenshot(path="/tmp/e2e-meldingen-375.png", full_page=True)

    item.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/mijn-gegevens/toestemmingen/$"))
    expect(page.get_by_role("navigation", name="Hoofdmenu").locator(".sb-badge")).to_have_count(0)

    page.goto("/meldingen/")
    page.get_by_role("link", name="Kies welke meldingen u ook per e-mail krijgt").click()
    box = page.get_by_label("Toestemming namens u vastgelegd")
    expect(box).to_be_checked()
    assert axe_violations(page) == []
    page.screenshot(path="/tmp/e2e-meldingen-instellingen-375.png", full_page=True)
    box.uncheck()
    page.get_by_role("button", name="Keuzes opslaan").click()
    expect(page.locator(".utrecht-alert")).to_contain_text("Uw keuzes zijn opgeslagen.")
    expect(page.get_by_label("Toestemming namens u vastgelegd")).not_to_be_checked()
