"""The error report ("Klopt er iets niet?") from a service page, and the English version."""

import json
import re
from urllib.parse import parse_qs, urlparse

from tests.e2e.conftest import axe_violations
from tests.e2e.helpers import (
    assert_focus_visible,
    expect_htmx_swap,
    is_focused,
    status_total,
    tab_to,
)


def test_report_an_error_from_a_service_page(page):
    page.goto("/zoeken/?q=buurtkamer&near=De+Baarsjes")
    page.locator(".sb-result h3 a", has_text="Buurtkamer Corantijn").click()
    page.wait_for_url(re.compile(r"/diensten/[0-9a-f-]{36}/$"))
    service_path = page.url.removeprefix(page.url.split("/diensten/")[0])
    service_name = page.locator("h1").inner_text().strip()
    assert service_name == "Buurtkamer Corantijn"

    page.locator("#report-link").click()
    page.wait_for_url(re.compile(r"/melden/\?service=[0-9a-f-]{36}$"))
    assert page.locator("h1").inner_text() == "Klopt er iets niet?"
    subject = page.locator(".utrecht-paragraph--lead a")
    assert subject.inner_text() == service_name
    assert subject.get_attribute("href") == service_path

    # Empty: the errors are shown (summary first, focusable, and at each field).
    page.get_by_role("button", name="Melding versturen").click()
    page.wait_for_load_state()
    assert page.title().startswith("Fout: Klopt er iets niet?")
    assert page.url.endswith("/melden/?service=" + service_path.split("/")[-2])
    summary = page.locator("#error-summary")
    assert summary.locator("h2").inner_text() == "Controleer wat u invulde"
    assert summary.locator("li").count() == 2
    for field in ("reporter_name", "message"):
        assert page.inner_text(f"#id_{field}_error") == "Dit veld is vereist."
        control = page.locator(f"#id_{field}")
        assert control.get_attribute("aria-invalid") == "true"
        assert f"id_{field}_error" in control.get_attribute("aria-describedby")
    assert page.locator("#id_reporter_email_error").count() == 0
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2)
    page.screenshot(path="/tmp/e2e-report-errors.png", full_page=True)

    # By keyboard from here: focus is on the error summary; its first link leads to the field.
    assert is_focused(page, "#error-summary", timeout_ms=5_000)
    page.keyboard.press("Tab")
    assert assert_focus_visible(page)["text"] == "Uw naam: Dit veld is vereist."
    page.keyboard.press("Enter")
    assert is_focused(page, "#id_reporter_name")
    # Name and message typed, e-mail address wrong: only that error, everything typed is kept.
    message = "Het telefoonnummer klopt niet.\nDe buurtkamer is op maandag gesloten."
    page.keyboard.type("Jan de Vries")
    page.keyboard.press("Tab")
    assert is_focused(page, "#id_message")
    page.keyboard.type(message)
    page.keyboard.press("Tab")
    assert is_focused(page, "#id_reporter_email")
    page.keyboard.type("jan@voorbeeld")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # Enter in a text box submits the form
    assert is_focused(page, "#error-summary", timeout_ms=5_000)
    assert page.locator("#error-summary li").count() == 1
    assert "e-mailadres" in page.inner_text("#id_reporter_email_error").lower()
    assert page.input_value("#id_reporter_name") == "Jan de Vries"
    assert page.input_value("#id_message") == message
    assert page.input_value("#id_reporter_email") == "jan@voorbeeld"

    # Corrected and sent by keyboard (Enter on the focused button): the thank-you page.
    page.fill("#id_reporter_email", "jan@voorbeeld.nl")
    tab_to(page, "#report-form button[type=submit]", max_steps=10)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/melden/bedankt/\?service=[0-9a-f-]{36}$"))
    assert page.locator("h1").inner_text() == "Bedankt voor uw melding"
    back = page.get_by_role("link", name=f"Terug naar {service_name}")
    assert back.get_attribute("href") == service_path
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2)
    back.click()
    page.wait_for_url(re.compile(re.escape(service_path) + "$"))
    assert page.locator("h1").inner_text().strip() == service_name


def test_english_version_via_the_language_switch(page):
    page.goto("/zoeken/?q=eenzaam&near=1055")
    unfiltered_total = status_total(page)
    # A filter chosen with htmx (no page load) must survive the switch to English.
    page.click("#filters > summary")
    settled = expect_htmx_swap(page)
    page.select_option("#id_theme", "eenzaamheid")
    settled()
    dutch_total = status_total(page)
    assert dutch_total < unfiltered_total
    dutch_titles = page.locator("#results h3").all_inner_texts()
    dutch_query = parse_qs(urlparse(page.url).query)

    # By keyboard: Shift+Tab from the theme back up to the "English" button, Enter.
    switch = tab_to(page, "header button[name=language]", max_steps=8, key="Shift+Tab")[-1]
    assert switch["text"] == "English"
    assert page.get_attribute("header button[name=language]", "lang") == "en"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/en/zoeken/\?"))
    assert parse_qs(urlparse(page.url).query) == dutch_query
    assert page.input_value("#id_theme") == "eenzaamheid"
    assert page.get_attribute("html", "lang") == "en"
    assert page.locator("h1").inner_text() == "Search the social map"
    assert page.locator("label[for=id_q]").inner_text() == "What are you looking for?"
    assert page.locator("label[for=id_near]").inner_text() == "Where?"
    status = page.inner_text("#result-status").strip()
    assert status == f"{dutch_total} results within 2 km of 1055"
    assert page.locator("#results h3").all_inner_texts() == dutch_titles  # same data
    assert page.locator("#results h3 a").first.get_attribute("href").startswith("/en/diensten/")
    page.screenshot(path="/tmp/e2e-english.png")

    # Pages followed from here stay English; the home page too.
    page.goto("/en/")
    assert page.locator("h1").inner_text() == (
        "Find help, company and activities in your neighbourhood"
    )
    assert page.get_by_role("link", name="Skip to content").count() == 1

    # And back to Dutch with the switch, now labelled "Nederlands".
    button = page.locator("header button[name=language]")
    assert button.inner_text() == "Nederlands"
    tab_to(page, "header button[name=language]", max_steps=8)
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(r"127\.0\.0\.1:\d+/$"))
    assert page.get_attribute("html", "lang") == "nl"
    assert page.locator("h1").inner_text() == "Vind hulp, ontmoeting en activiteiten in uw buurt"
