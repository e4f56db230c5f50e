"""Browser test: a privacy officer narrows the list of files she may open by name and by
neighbourhood (``/dossiers/``), by keyboard-usable form controls, with axe-core on the page,
at desktop and phone width. Screenshots: /tmp/e2e-dossiers-1280.png, /tmp/e2e-dossiers-375.png.
"""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations
from tests.e2e.test_login_totp import _code, _log_in


def _logged_in_privacy_officer(page):
    page.goto("/dossiers/")
    _log_in(page, "privacy_officer")
    page.get_by_label("Code", exact=True).fill(_code("privacy_officer"))
    page.get_by_role("button", name="Doorgaan").click()
    expect(page).to_have_url(re.compile(r"/dossiers/$"))


def test_privacy_officer_filters_the_list_of_files(new_page):
    page = new_page()
    _logged_in_privacy_officer(page)
    files = page.locator("#residents li")
    expect(files.filter(has_text="Fatima Yilmaz")).to_have_count(1)
    expect(files.filter(has_text="Kees van Dam")).to_have_count(1)
    assert axe_violations(page) == []
    page.screenshot(path="/tmp/e2e-dossiers-1280.png", full_page=True)

    page.get_by_label("Naam").fill("kees")
    page.get_by_role("button", name="Zoeken").click()
    expect(files).to_have_count(1)
    expect(files.first).to_contain_text("Kees van Dam")
    expect(page.get_by_label("Naam")).to_have_value("kees")  # what was typed stays

    page.get_by_role("link", name="Filters wissen").click()
    kolenkit = page.locator("#id_buurt option", has_text="Kolenkit").first.inner_text()
    page.get_by_label("Buurt").select_option(label=kolenkit)
    page.get_by_role("button", name="Zoeken").click()
    expect(files.filter(has_text="Kees")).to_have_count(0)
    expect(files.filter(has_text="Fatima Yilmaz")).to_have_count(1)

    page.get_by_label("Buurt").select_option(label="Alle buurten")
    page.get_by_label("Naam").fill("niemand")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.locator("#residents-empty")).to_have_text(
        "Geen dossiers gevonden met deze zoekopdracht."
    )
    assert axe_violations(page) == []

    # The same page at phone width (a TOTP code counts once, so no second login).
    page.set_viewport_size({"width": 375, "height": 800})
    page.get_by_role("link", name="Filters wissen").click()
    expect(page.get_by_label("Naam")).to_be_visible()
    assert axe_violations(page) == []
    page.screenshot(path="/tmp/e2e-dossiers-375.png", full_page=True)
