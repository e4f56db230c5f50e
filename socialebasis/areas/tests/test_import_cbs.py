"""import-cbs on the real CBS 2024 files and the Amsterdam/Utrecht boundaries: counts equal
the source, boundaries and centroids, idempotent re-import, and corrupted copies that abort
with the file, line and reason while leaving the database unchanged."""

import csv
import json
import re
import time

import pytest
from django.core.management.base import CommandError

from socialebasis.areas.centroids import assign_centroids
from socialebasis.areas.importers import BUURTEN, GEMEENTEN, WIJKEN
from socialebasis.areas.models import District, Municipality, Neighbourhood
from socialebasis.testing import factories as f
from socialebasis.testing.imports import copy_data, counts, run, wipe_imported_data

CBS_FILES = [GEMEENTEN, WIJKEN, BUURTEN]
AMS_BUURTEN = "amsterdam/buurten_amsterdam.geojson"


# Every test uses the database, so pytest-django keeps them together with the module
# fixture (it moves tests without the database to the end of the session).
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def areas(django_db_setup, django_db_blocker):
    """Amsterdam and Utrecht loaded once for the whole module."""
    with django_db_blocker.unblock():
        output = run("import_cbs", municipality=["GM0363", "GM0344"])
    yield output
    with django_db_blocker.unblock():
        wipe_imported_data()


@pytest.fixture
def loaded(areas, db):
    return areas


def line_of(path, code: str) -> int:
    """1-based line number (header = 1) of the CSV row whose first cell is ``code``."""
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.startswith(code + ","):
                return number
    raise AssertionError(code)


