"""The pages of the social map through their real URLs: home, search (page, errors, htmx
fragment), detail pages, the error report form, the admin moderation, and English."""

import json
import re
from datetime import time

import pytest
from django.utils import timezone

from socialebasis.accounts.models import User
from socialebasis.directory.constants import ReportStatus
from socialebasis.directory.models import (
    Accessibility,
    Attribute,
    CostOption,
    ErrorReport,
    Language,
    Phone,
    Schedule,
)
from socialebasis.directory.search_index import rebuild_search_index
from socialebasis.directory.taxonomy import ensure_theme_taxonomy
from socialebasis.testing import factories as f
from socialebasis.testing.personas import force_login_verified

pytestmark = pytest.mark.django_db

ORIGIN = (52.3790, 4.8460)  # centroid of the test buurt with PC4 1055
METRES_PER_DEGREE_LAT = 111_195.08


def north(metres: float) -> tuple[float, float]:
    return ORIGIN[0] + metres / METRES_PER_DEGREE_LAT, ORIGIN[1]


def text_of(response) -> str:
    """The response body as text with tags removed and whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<script\b.*?</script>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def world(db):
    taxonomy = ensure_theme_taxonomy()
    district = f.DistrictFactory(code="WK0363EE", name="Landlust")
    buurt = f.NeighbourhoodFactory(
        code="BU0363EE04",
        name="Landlust-Noord",
        district=district,
        postcode="1055",
        centroid_lat=ORIGIN[0],
        centroid_lon=ORIGIN[1],
        residents=4321,
        residents_65_plus=610,
        residents_0_15=700,
        households=2500,
    )
    organization = f.OrganizationFactory(name="Buurtwerk West", kind="social_work_provider")
    location = f.LocationFactory(
        organization=organization,
        name="Buurthuis De Kolenkit",
        latitude=north(350)[0],
        longitude=ORIGIN[1],
        neighbourhood=buurt,
        transportation="Tram 7, halte Kolenkitbuurt.",
    )
    f.AddressFactory(location=location, address_1="Bos en Lommerweg 1", postal_code="1055AA")
    Accessibility.objects.create(location=location, wheelchair=True, description="Drempelvrij")
    buurtkamer = f.ServiceFactory(
        name="Buurtkamer De Kolenkit",
        organization=organization,
        description="Koffie en ontmoeting voor wie zich eenzaam voelt.",
        email="buurtkamer@example.org",
        url="https://example.org/buurtkamer",
        last_verified=timezone.localdate().replace(year=2025, month=3, day=3),
    )
    f.ServiceAtLocationFactory(service=buurtkamer, location=location)
    Schedule.objects.create(
        service=buurtkamer, freq="WEEKLY", byday="MO,WE", opens_at=time(10), closes_at=time(16)
    )
    Phone.objects.create(service=buurtkamer, number="020 123 4567")
    CostOption.objects.create(service=buurtkamer, amount=0)
    Language.objects.create(service=buurtkamer, name="Nederlands", code="nl")
    Language.objects.create(service=buurtkamer, name="Arabisch", code="ar")
    for code in ("buurtkamer", "eenzaamheid"):
        Attribute.objects.create(
            link_entity="service",
            link_id=buurtkamer.id,
            taxonomy_term=taxonomy.terms.get(code=code),
        )
    taalcafe = f.ServiceFactory(
        name="Taalcafé", organization=organization, description="Nederlands oefenen."
    )
    f.ServiceAtLocationFactory(service=taalcafe, location=location)
    far_org = f.OrganizationFactory(name="Schuldhulp Amsterdam")
    far_location = f.LocationFactory(
        organization=far_org, name="Loket Noord", latitude=north(1200)[0], longitude=ORIGIN[1]
    )
    schuldhulp = f.ServiceFactory(
        name="Schuldhulpverlening",
        organization=far_org,
        description="Hulp bij schulden en rekeningen.",
    )
    f.ServiceAtLocationFactory(service=schuldhulp, location=far_location)
    rebuild_search_index()
    return {
        "buurtkamer": buurtkamer,
        "taalcafe": taalcafe,
        "schuldhulp": schuldhulp,
        "location": location,
        "organization": organization,
        "buurt": buurt,
    }


# ---------------------------------------------------------------- home and layout


def test_home_has_the_search_form_and_examples(client, db):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="nl"' in html
    assert 'href="#main"' in html and 'id="main"' in html  # skip link target
    assert 'action="/zoeken/"' in html
    assert 'name="q"' in html and 'name="near"' in html
    text = text_of(response)
    assert "Wat zoekt u?" in text and "Waar?" in text
    assert "eenzaam bij 1055" in text
    assert "/zoeken/?q=buurtkamer&amp;near=De+Baarsjes" in html
    # footer credits
    assert "Bron: CBS, Kerncijfers wijken en buurten 2024" in text
    assert "Open Referral HSDS 3.0 (CC BY-SA 4.0)" in text
    assert "Kaart: Kadaster/PDOK BRT" in text


def test_pages_have_no_inline_script(client, world):
    """A Content-Security-Policy without 'unsafe-inline' must be possible: only src scripts
    and JSON data blocks."""
    urls = [
        "/",
        "/zoeken/?q=buurtkamer&near=1055",
        f"/diensten/{world['buurtkamer'].id}/",
        f"/locaties/{world['location'].id}/",
        "/gebieden/buurten/BU0363EE04/",
    ]
    for url in urls:
        html = client.get(url).content.decode()
        for attrs, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S):
            assert "src=" in attrs or 'type="application/json"' in attrs, (url, attrs)
            if "src=" in attrs:
                assert not body.strip()
        assert not re.search(r"\son[a-z]+=\"", html), url  # no inline event handlers


def test_language_switch_posts_with_csrf(client, db):
    html = client.get("/").content.decode()
    form = re.search(
        r'<form class="sb-language" action="([^"]+)" method="post">(.*?)</form>', html, flags=re.S
    )
    assert form and form.group(1) == "/i18n/setlang/"
    assert 'name="csrfmiddlewaretoken"' in form.group(2)
    assert 'name="language" value="en"' in form.group(2)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/zoeken/"})
    assert response.status_code == 302 and response["Location"] == "/en/zoeken/"


def test_language_switch_back_from_english_keeps_the_page(client, db):
    """The switch on an English page leads to the same page in Dutch (set_language itself
    cannot translate /en/ URLs: it runs in the default language)."""
    html = client.get("/en/zoeken/", {"q": "eenzaam", "near": "1055"}).content.decode()
    form = re.search(r'<form class="sb-language"[^>]*>(.*?)</form>', html, flags=re.S).group(1)
    assert 'name="language" value="nl"' in form
    next_url = re.search(r'name="next" value="([^"]+)"', form).group(1).replace("&amp;", "&")
    assert next_url == "/zoeken/?q=eenzaam&near=1055"
    response = client.post("/i18n/setlang/", {"language": "nl", "next": next_url})
    assert response.status_code == 302 and response["Location"] == next_url
    html = client.get(response["Location"]).content.decode()
    assert '<html lang="nl"' in html


def test_english_pages(client, world):
    response = client.get("/en/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en"' in html
    text = text_of(response)
    assert "What are you looking for?" in text
    assert "Where?" in text
    assert "Skip to content" in text
    assert 'action="/en/zoeken/"' in html
    result = text_of(client.get("/en/zoeken/?q=buurtkamer&near=1055"))
    assert "Results" in result and "1 result" in result
    page = text_of(client.get(f"/en/diensten/{world['buurtkamer'].id}/"))
    assert "Is something wrong?" in page and "Monday and Wednesday" in page


# ---------------------------------------------------------------- search


def test_search_without_parameters_shows_the_form_not_an_error(client, db):
    response = client.get("/zoeken/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="search-form"' in html
    assert 'id="error-summary"' not in html
    assert "aria-invalid" not in html
    assert "Vul in wat u zoekt, waar, of allebei" in text_of(response)


def test_search_lists_results_with_distance_themes_and_map_data(client, world):
    response = client.get("/zoeken/", {"q": "buurtkamer", "near": "1055"})
    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(response)
    assert 'id="results"' in html
    assert "1 resultaat" in text
    articles = re.findall(r"<article\b.*?</article>", html, flags=re.S)
    assert len(articles) == 1
    article = articles[0]
    assert f'href="/diensten/{world["buurtkamer"].id}/"' in article
    assert "Buurtkamer De Kolenkit" in article and "Buurtwerk West" in article
    assert "Bos en Lommerweg 1" in article
    assert "350 m" in article
    assert "Buurtkamer" in article and "Eenzaamheid en sociaal contact" in article
    data = json.loads(
        re.search(
            r'<script id="map-data" type="application/json">(.*?)</script>', html, flags=re.S
        ).group(1)
    )
    assert data["place"]["lat"] == pytest.approx(ORIGIN[0], abs=0.01)
    assert [m["title"] for m in data["markers"]] == ["Buurtkamer De Kolenkit"]
    assert 'id="map"' in html and "data-map-wrapper hidden" in html
    # the filter form keeps the values and the theme select lists the taxonomy, indented
    assert 'name="q" value="buurtkamer"' in html
    assert '<option value="buurtkamer">\u2003Buurtkamer</option>' in html
    assert '<option value="ontmoeting">Ontmoeting en activiteiten</option>' in html


def test_search_distance_in_kilometres_with_dutch_decimal_comma(client, world):
    response = client.get("/zoeken/", {"q": "schulden", "near": "1055"})
    assert "1,2 km" in text_of(response)


def test_search_unknown_place_shows_error_next_to_field_and_keeps_input(client, world):
    response = client.get("/zoeken/", {"q": "buurtkamer", "near": "Nergenshuizen"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="error-summary"' in html
    field = re.search(
        r'<div class="utrecht-form-field[^"]*">(?:(?!utrecht-form-field ).)*'
        r'name="near"[^>]*>',
        html,
        flags=re.S,
    ).group(0)
    assert "sb-form-field--invalid" in field
    assert 'id="id_near_error"' in field and "Nergenshuizen" in field
    assert "niet gevonden" in field
    assert re.search(r'<input[^>]*name="near"[^>]*value="Nergenshuizen"', html)
    assert re.search(r'<input[^>]*aria-describedby="[^"]*id_near_error', html)
    assert 'name="q" value="buurtkamer"' in html
    assert 'id="results"' not in html
    assert "<title>Fout:" in html


def test_search_with_nothing_to_search_for_is_an_error_not_a_crash(client, db):
    response = client.get("/zoeken/", {"q": "", "near": ""})
    assert response.status_code == 200
    assert "Vul in wat u zoekt, of waar." in text_of(response)
    assert 'id="id_q_error"' in response.content.decode()


@pytest.mark.parametrize(
    "params, field, message",
    [
        ({"q": "koffie", "radius": "ver"}, "radius", "geheel aantal meters"),
        ({"q": "koffie", "age": "oud"}, "age", "geheel getal"),
        ({"q": "koffie", "theme": "bestaat-niet"}, "theme", "Onbekend thema"),
        ({"q": "koffie", "page": "0"}, "page", ""),
        ({"q": "koffie", "lat": "abc", "lon": "4.8"}, "lat", ""),
        ({"q": "koffie", "sort": "random"}, "sort", ""),
    ],
)
def test_search_malformed_parameters_show_a_field_error(client, world, params, field, message):
    response = client.get("/zoeken/", params)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert message in text_of(response)
    assert 'value="koffie"' in html


def test_search_keeps_malformed_typed_values(client, world):
    html = client.get("/zoeken/", {"q": "koffie", "age": "oud", "radius": "ver"}).content.decode()
    assert re.search(r'<input[^>]*name="age"[^>]*value="oud"', html)
    assert re.search(r'<input[^>]*inputmode="numeric"[^>]*name="age"', html) or re.search(
        r'<input[^>]*name="age"[^>]*inputmode="numeric"', html
    )
    assert '<option value="ver" selected>ver</option>' in html
    assert 'id="id_age_error"' in html and 'id="id_radius_error"' in html


def test_filter_panel_is_open_only_when_filters_are_used(client, world):
    closed = client.get("/zoeken/", {"q": "buurtkamer"}).content.decode()
    assert re.search(r'<details class="sb-filters" id="filters">', closed)
    opened = client.get("/zoeken/", {"q": "buurtkamer", "free": "on", "radius": "5000"})
    html = opened.content.decode()
    assert re.search(r'<details class="sb-filters" id="filters" open>', html)
    assert "Filters (2 actief)" in text_of(opened)


def test_search_htmx_returns_only_the_results_fragment(client, world):
    response = client.get(
        "/zoeken/",
        {"q": "buurtkamer", "near": "1055"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="results-region",
    )
    assert response.status_code == 200
    html = response.content.decode()
    # the new document title (htmx takes a top-level <title>), then the results region
    assert re.match(
        r'\s*<title>Zoeken naar “buurtkamer” \| Sociale Basis</title>\s*<div id="results-region"',
        html,
    )
    assert "<html" not in html and "<header" not in html and 'id="search-form"' not in html
    assert "Buurtkamer De Kolenkit" in html and 'id="results"' in html
    assert 'hx-swap-oob="innerHTML:#result-status"' in html and "1 resultaat" in html
    assert '<span hx-swap-oob="innerHTML:#filters-label">Filters</span>' in html
    assert (
        '<input type="hidden" name="next" value="/en/zoeken/?q=buurtkamer&amp;near=1055" '
        'id="language-next-en" hx-swap-oob="true">'
    ) in html
    assert "HX-Request" in response["Vary"]
    # the same URL without htmx is the full page
    full = client.get("/zoeken/", {"q": "buurtkamer", "near": "1055"}).content.decode()
    assert "<html" in full and 'id="search-form"' in full


def test_search_htmx_with_errors_retargets_to_the_form(client, world):
    response = client.get(
        "/zoeken/",
        {"q": "buurtkamer", "near": "Nergenshuizen"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="results-region",
    )
    assert response["HX-Retarget"] == "#search-body"
    assert response["HX-Reswap"] == "outerHTML"
    html = response.content.decode()
    assert re.match(
        r'\s*<title>Fout: Zoeken naar “buurtkamer” \| Sociale Basis</title>\s*<div id="search-body"',
        html,
    )
    assert 'id="id_near_error"' in html and 'value="Nergenshuizen"' in html
    assert "<html" not in html
    # The language switch follows the pushed URL (out-of-band swap of its "next").
    assert re.search(
        r'<input type="hidden" name="next" value="/en/zoeken/\?q=buurtkamer&amp;near=Nergenshuizen"'
        r' id="language-next-en" hx-swap-oob="true">',
        html,
    )


def test_search_form_is_wired_for_htmx_and_plain_get(client, db):
    html = client.get("/zoeken/").content.decode()
    form = re.search(r'<form id="search-form"[^>]*>', html, flags=re.S).group(0)
    assert 'method="get"' in form and 'action="/zoeken/"' in form
    assert 'hx-get="/zoeken/"' in form and 'hx-target="#results-region"' in form
    assert 'hx-push-url="true"' in form


def test_search_pagination_links(client, world):
    organization = world["organization"]
    for i in range(25):
        service = f.ServiceFactory(
            name=f"Koffieochtend {i:02d}",
            organization=organization,
            description="Koffie drinken in de buurt.",
        )
        f.ServiceAtLocationFactory(service=service, location=world["location"])
    rebuild_search_index()
    response = client.get("/zoeken/", {"q": "koffie", "sort": "name"})
    html = response.content.decode()
    assert "26 resultaten" in text_of(response)
    nav = re.search(r'<nav class="utrecht-pagination".*?</nav>', html, flags=re.S).group(0)
    assert 'rel="next"' in nav and "page=2" in nav and "q=koffie" in nav
    assert 'hx-target="#results-region"' in nav
    page2 = client.get("/zoeken/", {"q": "koffie", "sort": "name", "page": "2"})
    html2 = page2.content.decode()
    assert len(re.findall(r"<article\b", html2)) == 6
    assert 'rel="prev"' in html2 and 'start="21"' in html2


def test_search_filters_narrow_results(client, world):
    html = client.get("/zoeken/", {"near": "1055", "theme": "ontmoeting"}).content.decode()
    assert "Buurtkamer De Kolenkit</a>" in html and "Schuldhulpverlening</a>" not in html
    html = client.get("/zoeken/", {"near": "1055", "language": "ar"}).content.decode()
    assert "Buurtkamer De Kolenkit</a>" in html and "Taalcafé</a>" not in html
    assert '<option value="ar" selected>Arabisch (ar)</option>' in html


def test_search_relaxed_and_correction_notices(client, world):
    html = client.get("/zoeken/", {"q": "buurtkamer zwembad"}).content.decode()
    assert 'id="notice-relaxed"' in html
    html = client.get("/zoeken/", {"q": "buurtkammer"}).content.decode()
    assert 'id="notice-corrections"' in html and "Bedoelde u" in html


# ---------------------------------------------------------------- detail pages


def test_service_page(client, world):
    service = world["buurtkamer"]
    response = client.get(f"/diensten/{service.id}/")
    assert response.status_code == 200
    text = text_of(response)
    assert "Buurtkamer De Kolenkit" in text
    assert "Koffie en ontmoeting voor wie zich eenzaam voelt." in text
    assert "Buurtwerk West" in text
    assert "Bos en Lommerweg 1" in text and "1055AA" in text
    assert "Maandag en woensdag" in text and "10:00 – 16:00" in text
    assert "020 123 4567" in text and "buurtkamer@example.org" in text
    assert "Gratis" in text
    assert "Nederlands, Arabisch" in text or "Arabisch, Nederlands" in text
    assert "Rolstoeltoegankelijk" in text
    assert "Eenzaamheid en sociaal contact" in text
    assert "Laatst gecontroleerd: 3 maart 2025" in text
    html = response.content.decode()
    assert f'href="/melden/?service={service.id}"' in html
    assert "Klopt er iets niet?" in text
    assert f'href="/organisaties/{world["organization"].id}/"' in html
    assert f'href="/locaties/{world["location"].id}/"' in html


def test_organization_page(client, world):
    response = client.get(f"/organisaties/{world['organization'].id}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Buurtwerk West" in html and "Sociaalwerkorganisatie" in html
    services = re.search(r'<ul[^>]*id="services".*?</ul>', html, flags=re.S).group(0)
    assert "Buurtkamer De Kolenkit" in services and "Taalcafé" in services
    assert "Buurthuis De Kolenkit" in re.search(r'id="locations".*?</ul>', html, flags=re.S).group(
        0
    )


def test_location_page(client, world):
    location = world["location"]
    response = client.get(f"/locaties/{location.id}/")
    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(response)
    assert "Buurthuis De Kolenkit" in text and "Bos en Lommerweg 1" in text
    assert "Tram 7, halte Kolenkitbuurt." in text
    assert "Wat is er nog meer in dit gebouw?" in text
    services = re.search(r'<ul[^>]*id="services".*?</ul>', html, flags=re.S).group(0)
    assert "Buurtkamer De Kolenkit" in services and "Taalcafé" in services
    assert 'href="/gebieden/buurten/BU0363EE04/"' in html
    data = json.loads(
        re.search(
            r'<script id="map-data" type="application/json">(.*?)</script>', html, flags=re.S
        ).group(1)
    )
    assert len(data["markers"]) == 1 and data["markers"][0]["title"] == "Buurthuis De Kolenkit"


@pytest.mark.parametrize("prefix", ["diensten", "organisaties", "locaties"])
def test_detail_pages_404_for_unknown_ids(client, db, prefix):
    assert client.get(f"/{prefix}/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get(f"/{prefix}/niet-een-uuid/").status_code == 404


# ---------------------------------------------------------------- error reports


def test_error_report_form_shows_subject(client, world):
    service = world["buurtkamer"]
    response = client.get("/melden/", {"service": str(service.id)})
    assert response.status_code == 200
    text = text_of(response)
    assert "Klopt er iets niet?" in text and "Buurtkamer De Kolenkit" in text
    html = response.content.decode()
    assert 'name="csrfmiddlewaretoken"' in html
    for name in ("reporter_name", "message", "reporter_email"):
        assert f'name="{name}"' in html
    assert 'maxlength="5000"' in html


def test_error_report_with_errors_keeps_input(client, world):
    service = world["buurtkamer"]
    response = client.post(
        f"/melden/?service={service.id}",
        {"reporter_name": "Fatima", "message": "", "reporter_email": "geen-e-mail"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert 'id="id_message_error"' in html and 'id="id_reporter_email_error"' in html
    assert 'value="Fatima"' in html and 'value="geen-e-mail"' in html
    assert ErrorReport.objects.count() == 0


def test_error_report_message_length_is_bounded(client, world):
    response = client.post(
        f"/melden/?service={world['buurtkamer'].id}",
        {"reporter_name": "Fatima", "message": "x" * 5001},
    )
    assert response.status_code == 200
    assert 'id="id_message_error"' in response.content.decode()
    assert ErrorReport.objects.count() == 0


def test_error_report_valid_post_creates_report_and_redirects(client, world):
    service = world["buurtkamer"]
    response = client.post(
        f"/melden/?service={service.id}",
        {
            "reporter_name": "Fatima",
            "message": "Het telefoonnummer klopt niet.",
            "reporter_email": "fatima@example.org",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/melden/bedankt/?service={service.id}"
    report = ErrorReport.objects.get()
    assert report.service == service and report.status == ReportStatus.NEW
    assert report.message == "Het telefoonnummer klopt niet."
    thanks = client.get(response["Location"])
    assert "Bedankt voor uw melding" in text_of(thanks)
    assert f'href="/diensten/{service.id}/"' in thanks.content.decode()


def test_error_report_for_location_and_unknown_subject(client, world):
    location = world["location"]
    response = client.post(
        f"/melden/?location={location.id}", {"reporter_name": "Kees", "message": "Verhuisd."}
    )
    assert response.status_code == 302
    assert ErrorReport.objects.get().location == location
    assert client.get("/melden/?service=00000000-0000-0000-0000-000000000000").status_code == 404
    assert client.get("/melden/?service=kapot").status_code == 404


# ---------------------------------------------------------------- admin


@pytest.fixture
def admin_client(client, db):
    user = User.objects.create_superuser(
        email="coordinator@example.org", password="een-lang-wachtwoord"
    )
    force_login_verified(client, user)
    return client


def test_admin_moderation_actions(admin_client, world):
    first = f.ErrorReportFactory(service=world["buurtkamer"])
    second = f.ErrorReportFactory(service=world["taalcafe"], message="Bestaat niet meer.")
    listing = admin_client.get("/beheer/directory/errorreport/?status__exact=new")
    assert listing.status_code == 200
    assert "Markeer als verwerkt" in listing.content.decode()
    response = admin_client.post(
        "/beheer/directory/errorreport/",
        {"action": "mark_resolved", "_selected_action": [str(first.pk)]},
        follow=True,
    )
    assert response.status_code == 200
    first.refresh_from_db()
    assert first.status == ReportStatus.RESOLVED and first.handled_at is not None
    admin_client.post(
        "/beheer/directory/errorreport/",
        {"action": "mark_rejected", "_selected_action": [str(second.pk)]},
    )
    second.refresh_from_db()
    assert second.status == ReportStatus.REJECTED and second.handled_at is not None


def test_admin_mark_verified_today(admin_client, world):
    service = world["taalcafe"]
    assert service.last_verified is None
    admin_client.post(
        "/beheer/directory/service/",
        {"action": "mark_verified_today", "_selected_action": [str(service.pk)]},
    )
    service.refresh_from_db()
    assert service.last_verified == timezone.localdate()


def test_admin_change_pages_render(admin_client, world):
    for url in [
        f"/beheer/directory/service/{world['buurtkamer'].pk}/change/",
        f"/beheer/directory/location/{world['location'].pk}/change/",
        f"/beheer/directory/organization/{world['organization'].pk}/change/",
        "/beheer/directory/taxonomy/",
        "/beheer/directory/taxonomyterm/",
        "/beheer/directory/synonymgroup/",
    ]:
        assert admin_client.get(url).status_code == 200, url


def test_admin_save_reindexes_the_service(
    admin_client, world, monkeypatch, django_capture_on_commit_callbacks
):
    from socialebasis.directory import search_index

    calls = []
    monkeypatch.setattr(search_index, "reindex_services", lambda ids: calls.append(list(ids)))
    location = world["location"]
    url = f"/beheer/directory/location/{location.pk}/change/"
    page = admin_client.get(url)
    data = _admin_form_data(page)
    data["name"] = "Buurthuis De Kolenkit (nieuw)"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert calls and set(calls[0]) == {world["buurtkamer"].id, world["taalcafe"].id}


def _admin_form_data(response) -> dict:
    """The values of the change form as a browser would submit them."""
    html = response.content.decode()
    form = re.search(r'<form[^>]*id="\w+_form".*?</form>', html, flags=re.S).group(0)
    data: dict = {}
    for tag in re.findall(r"<input\b[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        if not name:
            continue
        kind = re.search(r'type="([^"]+)"', tag)
        kind = kind.group(1) if kind else "text"
        value = re.search(r'value="([^"]*)"', tag)
        if kind in ("checkbox", "radio") and "checked" not in tag:
            continue
        if kind in ("submit", "button", "file"):
            continue
        data[name.group(1)] = value.group(1) if value else ("on" if kind == "checkbox" else "")
    for name, body in re.findall(
        r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, flags=re.S
    ):
        data[name] = body.strip("\n")
    for name, body in re.findall(
        r'<select[^>]*\sname="([^"]+)"[^>]*>(.*?)</select>', form, flags=re.S
    ):
        selected = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        data[name] = selected.group(1) if selected else ""
    return {k: v.replace("&amp;", "&") for k, v in data.items()}
