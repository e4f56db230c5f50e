"""Geocoders: the offline one on loaded data, and PDOK against responses in the Locatieserver's
documented format (``response.docs[]`` with ``type``, ``weergavenaam``, ``centroide_ll`` as
"POINT(lon lat)", ``gemeentecode`` without "GM"). No test calls the network."""

import pytest
import requests

from socialebasis.directory.geocoding import (
    OfflineGeocoder,
    PdokGeocoder,
    PlaceNotFound,
    get_geocoder,
)
from socialebasis.testing import factories as f

PDOK_ADDRESS = {
    "response": {
        "numFound": 1,
        "start": 0,
        "maxScore": 13.7,
        "docs": [
            {
                "bron": "BAG",
                "type": "adres",
                "weergavenaam": "Spaarndammerdijk 319, 1014AA Amsterdam",
                "straatnaam": "Spaarndammerdijk",
                "huisnummer": 319,
                "postcode": "1014AA",
                "woonplaatsnaam": "Amsterdam",
                "gemeentecode": "0363",
                "gemeentenaam": "Amsterdam",
                "buurtcode": "BU0363AB03",
                "wijkcode": "WK0363AB",
                "provinciecode": "PV27",
                "centroide_ll": "POINT(4.86054 52.39091)",
                "centroide_rd": "POINT(119660.5 489366.2)",
                "id": "adr-0363200000000001",
                "score": 13.7,
            }
        ],
    }
}
PDOK_EMPTY = {"response": {"numFound": 0, "start": 0, "maxScore": 0.0, "docs": []}}


class FakeResponse:
    def __init__(self, payload, status=200):
        self.payload, self.status_code = payload, status

    def raise_for_status(self):
        if self.status_code >= 400:
            raise requests.HTTPError(f"{self.status_code}")

    def json(self):
        if isinstance(self.payload, Exception):
            raise self.payload
        return self.payload


class FakeSession:
    def __init__(self, response):
        self.response, self.calls = response, []

    def get(self, url, params=None, timeout=None):
        self.calls.append((url, params, timeout))
        if isinstance(self.response, Exception):
            raise self.response
        return self.response


def test_pdok_address():
    session = FakeSession(FakeResponse(PDOK_ADDRESS))
    place = PdokGeocoder(url="https://pdok.test/free", session=session).geocode(
        "Spaarndammerdijk 319"
    )
    assert (place.lat, place.lon) == (52.39091, 4.86054)
    assert place.kind == "address" and place.code == "1014AA"
    assert place.municipality_code == "GM0363"
    assert place.label == "Spaarndammerdijk 319, 1014AA Amsterdam"
    url, params, timeout = session.calls[0]
    assert url == "https://pdok.test/free" and params["q"] == "Spaarndammerdijk 319"
    assert timeout > 0


def test_pdok_coordinates_do_not_call_the_service():
    session = FakeSession(FakeResponse(PDOK_EMPTY))
    place = PdokGeocoder(session=session).geocode("52.37, 4.89")
    assert (place.lat, place.lon) == (52.37, 4.89) and session.calls == []


@pytest.mark.parametrize(
    "response",
    [
        FakeResponse(PDOK_EMPTY),
        FakeResponse({}, status=503),
        FakeResponse(ValueError("not json")),
        FakeResponse({"response": {"docs": [{"type": "adres", "centroide_ll": "garbage"}]}}),
        requests.ConnectionError("offline"),
    ],
)
def test_pdok_failures_are_place_not_found(response):
    with pytest.raises(PlaceNotFound) as info:
        PdokGeocoder(session=FakeSession(response)).geocode("Nergensstraat 1")
    assert info.value.field == "near"


def test_configured_geocoder(settings):
    settings.GEOCODER = "pdok"
    assert isinstance(get_geocoder(), PdokGeocoder)
    settings.GEOCODER = "offline"
    assert isinstance(get_geocoder(), OfflineGeocoder)


@pytest.fixture
def areas(db):
    district = f.DistrictFactory(
        code="WK0363EK", name="Van Galenbuurt", centroid_lat=52.3720, centroid_lon=4.8530
    )
    f.DistrictFactory(
        code="WK0363EL", name="Geuzenbuurt", centroid_lat=52.3760, centroid_lon=4.8570
    )
    hood = f.NeighbourhoodFactory(
        code="BU0363EK01",
        name="Van Galenbuurt-Noord",
        district=district,
        postcode="1056",
        centroid_lat=52.3730,
        centroid_lon=4.8520,
        residents=4000,
    )
    # A homonym elsewhere: the one with directory data must win.
    other = f.MunicipalityFactory(code="GM0344", name="Utrecht")
    f.NeighbourhoodFactory(
        code="BU03440001",
        name="Van Galenbuurt-Noord",
        district=f.DistrictFactory(code="WK034400", municipality=other),
        centroid_lat=52.09,
        centroid_lon=5.12,
        residents=9000,
    )
    location = f.LocationFactory(latitude=52.3741, longitude=4.8512, neighbourhood=hood)
    f.AddressFactory(location=location, address_1="Jan Evertsenstraat 110", postal_code="1056EK")
    return hood


@pytest.mark.parametrize(
    ("text", "kind", "lat"),
    [
        ("52.3731, 4.8521", "coordinates", 52.3731),
        ("1056 EK", "postcode", 52.3741),
        ("1056ek", "postcode", 52.3741),
        ("1056", "postcode", 52.3730),
        ("1056ZZ", "postcode", 52.3730),  # unknown PC6 falls back to its PC4
        ("BU0363EK01", "neighbourhood", 52.3730),
        ("wk0363ek", "district", 52.3720),
        ("Van Galenbuurt-Noord", "neighbourhood", 52.3730),
        ("van galenbuurt", "district", 52.3720),
        ("Jan Evertsenstraat 110", "address", 52.3741),
        ("jan evertsenstraat", "address", 52.3741),
    ],
)
def test_offline_geocoder(areas, text, kind, lat):
    place = OfflineGeocoder().geocode(text)
    assert place.kind == kind
    assert place.lat == pytest.approx(lat, abs=1e-4)


def test_offline_alias_de_baarsjes(areas):
    place = OfflineGeocoder().geocode("De Baarsjes")
    assert place.kind == "area" and place.municipality_code == "GM0363"
    assert place.lat == pytest.approx((52.3720 + 52.3760) / 2, abs=1e-4)


def test_offline_homonym_prefers_municipality_with_data(areas):
    assert OfflineGeocoder().geocode("Van Galenbuurt-Noord").code == "BU0363EK01"


@pytest.mark.parametrize(
    "text", ["", "   ", "Atlantis", "9999", "BU9999XX99", "x" * 300, "91.0, 4.0", "52.3, 190"]
)
def test_offline_unknown_places(areas, text):
    with pytest.raises(PlaceNotFound) as info:
        OfflineGeocoder().geocode(text)
    assert info.value.field == "near" and info.value.reason


def test_offline_address_house_number_is_exact(areas):
    location = f.LocationFactory(latitude=52.30, longitude=4.80)
    f.AddressFactory(location=location, address_1="Jan Evertsenstraat 1100", postal_code="1056XX")
    assert OfflineGeocoder().geocode("Jan Evertsenstraat 110").lat == pytest.approx(52.3741)
    with pytest.raises(PlaceNotFound):
        OfflineGeocoder().geocode("Jan Evertsenstraat 11")
