"""Browser test: rectification. The team lead corrects Fatima's phone number on her file's
correction page, and Fatima opens her account details; both forms show their errors in the
error summary with links to the fields, keep what was typed, and pass axe-core. Only values
no other browser test relies on are changed (tests run in random order)."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations
from tests.e2e.test_login_totp import _code, _log_in


def test_team_lead_corrects_the_file(new_page):
    page = new_page()
    page.goto("/dossiers/")
    _log_in(page, "team_lead")
    page.get_by_label("Code", exact=True).fill(_code("team_lead"))
    page.get_by_role("button", name="Doorgaan").click()
    expect(page).to_have_url(re.compile(r"/dossiers/$"))
    page.get_by_role("link", name="Fatima Yilmaz").click()
    page.get_by_role("link", name="Gegevens corrigeren").click()
    expect(page).to_have_url(re.compile(r"/dossiers/[0-9a-f-]{36}/corrigeren/$"))
    assert axe_violations(page) == []

    page.get_by_label("Telefoon").fill("0687654321")
    page.get_by_label("E-mail").fill("geen adres")
    page.get_by_role("button", name="Opslaan").click()
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Vul een geldig e-mailadres in")
    expect(page.get_by_label("Telefoon")).to_have_value("0687654321")  # input kept
    assert axe_violations(page) == []
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("E-mail")).to_be_focused()

    page.get_by_label("E-mail").fill("resident@personas.sociale-basis.test")
    page.get_by_role("button", name="Opslaan").click()
    expect(page).to_have_url(re.compile(r"/dossiers/[0-9a-f-]{36}/$"))
    expect(page.locator("#resident-data")).to_contain_text("0687654321")


def test_resident_opens_her_account_details(new_page):
    page = new_page()
    page.goto("/account/inloggen/")
    _log_in(page, "resident")
    expect(page).to_have_url(re.compile(r"/account/$"))
    page.goto("/mijn-gegevens/account/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn accountgegevens")
    assert axe_violations(page) == []

    page.get_by_label("E-mailadres").fill("fatima@example.org")
    page.get_by_role("button", name="Opslaan").click()
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Vul uw wachtwoord in om uw e-mailadres te wijzigen")
    expect(page.get_by_label("E-mailadres")).to_have_value("fatima@example.org")
    assert axe_violations(page) == []
