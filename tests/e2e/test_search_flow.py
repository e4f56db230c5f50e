"""The main flow of the social map, in Chromium, by keyboard only: search "eenzaam" near 1055
from the home page, see the results on the list and on the map, filter by theme (htmx swaps
the results and pushes a shareable URL), and open a result."""

import re
from urllib.parse import parse_qs, urlparse

from tests.e2e.helpers import (
    assert_focus_visible,
    distance_m,
    expect_htmx_swap,
    focused,
    is_focused,
    located_titles,
    marker_titles,
    result_titles,
    status_total,
    tab_to,
    wait_for_map,
)

THEME = "eenzaamheid"
THEME_NAME = "Eenzaamheid en sociaal contact"


def test_search_filter_and_open_by_keyboard(new_page):
    page = new_page()
    page.goto("/")

    # The first Tab stop is the skip link, visible when focused; Enter moves focus to <main>.
    page.keyboard.press("Tab")
    skip = assert_focus_visible(page)
    assert skip["text"] == "Naar de inhoud" and skip["href"] == "#main"
    page.keyboard.press("Enter")
    assert is_focused(page, "main#main")

    # From <main>, the next stop is "Wat zoekt u?", then "Waar?".
    page.keyboard.press("Tab")
    assert is_focused(page, "#home-search #id_q")
    assert_focus_visible(page)
    page.keyboard.type("eenzaam")
    page.keyboard.press("Tab")
    assert is_focused(page, "#home-search #id_near")
    page.keyboard.type("1055")
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Zoeken"
    page.keyboard.press("Shift+Tab")  # back to "Waar?", the typed text still there
    assert is_focused(page, "#id_near") and page.input_value("#id_near") == "1055"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/zoeken/\?q=eenzaam&near=1055$"))

    # Results on the list ...
    assert page.title().startswith("Zoeken naar “eenzaam”")
    total = status_total(page)
    assert re.search(r"resultaten binnen 2 km van 1055$", page.inner_text("#result-status"))
    titles = result_titles(page)
    assert 0 < len(titles) <= total
    assert page.input_value("#id_q") == "eenzaam" and page.input_value("#id_near") == "1055"
    # ... and on the map: one marker per result with a location, with the same names,
    # plus the searched place.
    wait_for_map(page)
    located = located_titles(page)
    assert located, "no located results to put on the map"
    assert sorted(marker_titles(page)) == sorted(located)
    assert page.locator("#map path.leaflet-interactive").count() == 1  # the red dot: 1055
    page.screenshot(path="/tmp/e2e-search-eenzaam.png")

    # Tab through the form to the filter disclosure; Shift+Tab goes back.
    tab_to(page, "#search-form #id_q", max_steps=12)
    tab_to(page, "#search-form button[type=submit]", max_steps=3)
    page.keyboard.press("Shift+Tab")
    assert is_focused(page, "#search-form #id_near")
    tab_to(page, "#filters > summary", max_steps=3)
    assert not page.locator("#filters").evaluate("d => d.open")
    page.keyboard.press("Space")
    assert page.locator("#filters").evaluate("d => d.open")
    page.keyboard.press("Tab")
    assert is_focused(page, "#id_theme")
    assert_focus_visible(page)

    # ArrowDown picks the first theme; htmx replaces only the results, in place.
    page.locator("#search-form").evaluate("f => { f.sbOriginal = true; }")
    settled = expect_htmx_swap(page)
    page.keyboard.press("ArrowDown")
    settled()
    assert page.input_value("#id_theme") == THEME
    params = parse_qs(urlparse(page.url).query)
    assert params["q"] == ["eenzaam"] and params["near"] == ["1055"]
    assert params["theme"] == [THEME]
    assert page.locator("#search-form").evaluate("f => f.sbOriginal === true")  # not replaced
    assert page.inner_text("#filters > summary") == "Filters (1 actief)"  # updated too
    assert is_focused(page, "#id_theme"), f"focus lost after the swap: {focused(page)}"
    assert_focus_visible(page)

    filtered_total = status_total(page)
    filtered = result_titles(page)
    assert 0 < len(filtered) <= filtered_total < total
    for card in page.locator("#results .sb-result").all():
        assert THEME_NAME in card.locator(".sb-badge").all_inner_texts(), card.inner_text()
    wait_for_map(page)
    assert sorted(marker_titles(page)) == sorted(located_titles(page))
    assert page.title().startswith("Zoeken naar “eenzaam”")
    page.screenshot(path="/tmp/e2e-search-theme.png")
    shared_url = page.url

    # The pushed URL is shareable: loaded directly it shows the same results and filter.
    other = new_page()
    other.goto(shared_url)
    assert result_titles(other) == filtered
    assert status_total(other) == filtered_total
    assert other.input_value("#id_theme") == THEME
    assert other.locator("#filters").evaluate("d => d.open")

    # Back in the first tab: Tab on to the first result and open it with Enter.
    first = page.locator("#result-1-title a")
    first_title = first.inner_text().strip()
    stops = tab_to(page, "#result-1-title a", max_steps=15)
    assert stops[-1]["text"] == first_title
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/diensten/[0-9a-f-]{36}/$"))
    assert page.locator("h1").inner_text().strip() == first_title
    assert THEME_NAME in page.locator("#service .sb-badge").all_inner_texts()

    # Browser Back returns to the filtered results (a full reload of the pushed URL).
    page.go_back()
    page.wait_for_url(shared_url)
    assert result_titles(page) == filtered
    assert page.input_value("#id_theme") == THEME
    # Once more Back undoes the htmx filter: htmx keeps no history cache, so it reloads the
    # previous URL (refreshOnHistoryMiss), and the unfiltered results and form come back.
    with page.expect_event("load"):
        page.go_back()
    assert re.search(r"/zoeken/\?q=eenzaam&near=1055$", page.url)
    assert result_titles(page) == titles
    assert status_total(page) == total
    assert page.input_value("#id_theme") == ""
    wait_for_map(page)
    assert sorted(marker_titles(page)) == sorted(located)