def rewrite_csv(path, code: str, **changes) -> int:
    """Change cells of the row starting with ``code``; returns its line number."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
        fields = list(rows[0])
    for row in rows:
        if next(iter(row.values())) == code:
            row.update(changes)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return line_of(path, code)


def test_counts_equal_the_source(loaded):
    assert Municipality.objects.count() == 2
    assert District.objects.filter(municipality__code="GM0363").count() == 110
    assert District.objects.filter(municipality__code="GM0344").count() == 10
    assert Neighbourhood.objects.filter(municipality__code="GM0363").count() == 517
    assert Neighbourhood.objects.filter(municipality__code="GM0344").count() == 111


def test_figures_and_empty_cells(loaded):
    amsterdam = Municipality.objects.get(code="GM0363")
    assert (amsterdam.name, amsterdam.province_name) == ("Amsterdam", "Noord-Holland")
    assert amsterdam.residents == 931298
    assert amsterdam.household_size == pytest.approx(1.8)
    assert amsterdam.income_per_resident == pytest.approx(41.0)
    assert amsterdam.postcode == ""  # the gemeenten file has no PC4
    hood = Neighbourhood.objects.get(code="BU0363AA01")
    assert (hood.name, hood.district.code, hood.postcode) == (
        "Planciusbuurt-Noord",
        "WK0363AA",
        "1013",
    )
    assert hood.residents == 345
    # CBS suppresses small figures: an empty cell is NULL, not 0
    assert Neighbourhood.objects.filter(
        municipality__code="GM0363", income_per_resident__isnull=True
    ).exists()


def test_boundaries_and_centroids(loaded):
    ams = Neighbourhood.objects.filter(municipality__code="GM0363")
    assert ams.filter(geometry__isnull=False, centroid_source="polygon").count() == 517
    assert not Neighbourhood.objects.filter(code="BU0363MK06").exists()
    # Amsterdam wijken: union of their buurten; Utrecht wijken: their own polygons
    assert District.objects.filter(geometry__isnull=False).count() == 120
    assert (
        Neighbourhood.objects.filter(municipality__code="GM0344", centroid_source="polygon").count()
        == 111
    )
    for area in [*Municipality.objects.all(), *District.objects.all()]:
        assert area.centroid_source == "polygon"
        assert 52.0 < area.centroid_lat < 52.5 and 4.7 < area.centroid_lon < 5.2
    hood = Neighbourhood.objects.get(code="BU0363AA01")
    assert hood.shape.contains(hood.shape.centroid)
    assert hood.geometry["type"] == "Polygon"


def test_output_counts_skipped_boundary_and_credits(loaded):
    assert "Neighbourhood (buurt)" in loaded and "628 created" in loaded
    assert "BU0363MK06" in loaded
    assert "Bron: CBS, Kerncijfers wijken en buurten 2024" in loaded
    assert "Bron: Gemeente Amsterdam" in loaded and "Bron: Gemeente Utrecht" in loaded


def test_reimport_changes_nothing(loaded):
    before = counts()
    ids = set(Neighbourhood.objects.values_list("id", "code"))
    output = run("import_cbs", municipality=["GM0363", "GM0344"])
    assert counts() == before
    assert set(Neighbourhood.objects.values_list("id", "code")) == ids
    for label in ("Municipality (gemeente)", "District (wijk)", "Neighbourhood (buurt)"):
        line = next(line for line in output.splitlines() if label in line)
        assert "0 created" in line and " 0 updated" in line, line
    assert "Area centroids" in output


def test_reimport_updates_a_changed_row(loaded):
    hood = Neighbourhood.objects.get(code="BU0363AA01")
    Neighbourhood.objects.filter(pk=hood.pk).update(name="Oud", residents=1)
    output = run("import_cbs", municipality=["GM0363"])
    hood.refresh_from_db()
    assert (hood.name, hood.residents) == ("Planciusbuurt-Noord", 345)
    line = next(line for line in output.splitlines() if "Neighbourhood" in line)
    assert "1 updated" in line


@pytest.mark.parametrize(
    "case", ["unknown wijk", "missing name", "not a number", "postcode", "wrong cells"]
)
def test_corrupted_csv_aborts_and_changes_nothing(loaded, tmp_path, case):
    data = copy_data(tmp_path, CBS_FILES)
    if case == "unknown wijk":
        line = rewrite_csv(data / BUURTEN, "BU0363AA01", wijk_code="WK0363ZZ")
        expected = (BUURTEN, f"line {line}", "unknown wijk code WK0363ZZ")
    elif case == "missing name":
        line = rewrite_csv(data / WIJKEN, "WK0363AA", wijk_naam="")
        expected = (WIJKEN, f"line {line}", "missing wijk name")
    elif case == "not a number":
        line = rewrite_csv(data / GEMEENTEN, "GM0363", inwoners="veel")
        expected = (GEMEENTEN, f"line {line}", "inwoners is not an integer")
    elif case == "postcode":
        line = rewrite_csv(data / BUURTEN, "BU0363AA01", postcode="10A3")
        expected = (BUURTEN, f"line {line}", "postcode is not a 4-digit PC4")
    else:
        path = data / BUURTEN
        text = path.read_text(encoding="utf-8").replace("BU0363AA01,", "BU0363AA01,,,", 1)
        path.write_text(text, encoding="utf-8")
        expected = (BUURTEN, f"line {line_of(path, 'BU0363AA01')}", "wrong number of cells")
    before = counts()
    Neighbourhood.objects.filter(code="BU0363AA02").update(name="Wordt niet hersteld")
    with pytest.raises(CommandError) as failure:
        run("import_cbs", municipality=["GM0363"], data_dir=data)
    message = str(failure.value)
    for part in expected:
        assert part in message, message
    assert counts() == before
    assert Neighbourhood.objects.get(code="BU0363AA02").name == "Wordt niet hersteld"


def test_bad_boundary_coordinates_abort(loaded, tmp_path):
    data = copy_data(tmp_path, [*CBS_FILES, AMS_BUURTEN])
    path = data / AMS_BUURTEN
    geojson = json.loads(path.read_text(encoding="utf-8"))
    feature = geojson["features"][4]
    code = feature["properties"]["cbsCode"]
    ring = feature["geometry"]["coordinates"][0]
    ring[:] = [[121000.0 + i, 487000.0 + i] for i, _ in enumerate(ring)]  # RD, not WGS84
    ring[-1] = ring[0]
    path.write_text(json.dumps(geojson), encoding="utf-8")
    before = counts()
    with pytest.raises(
        CommandError,
        match=rf"feature 5 \(cbsCode {code}\): coordinates "
        "outside the Netherlands",
    ):
        run("import_cbs", municipality=["GM0363"], data_dir=data)
    assert counts() == before


def test_malformed_geojson_aborts(loaded, tmp_path):
    data = copy_data(tmp_path, [*CBS_FILES, AMS_BUURTEN])
    path = data / AMS_BUURTEN
    path.write_text(path.read_text(encoding="utf-8")[:5000], encoding="utf-8")
    before = counts()
    with pytest.raises(
        CommandError,
        match=r"buurten_amsterdam.geojson, line \d+ column \d+: "
        r"invalid JSON",
    ):
        run("import_cbs", municipality=["GM0363"], data_dir=data)
    assert counts() == before


def test_unknown_municipality_option(loaded):
    with pytest.raises(CommandError, match="unknown municipality code.*GM9999"):
        run("import_cbs", municipality=["GM9999"])
    with pytest.raises(CommandError, match="malformed municipality code"):
        run("import_cbs", municipality=["Amsterdam"])


def test_assign_centroids_without_polygons(loaded):
    """Facilities' mean, then the district's centroid (the mean of its neighbourhoods)."""
    district = f.DistrictFactory(
        code="WK999901", municipality=f.MunicipalityFactory(code="GM9999", name="Proefgemeente")
    )
    with_facilities, without = (
        f.NeighbourhoodFactory(
            code=code, district=district, centroid_lat=None, centroid_lon=None, centroid_source=""
        )
        for code in ("BU99990101", "BU99990102")
    )
    for lat, lon in ((52.0, 5.0), (52.2, 5.2)):
        f.LocationFactory(neighbourhood=with_facilities, latitude=lat, longitude=lon)
    tally = assign_centroids()
    assert tally.updated == 4  # two neighbourhoods, the district, the municipality
    with_facilities.refresh_from_db()
    without.refresh_from_db()
    district.refresh_from_db()
    assert (
        with_facilities.centroid_lat,
        with_facilities.centroid_lon,
        with_facilities.centroid_source,
    ) == (52.1, 5.1, "facilities")
    assert (district.centroid_lat, district.centroid_lon, district.centroid_source) == (
        52.1,
        5.1,
        "neighbourhoods",
    )
    assert (without.centroid_lat, without.centroid_source) == (52.1, "district")
    assert district.municipality.centroid_source == "districts"
    assert assign_centroids().updated == 0


def test_whole_country(loaded):
    started = time.monotonic()
    output = run("import_cbs", no_post=True)
    elapsed = time.monotonic() - started
    assert Municipality.objects.count() == 342
    assert District.objects.count() == 3393
    assert Neighbourhood.objects.count() == 14574
    assert re.search(r"Neighbourhood \(buurt\)\s+13946 created", output)
    assert elapsed < 30, f"import-cbs of the whole country took {elapsed:.1f} s"
