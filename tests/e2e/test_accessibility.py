"""axe-core (WCAG 2.1 A and AA) on every main page of the social map, with the real data: no
violations allowed. The detail pages are found by following links from a real search."""

import json
import re

import pytest

from tests.e2e.conftest import axe_violations
from tests.e2e.helpers import expect_htmx_swap, marker_titles, status_total, wait_for_map


@pytest.fixture(scope="module")
def detail_urls(browser, server_url):
    """Paths of a real service, its organisation, its location and that location's
    neighbourhood and district, found the way a resident would: search "buurtkamer" in
    De Baarsjes, follow the links."""
    context = browser.new_context(base_url=server_url)
    page = context.new_page()
    try:
        page.goto("/zoeken/?q=buurtkamer&near=De+Baarsjes")
        card = page.locator(".sb-result", has_text="Buurtkamer Corantijn")
        service = card.locator("h3 a").get_attribute("href")
        location = card.locator("a[href*='/locaties/']").get_attribute("href")
        page.goto(service)
        organization = page.locator(".utrecht-paragraph--lead a").get_attribute("href")
        page.goto(location)
        neighbourhood = page.locator("#neighbourhood-link").get_attribute("href")
        district = page.locator("a[href*='/gebieden/wijken/']").first.get_attribute("href")
    finally:
        context.close()
    return {
        "service": service,
        "organization": organization,
        "location": location,
        "neighbourhood": neighbourhood,
        "district": district,
    }


def assert_no_violations(page, screenshot: str | None = None):
    if page.locator(".sb-map").count():
        wait_for_map(page, ".sb-map")
    if screenshot:
        page.screenshot(path=f"/tmp/e2e-{screenshot}.png", full_page=True)
    violations = axe_violations(page)
    assert violations == [], f"axe on {page.url}:\n{json.dumps(violations, indent=2)}"


PAGES = {
    "home": "/",
    "results": "/zoeken/?q=eenzaam&near=1055",
    "results-filtered": "/zoeken/?q=eenzaam&near=1055&theme=eenzaamheid&radius=5000&sort=name",
    "search-error": "/zoeken/?q=buurtkamer&near=Nergenshuizen&radius=veel",
    "search-empty": "/zoeken/",
    "areas": "/gebieden/",
    "home-en": "/en/",
    "results-en": "/en/zoeken/?q=buurtkamer&near=De+Baarsjes",
}


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_axe_on_page(page, path):
    response = page.goto(path)
    assert response.status == 200
    assert page.locator("h1").count() == 1
    assert_no_violations(page)


@pytest.mark.parametrize(
    "kind", ["service", "organization", "location", "neighbourhood", "district"]
)
def test_axe_on_detail_page(page, detail_urls, kind):
    response = page.goto(detail_urls[kind])
    assert response.status == 200
    heading = page.locator("h1").inner_text()
    if kind in ("service", "organization", "location"):
        assert "Corantijn" in heading
    elif kind == "neighbourhood":
        assert heading.startswith("Buurt ")
        # The neighbourhood map shows its boundary and a marker per located facility.
        wait_for_map(page)
        assert page.locator("#map path.leaflet-interactive").count() == 1
        facilities = page.locator("#facilities li > a").all_inner_texts()
        assert "Buurtkamer Corantijn" in facilities
        markers = marker_titles(page)
        assert len(markers) == len(json.loads(page.inner_text("#map-data"))["markers"]) > 0
        assert set(markers) <= set(facilities)
    else:
        assert heading == "Wijk Westindische Buurt"
    assert_no_violations(page, screenshot=kind)


def test_axe_after_htmx_updates(page):
    """The page as htmx leaves it (results swapped in, status updated) is accessible too."""
    page.goto("/zoeken/?q=eenzaam&near=1055")
    before = status_total(page)
    page.click("#filters > summary")
    settled = expect_htmx_swap(page)
    page.select_option("#id_theme", "eenzaamheid")
    settled()
    assert status_total(page) < before
    assert re.search(r"theme=eenzaamheid", page.url)
    assert_no_violations(page)
    # The pagination (an htmx link) moves focus to the results heading of the new page.
    settled = expect_htmx_swap(page)
    page.locator("#pagination a[rel=next]").click()
    settled()
    assert re.search(r"[?&]page=2(&|$)", page.url)
    assert page.evaluate("document.activeElement.id") == "results-heading"
    assert "pagina 2 van" in page.inner_text("#results-heading")
    assert_no_violations(page)