def test_buurtkamer_in_de_baarsjes_shows_nearby_results_with_distances(page):
    page.goto("/")
    page.get_by_role("link", name="buurtkamer bij De Baarsjes").click()
    page.wait_for_url(re.compile(r"/zoeken/\?q=buurtkamer&near=De\+Baarsjes$"))
    status = page.inner_text("#result-status")
    assert re.fullmatch(r"\d+ resultaten binnen 2 km van De Baarsjes", status.strip()), status
    titles = result_titles(page)
    assert len(titles) >= 10
    assert all("buurtkamer" in t.lower() for t in titles), titles
    # Real facilities in and around De Baarsjes, each with a distance within the radius.
    for name in ("Buurtkamer Corantijn", "Buurtkamer Nieuw Vredenburgh"):
        assert name in titles
    distances = [distance_m(d) for d in page.locator("#results .sb-distance").all_inner_texts()]
    assert len(distances) == len(titles)
    assert all(0 <= d <= 2000 for d in distances), distances
    corantijn = page.locator(".sb-result", has_text="Buurtkamer Corantijn")
    assert "Corantijnstraat" in corantijn.inner_text()
    wait_for_map(page)
    assert sorted(marker_titles(page)) == sorted(titles)
    page.screenshot(path="/tmp/e2e-buurtkamer-baarsjes.png", full_page=True)

    # The map is usable by keyboard too: Tab reaches a marker, Enter opens its popup.
    tab_to(page, "#map .leaflet-marker-icon", max_steps=80)
    marker = focused(page)["text"]
    page.keyboard.press("Enter")
    popup = page.locator("#map .leaflet-popup-content")
    popup.wait_for()
    assert popup.locator("a").inner_text() == marker
    assert re.search(r"/diensten/[0-9a-f-]{36}/$", popup.locator("a").get_attribute("href"))


