"""Area pages through their real URLs: the municipality list, a district, a neighbourhood."""

import json
import re

import pytest

from socialebasis.testing import factories as f

pytestmark = pytest.mark.django_db

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[4.84, 52.37], [4.85, 52.37], [4.85, 52.38], [4.84, 52.38], [4.84, 52.37]]],
}


def text_of(response) -> str:
    html = re.sub(r"<script\b.*?</script>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def area(db):
    municipality = f.MunicipalityFactory(residents=931298)
    district = f.DistrictFactory(
        code="WK036305", name="De Baarsjes", municipality=municipality, residents=40123
    )
    buurt = f.NeighbourhoodFactory(
        code="BU0363AA01",
        name="Kolenkit",
        district=district,
        residents=4321,
        residents_65_plus=610,
        residents_0_15=700,
        households=2500,
        household_size=1.72,
        density=None,
        geometry=SQUARE,
    )
    other = f.NeighbourhoodFactory(
        code="BU0363AA02", name="Erasmuspark", district=district, residents=None
    )
    location = f.LocationFactory(
        name="Buurthuis Kolenkit", neighbourhood=buurt, latitude=52.375, longitude=4.845
    )
    f.AddressFactory(location=location, address_1="Kolenkitplein 5")
    f.MunicipalityFactory(code="GM0014", name="Groningen")  # no data: not listed
    return {
        "municipality": municipality,
        "district": district,
        "buurt": buurt,
        "other": other,
        "location": location,
    }


def test_neighbourhood_page_shows_figures_attribution_map_and_facilities(client, area):
    response = client.get("/gebieden/buurten/BU0363AA01/")
    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(response)
    assert "Buurt Kolenkit" in text
    assert "De Baarsjes" in text and "Amsterdam" in text
    figures = re.search(r'<table[^>]*id="figures".*?</table>', html, flags=re.S).group(0)
    figures_text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", figures))
    assert "Inwoners 4.321" in figures_text
    assert "65 jaar en ouder 610 (14%)" in figures_text
    assert "0 tot 15 jaar 700 (16%)" in figures_text
    assert "Huishoudens 2.500" in figures_text
    assert "Gemiddelde huishoudensgrootte 1,72" in figures_text
    assert "Inwoners per km² geen gegevens" in figures_text
    assert "Bron: CBS, Kerncijfers wijken en buurten 2024" in text
    facilities = re.search(r'<ul[^>]*id="facilities".*?</ul>', html, flags=re.S).group(0)
    assert f'href="/locaties/{area["location"].id}/"' in facilities
    assert "Kolenkitplein 5" in facilities
    data = json.loads(
        re.search(
            r'<script id="map-data" type="application/json">(.*?)</script>', html, flags=re.S
        ).group(1)
    )
    assert data["polygon"] == SQUARE
    assert data["markers"][0]["title"] == "Buurthuis Kolenkit"
    assert 'href="/zoeken/?area=BU0363AA01"' in html
    assert 'href="/gebieden/wijken/WK036305/"' in html


def test_neighbourhood_code_is_case_insensitive_and_unknown_is_404(client, area):
    assert client.get("/gebieden/buurten/bu0363aa01/").status_code == 200
    assert client.get("/gebieden/buurten/BU0363ZZ99/").status_code == 404
    assert client.get("/gebieden/wijken/WK036399/").status_code == 404


def test_neighbourhood_without_facilities_or_boundary(client, area):
    response = client.get("/gebieden/buurten/BU0363AA02/")
    assert response.status_code == 200
    text = text_of(response)
    assert "Er zijn (nog) geen voorzieningen in deze buurt bekend." in text
    assert "Inwoners geen gegevens" in text


def test_district_page_lists_its_neighbourhoods(client, area):
    response = client.get("/gebieden/wijken/WK036305/")
    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(response)
    assert "Wijk De Baarsjes" in text and "40.123" in text
    assert "Bron: CBS, Kerncijfers wijken en buurten 2024" in text
    listing = re.search(r'<ul[^>]*id="neighbourhoods".*?</ul>', html, flags=re.S).group(0)
    assert 'href="/gebieden/buurten/BU0363AA01/"' in listing
    assert 'href="/gebieden/buurten/BU0363AA02/"' in listing
    assert "1 voorziening" in listing


def test_index_lists_municipalities_with_data(client, area):
    response = client.get("/gebieden/")
    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(response)
    assert "Amsterdam" in text and "Groningen" not in text
    assert 'href="/gebieden/wijken/WK036305/"' in html
    assert 'aria-current="page"' in html  # "Buurten" in the main menu


def test_english_neighbourhood_page(client, area):
    text = text_of(client.get("/en/gebieden/buurten/BU0363AA01/"))
    assert "Residents 4,321" in text
    assert "Neighbourhood Kolenkit" in text
    assert "Source: CBS, Kerncijfers wijken en buurten 2024" in text