def test_unknown_place_shows_dutch_error_and_keeps_text(page):
    page.goto("/zoeken/")
    page.fill("#id_q", "buurtkamer")
    page.fill("#id_near", "Nergenshuizen")
    settled = expect_htmx_swap(page)
    page.press("#id_near", "Enter")
    settled()

    error = page.locator("#id_near_error")
    assert error.inner_text().strip() == (
        "Plaats 'Nergenshuizen' niet gevonden. Probeer een postcode, buurt of adres."
    )
    # The error sits with the "Waar?" field, which is marked invalid and described by it.
    field = page.locator(".sb-form-field", has=page.locator("#id_near"))
    assert field.locator("label").inner_text() == "Waar?"
    assert field.locator("#id_near_error").count() == 1
    near = page.locator("#id_near")
    assert near.get_attribute("aria-invalid") == "true"
    assert "id_near_error" in near.get_attribute("aria-describedby").split()
    # Everything typed is kept.
    assert near.input_value() == "Nergenshuizen"
    assert page.input_value("#id_q") == "buurtkamer"
    # Focus moves to the error summary, whose link leads to the field.
    assert is_focused(page, "#error-summary", timeout_ms=5_000)
    summary_link = page.locator("#error-summary a")
    assert summary_link.get_attribute("href") == "#id_near"
    assert summary_link.inner_text().startswith("Waar?: Plaats 'Nergenshuizen' niet gevonden")
    assert page.title().startswith("Fout: ")
    assert page.locator("#results .sb-result").count() == 0
    page.screenshot(path="/tmp/e2e-unknown-place.png")

    # Correcting the place by keyboard and pressing Enter shows results again.
    tab_to(page, "#id_near", max_steps=10)
    page.keyboard.press("Control+A")
    page.keyboard.type("De Baarsjes")
    settled = expect_htmx_swap(page)
    page.keyboard.press("Enter")
    settled()
    assert page.locator("#id_near_error").count() == 0
    assert status_total(page) > 0
    assert is_focused(page, "#id_near")  # htmx keeps focus in the field it replaced
    assert parse_qs(urlparse(page.url).query)["near"] == ["De Baarsjes"]


def test_search_works_without_javascript(new_page):
    page = new_page(java_script_enabled=False)
    page.goto("/")
    page.fill("#id_q", "eenzaam")
    page.fill("#id_near", "1055")
    page.press("#id_near", "Enter")
    page.wait_for_url(re.compile(r"/zoeken/\?q=eenzaam&near=1055$"))
    total = status_total(page)
    titles = result_titles(page)
    assert 0 < len(titles) <= total
    # No script ran: the map stays hidden, the list is the content.
    assert not page.locator("#map").is_visible()
    assert page.locator("#map").get_attribute("data-map-ready") is None

    # Filters work as a plain form: open the disclosure, choose a theme, "Toon resultaten".
    page.click("#filters > summary")
    page.select_option("#id_theme", THEME)
    page.get_by_role("button", name="Toon resultaten").click()
    page.wait_for_url(re.compile(r"theme=eenzaamheid"))
    assert 0 < status_total(page) < total
    for card in page.locator("#results .sb-result").all():
        assert THEME_NAME in card.locator(".sb-badge").all_inner_texts()

    # Unknown place without JavaScript: the same error next to the field, text kept.
    page.fill("#id_near", "Nergenshuizen")
    page.press("#id_near", "Enter")
    page.wait_for_url(re.compile(r"near=Nergenshuizen"))
    assert "niet gevonden" in page.inner_text("#id_near_error")
    assert page.input_value("#id_near") == "Nergenshuizen"
    assert is_focused(page, "#error-summary", timeout_ms=5_000)  # autofocus: no script needed
    page.screenshot(path="/tmp/e2e-nojs.png", full_page=True)


def test_quick_arrow_keys_through_themes_end_consistent(new_page):
    """Arrowing quickly through the themes fires a request per option; the page must end on
    the results, URL and status of the option the user stopped at."""
    page = new_page()
    page.goto("/zoeken/?near=1055&radius=5000")
    assert page.locator("#filters").evaluate("d => d.open")  # a filter (radius) is in use
    assert page.inner_text("#filters > summary") == "Filters (1 actief)"
    page.focus("#id_theme")
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    chosen = page.input_value("#id_theme")
    assert chosen == "minimaregelingen"
    page.wait_for_function(
        """(theme) => new URLSearchParams(location.search).get('theme') === theme
              && !document.querySelector('#search-form').classList.contains('htmx-request')""",
        arg=chosen,
    )
    page.wait_for_load_state("networkidle")
    titles, total = result_titles(page), status_total(page)
    assert total > 0 and titles
    direct = new_page()
    direct.goto(page.url)
    assert direct.input_value("#id_theme") == chosen
    assert (result_titles(direct), status_total(direct)) == (titles, total)
    assert page.input_value("#id_theme") == chosen
