"""HSDS 3.0 import/export: the spec's examples round-trip field by field, exports validate
against the vendored schemas, imports are atomic and idempotent and name the path of a
problem."""

import json
import uuid
from datetime import date, time
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from socialebasis.areas.models import District, Municipality, Neighbourhood
from socialebasis.directory import hsds
from socialebasis.directory import models as m
from socialebasis.directory.search import SearchParams, search
from socialebasis.directory.taxonomy import ensure_theme_taxonomy
from socialebasis.testing import factories as f

pytestmark = pytest.mark.django_db

EXAMPLES = settings.DATA_DIR / "hsds" / "spec-3.0" / "examples"
ROUND_TRIP = {
    "service_full.json": "service",
    "service_list.json": "service",
    "organization_full.json": "organization",
    "organization_list.json": "organization",
    "service_at_location_full.json": "service_at_location",
    "service_at_location_list.json": "service_at_location",
}
# Derived on import from where an object is nested (the examples carry placeholders).
DERIVED = {("attribute", "link_id"), ("attribute", "link_entity")}
# Parent links to objects that are in no example; dropped with a note.
UNRESOLVED_PARENTS = {("organization", "parent_organization_id"), ("taxonomy_term", "parent_id")}
ALL_MODELS = [
    m.Organization,
    m.Service,
    m.Location,
    m.ServiceAtLocation,
    m.Address,
    m.Contact,
    m.Phone,
    m.Schedule,
    m.Language,
    m.Accessibility,
    m.CostOption,
    m.ServiceArea,
    m.Attribute,
    m.Taxonomy,
    m.TaxonomyTerm,
]


def db_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in ALL_MODELS}


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def normalise(entity: str, hsds_name: str, value):
    """An HSDS value as our model stores it (times gain seconds, numbers compare as numbers)."""
    attname = dict(hsds.FIELDS[entity])[hsds_name]
    field = hsds.MODELS[entity]._meta.get_field(attname)
    if value is None:
        return None
    if field.get_internal_type() == "TimeField":
        return time.fromisoformat(value)
    if field.get_internal_type() == "DateField":
        return date.fromisoformat(value)
    if field.get_internal_type() == "DecimalField":
        return Decimal(str(value))
    return value


def compare(imported: dict, exported: dict, entity: str, path: str, skipped: set) -> None:
    """Every field of ``imported`` that we store equals the exported one; nested objects are
    matched by id and compared the same way. Fields we do not store go into ``skipped``."""
    assert exported.get("id") == imported["id"], f"{path}: id"
    stored = {name for name, _ in hsds.FIELDS[entity]}
    children = hsds.CHILDREN.get(entity, {})
    for key, value in imported.items():
        where = f"{path}.{key}"
        if key == "id":
            continue
        if key in stored:
            assert normalise(entity, key, exported.get(key)) == normalise(entity, key, value), where
        elif key in children and isinstance(value, dict):
            assert isinstance(exported.get(key), dict), f"{where}: missing in export"
            compare(value, exported[key], children[key], where, skipped)
        elif key in children and isinstance(value, list):
            by_id = {item["id"]: item for item in exported.get(key, [])}
            assert set(by_id) >= {item["id"] for item in value}, f"{where}: items missing"
            for i, item in enumerate(value):
                compare(item, by_id[item["id"]], children[key], f"{where}[{i}]", skipped)
        elif (entity, key) in DERIVED | UNRESOLVED_PARENTS:
            skipped.add(f"{entity}.{key}")
        elif key.endswith("_id") and key in hsds.LINK_IDS.get(entity, set()):
            assert exported.get(key) == value, where
        else:
            skipped.add(f"{entity}.{key}")


def export_services() -> dict[str, dict]:
    lines = run("export_hsds", "--format", "ndjson").splitlines()
    services = [json.loads(line) for line in lines if line.strip()]
    return {s["id"]: s for s in services}


def exported(kind: str, obj_id: str) -> dict:
    if kind == "service":
        return export_services()[obj_id]
    if kind == "organization":
        return hsds.organization_to_hsds(m.Organization.objects.get(pk=obj_id), services="full")
    return hsds.service_at_location_to_hsds(m.ServiceAtLocation.objects.get(pk=obj_id))


def example_objects(name: str) -> list[dict]:
    document = json.loads((EXAMPLES / name).read_text())
    return document.get("contents", [document])


@pytest.mark.parametrize("name", sorted(ROUND_TRIP))
def test_spec_example_round_trips(name):
    kind = ROUND_TRIP[name]
    output = run("import_hsds", str(EXAMPLES / name))
    assert "0 updated" in output and "created" in output
    skipped: set[str] = set()
    for obj in example_objects(name):
        out = exported(kind, obj["id"])
        hsds.validate_hsds(out, kind)
        compare(obj, out, kind, "$", skipped)
    documented = {f"{entity}.{key}" for entity, keys in hsds.NOT_STORED.items() for key in keys}
    documented |= {f"{e}.{k}" for e, k in DERIVED | UNRESOLVED_PARENTS}
    documented |= {f"{entity}.metadata" for entity in hsds.MODELS}
    assert skipped <= documented, f"undocumented fields dropped: {skipped - documented}"
    # Idempotent: the same file again changes nothing.
    before = db_counts()
    again = run("import_hsds", str(EXAMPLES / name))
    assert " 0 created, 0 updated, " in again.splitlines()[0]
    assert db_counts() == before


def test_every_service_organization_and_sal_example_is_round_tripped():
    found = {
        p.name
        for p in EXAMPLES.glob("*.json")
        if p.name.split("_full")[0].split("_list")[0]
        in {"service", "organization", "service_at_location"}
    }
    assert found == set(ROUND_TRIP)


def test_not_stored_fields_are_documented():
    api_doc = (Path(settings.BASE_DIR) / "docs" / "api.md").read_text()
    for entity, keys in hsds.NOT_STORED.items():
        for key in keys:
            assert key in hsds.__doc__, f"{entity}.{key} missing in the hsds docstring"
            assert key in api_doc, f"{entity}.{key} missing in docs/api.md"


def test_all_examples_import_together_and_export_validates():
    for name in sorted(ROUND_TRIP) + [
        "location.json",
        "taxonomy.json",
        "taxonomy_term.json",
        "taxonomy_list.json",
        "taxonomy_term_list.json",
    ]:
        hsds.import_hsds(json.loads((EXAMPLES / name).read_text()))
    services = list(hsds.iter_hsds_services())
    assert services
    for service in services:
        hsds.validate_hsds(service, "service")
    for term in m.TaxonomyTerm.objects.all():
        hsds.validate_hsds(hsds.taxonomy_term_to_hsds(term), "taxonomy_term")
    for location in m.Location.objects.all():
        hsds.validate_hsds(hsds.location_to_hsds(location), "location")


# ---------------------------------------------------------------- export of our own data


@pytest.fixture
def rich_service():
    """A service with every kind of detail, made with the factories."""
    theme = ensure_theme_taxonomy().terms.get(code="schuldhulp")
    service = f.ServiceFactory(
        name="Schuldhulp West",
        description="Hulp bij geldzorgen",
        email="info@example.nl",
        url="https://example.nl/schuldhulp",
        minimum_age=18,
        last_verified=date(2024, 5, 1),
    )
    sal = f.ServiceAtLocationFactory(service=service)
    f.AddressFactory(location=sal.location)
    f.ScheduleFactory(
        service=service, opens_at=time(9), closes_at=time(17, 30), valid_from=date(2024, 1, 1)
    )
    f.ScheduleFactory(location=sal.location, byday="MO", opens_at=time(13))
    contact = m.Contact.objects.create(service=service, name="Anna", email="anna@example.nl")
    phone = m.Phone.objects.create(
        service=service, contact=contact, number="020 123 4567", type="voice", extension=12
    )
    m.Language.objects.create(phone=phone, service=service, code="nl", name="Nederlands")
    m.CostOption.objects.create(service=service, amount=Decimal("0.00"), option="Gratis")
    m.CostOption.objects.create(service=service, amount=Decimal("2.50"), option="Lunch")
    m.ServiceArea.objects.create(
        service=service, name="Amsterdam", municipality=service.municipality
    )
    m.Accessibility.objects.create(location=sal.location, wheelchair=True, description="Lift")
    m.Attribute.objects.create(link_entity="service", link_id=service.id, taxonomy_term=theme)
    return service


def test_export_of_factory_data_validates_with_formats(rich_service):
    out = run("export_hsds")
    services = json.loads(out)
    assert [s["id"] for s in services] == [str(rich_service.id)]
    service = services[0]
    hsds.validate_hsds(service, "service")
    assert service["assured_date"] == "2024-05-01"
    assert service["last_modified"].endswith("Z") and "." in service["last_modified"]
    assert {c["amount"] for c in service["cost_options"]} == {0, 2.5}
    schedule = next(s for s in service["schedules"] if s.get("opens_at") == "09:00:00")
    assert schedule["closes_at"] == "17:30:00" and schedule["valid_from"] == "2024-01-01"
    sal = service["service_at_locations"][0]
    assert sal["location"]["addresses"][0]["postal_code"] == "1055AB"
    assert sal["location"]["schedules"][0]["byday"] == "MO"
    term = service["attributes"][0]["taxonomy_term"]
    assert term["code"] == "schuldhulp"
    assert term["parent_id"] == str(m.TaxonomyTerm.objects.get(code="geld-en-schulden").id)
    assert term["taxonomy_detail"]["name"] == "Thema's sociale basis"
    assert service["attributes"][0]["link_entity"] == "service"
    phone = service["phones"][0]
    assert phone["languages"][0]["code"] == "nl"
    assert service["contacts"][0]["phones"][0]["id"] == phone["id"]


def test_export_leaves_out_values_that_would_break_the_schema():
    service = f.ServiceFactory(email="not-an-e-mail", url="www.example.nl")
    f.ScheduleFactory(service=service, freq="DAILY")
    out = hsds.service_to_hsds(service)
    hsds.validate_hsds(out, "service")
    assert "email" not in out and "url" not in out
    assert "freq" not in out["schedules"][0]
    assert out["organization"]["description"] == ""


def test_ndjson_export_to_file_and_back(tmp_path, rich_service):
    target = tmp_path / "export.ndjson"
    run("export_hsds", "--format", "ndjson", "--output", str(target), "--validate")
    lines = target.read_text().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["id"] == str(rich_service.id)
    before = db_counts()
    output = run("import_hsds", str(target))
    assert " 0 created, 0 updated, " in output.splitlines()[0]
    assert db_counts() == before
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind


def test_export_of_an_empty_directory_is_an_empty_array():
    assert json.loads(run("export_hsds")) == []


# ---------------------------------------------------------------- import behaviour


def service_doc(**extra) -> dict:
    doc = {
        "id": str(uuid.uuid4()),
        "name": "Taalcafé",
        "status": "active",
        "organization": {"id": str(uuid.uuid4()), "name": "Buurthuis", "description": ""},
    }
    doc.update(extra)
    return doc


def test_broken_document_aborts_atomically_with_path_and_reason(tmp_path):
    good = service_doc()
    bad = service_doc(phones=[{"id": str(uuid.uuid4()), "number": "1", "extension": "abc"}])
    path = tmp_path / "broken.json"
    path.write_text(json.dumps([good, bad]))
    before = db_counts()
    with pytest.raises(CommandError) as info:
        call_command("import_hsds", str(path), stdout=StringIO())
    message = str(info.value)
    assert str(path) in message
    assert "$[1].phones[0].extension" in message
    assert "'abc' is not of type 'number'" in message
    assert db_counts() == before


def test_error_after_writes_rolls_everything_back(tmp_path):
    # Schema-valid (formats are not checked on import), but our field validation rejects
    # the e-mail address of the second object, after the first has been written.
    good = service_doc()
    bad = service_doc(email="geen e-mailadres")
    path = tmp_path / "late.json"
    path.write_text(json.dumps({"contents": [good, bad]}))
    before = db_counts()
    with pytest.raises(CommandError) as info:
        call_command("import_hsds", str(path), stdout=StringIO())
    assert "$.contents[1].email" in str(info.value)
    assert db_counts() == before


def test_malformed_json_names_line_and_column(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{\n  "id": "x",\n  "name": "y"\n  "status": "active"\n}')
    with pytest.raises(CommandError) as info:
        call_command("import_hsds", str(path), stdout=StringIO())
    assert str(path) in str(info.value)
    assert "line 4, column 3" in str(info.value)


def test_malformed_ndjson_names_the_line(tmp_path):
    path = tmp_path / "bad.ndjson"
    path.write_text(json.dumps(service_doc()) + "\n{oops}\n")
    with pytest.raises(CommandError, match=r"line 2, column 2"):
        call_command("import_hsds", str(path), stdout=StringIO())


def test_missing_file_and_unknown_kind(tmp_path):
    with pytest.raises(CommandError, match="file not found"):
        call_command("import_hsds", str(tmp_path / "nope.json"), stdout=StringIO())
    path = tmp_path / "what.json"
    path.write_text(json.dumps([{"id": "1"}, 3]))
    with pytest.raises(CommandError) as info:
        call_command("import_hsds", str(path), stdout=StringIO())
    assert "$[0]: cannot tell which HSDS object" in str(info.value)
    assert "$[1]: expected an object, found int" in str(info.value)


def test_service_without_organization_is_an_error():
    doc = {"id": str(uuid.uuid4()), "name": "Los", "status": "active"}
    with pytest.raises(hsds.HSDSError) as info:
        hsds.import_hsds(doc)
    assert info.value.errors[0][0] == "$"
    assert "organization" in info.value.errors[0][1]


def test_non_uuid_ids_are_kept_in_source_id_and_reimport_finds_them():
    doc = {
        "id": "org-1",
        "name": "Buurtvereniging",
        "description": "",
        "services": [
            {
                "id": "svc-1",
                "name": "Klaverjassen",
                "status": "active",
                "phones": [{"id": "tel-1", "number": "020 1"}],
            }
        ],
    }
    report = hsds.import_hsds(doc)
    assert report.tally("service").created == 1
    org = m.Organization.objects.get(source="hsds", source_id="org-1")
    service = m.Service.objects.get(source="hsds", source_id="svc-1")
    assert service.organization == org
    assert isinstance(service.pk, uuid.UUID)
    report = hsds.import_hsds(doc)
    assert report.changed == 0
    assert m.Service.objects.count() == 1 and m.Phone.objects.count() == 1
    # the export uses our UUIDs, and importing that changes nothing either
    again = hsds.import_hsds(hsds.service_to_hsds(service))
    assert again.changed == 0


def test_present_array_is_the_complete_list():
    phones = [{"id": str(uuid.uuid4()), "number": "1"}, {"id": str(uuid.uuid4()), "number": "2"}]
    doc = service_doc(phones=phones, alert="Gesloten in augustus")
    hsds.import_hsds(doc)
    assert m.Phone.objects.count() == 2
    doc["phones"] = phones[:1]
    del doc["alert"]
    report = hsds.import_hsds(doc)
    assert report.tally("phone").deleted == 1
    assert report.tally("service").updated == 1
    service = m.Service.objects.get(pk=doc["id"])
    assert service.alert == ""
    assert [p.number for p in service.phones.all()] == ["1"]
    # an absent array leaves the children alone
    del doc["phones"]
    hsds.import_hsds(doc)
    assert service.phones.count() == 1


def test_shared_phone_survives_when_unlisted_from_one_parent():
    phone = {"id": str(uuid.uuid4()), "number": "020 5"}
    location = {
        "id": str(uuid.uuid4()),
        "location_type": "physical",
        "name": "Buurthuis",
        "phones": [phone],
    }
    doc = service_doc(
        phones=[phone], service_at_locations=[{"id": str(uuid.uuid4()), "location": location}]
    )
    hsds.import_hsds(doc)
    stored = m.Phone.objects.get(pk=phone["id"])
    assert stored.service_id and stored.location_id
    doc["phones"] = []
    report = hsds.import_hsds(doc)
    stored.refresh_from_db()
    assert stored.service_id is None and stored.location_id is not None
    assert report.tally("phone").updated == 1


def test_parents_later_in_the_document_are_linked():
    taxonomy = {"id": str(uuid.uuid4()), "name": "Categorieën", "description": ""}
    parent_id, child_id = str(uuid.uuid4()), str(uuid.uuid4())
    child = {
        "id": child_id,
        "code": "kind",
        "name": "Kind",
        "description": "",
        "parent_id": parent_id,
        "taxonomy_detail": taxonomy,
    }
    parent = {
        "id": parent_id,
        "code": "ouder",
        "name": "Ouder",
        "description": "",
        "taxonomy_detail": taxonomy,
    }
    report = hsds.import_hsds([child, parent], kind="taxonomy_term")
    assert not report.notes
    stored = m.TaxonomyTerm.objects.get(pk=child_id)
    assert str(stored.parent_id) == parent_id
    assert stored.path == "/ouder/kind/"
    org_a = {
        "id": str(uuid.uuid4()),
        "name": "A",
        "description": "",
        "parent_organization_id": None,
    }
    org_b = {"id": str(uuid.uuid4()), "name": "B", "description": ""}
    org_a["parent_organization_id"] = org_b["id"]
    hsds.import_hsds([org_a, org_b])
    assert str(m.Organization.objects.get(pk=org_a["id"]).parent_organization_id) == org_b["id"]


def test_attribute_by_taxonomy_term_id_and_unknown_term():
    term = ensure_theme_taxonomy().terms.get(code="voedsel")
    doc = service_doc(attributes=[{"id": str(uuid.uuid4()), "taxonomy_term_id": str(term.id)}])
    hsds.import_hsds(doc)
    attribute = m.Attribute.objects.get()
    assert attribute.taxonomy_term == term and str(attribute.link_id) == doc["id"]
    assert attribute.link_entity == "service"
    unknown = service_doc(
        attributes=[{"id": str(uuid.uuid4()), "taxonomy_term_id": str(uuid.uuid4())}]
    )
    with pytest.raises(hsds.HSDSError) as info:
        hsds.import_hsds(unknown)
    assert info.value.errors[0][0] == "$.attributes[0].taxonomy_term_id"


def test_import_places_locations_in_neighbourhoods_and_indexes_for_search():
    municipality = Municipality.objects.create(code="GM0363", name="Amsterdam")
    district = District.objects.create(code="WK036399", name="Testwijk", municipality=municipality)
    square = [[4.80, 52.30], [4.90, 52.30], [4.90, 52.40], [4.80, 52.40], [4.80, 52.30]]
    hood = Neighbourhood.objects.create(
        code="BU03639901",
        name="Testbuurt",
        district=district,
        municipality=municipality,
        geometry={"type": "Polygon", "coordinates": [square]},
    )
    location = {
        "id": str(uuid.uuid4()),
        "location_type": "physical",
        "name": "Het Buurthuis",
        "latitude": 52.35,
        "longitude": 4.85,
        "addresses": [
            {
                "id": str(uuid.uuid4()),
                "address_1": "Teststraat 1",
                "city": "Amsterdam",
                "state_province": "",
                "postal_code": "1055AB",
                "country": "NL",
                "address_type": "physical",
            }
        ],
    }
    doc = service_doc(
        name="Naaicafé",
        description="Samen kleding repareren",
        service_at_locations=[{"id": str(uuid.uuid4()), "location": location}],
    )
    hsds.import_hsds(doc)
    stored = m.Location.objects.get(pk=location["id"])
    assert stored.neighbourhood == hood and stored.municipality == municipality
    assert m.Service.objects.get(pk=doc["id"]).municipality == municipality
    response = search(SearchParams(q="naaicafe"))
    assert [str(hit.service.id) for hit in response.hits] == [doc["id"]]


def test_dry_run_changes_nothing(tmp_path):
    path = tmp_path / "one.json"
    path.write_text(json.dumps(service_doc()))
    before = db_counts()
    output = run("import_hsds", str(path), "--dry-run")
    assert output.startswith("dry run, rolled back:")
    assert "1 created" in output.splitlines()[1] or "created" in output
    assert db_counts() == before


def test_validate_hsds_lists_every_path_and_reason():
    with pytest.raises(hsds.HSDSError) as info:
        hsds.validate_hsds({"id": "nope", "status": "open", "phones": [{"id": 1}]}, "service")
    errors = dict(info.value.errors)
    assert "'name' is a required property" in errors["$"]
    assert "is not a 'uuid'" in errors["$.id"]
    assert "is not one of" in errors["$.status"]
    assert "is not of type 'string'" in errors["$.phones[0].id"]
    assert "'number' is a required property" in errors["$.phones[0]"]
    assert "$.phones[0].id:" in str(info.value)


def test_validate_hsds_follows_refs_between_schema_files():
    sal = {
        "id": str(uuid.uuid4()),
        "location": {"id": str(uuid.uuid4()), "location_type": "nowhere"},
    }
    errors = hsds.hsds_errors(sal, "service_at_location.json")
    assert errors and errors[0][0] == "$.location.location_type"


def test_round_trip_comparison_notices_a_difference():
    obj = json.loads((EXAMPLES / "service_full.json").read_text())
    hsds.import_hsds(obj)
    out = exported("service", obj["id"])
    out["service_at_locations"][0]["location"]["addresses"][0]["city"] = "Elders"
    with pytest.raises(AssertionError, match=r"addresses\[0\]\.city"):
        compare(obj, out, "service", "$", set())
    out = exported("service", obj["id"])
    out["schedules"][0]["opens_at"] = "10:00:01"
    with pytest.raises(AssertionError, match=r"schedules\[0\]\.opens_at"):
        compare(obj, out, "service", "$", set())


def test_nul_character_is_a_clear_error_on_every_database():
    with pytest.raises(hsds.HSDSError) as info:
        hsds.import_hsds(service_doc(description="a\x00b"))
    assert info.value.errors == [("$.description", "contains a NUL character")]


@pytest.mark.parametrize(
    "extra, path, reason",
    [
        ({"minimum_age": 12.5}, "$.minimum_age", "12.5 is not a whole number"),
        ({"minimum_age": -1}, "$.minimum_age", "0"),
        ({"assured_date": "31-12-2024"}, "$.assured_date", "is not a date (YYYY-MM-DD)"),
        (
            {"schedules": [{"id": "s1", "opens_at": "09:00+01:00"}]},
            "$.schedules[0].opens_at",
            "UTC offset",
        ),
        (
            {"schedules": [{"id": "s1", "opens_at": "negen uur"}]},
            "$.schedules[0].opens_at",
            "is not a time",
        ),
        ({"cost_options": [{"id": "c1", "amount": 1.234}]}, "$.cost_options[0].amount", "2"),
        ({"url": "geen url"}, "$.url", "URL"),
        ({"name": "x" * 301}, "$.name", "300"),
    ],
)
def test_field_errors_name_path_and_reason(extra, path, reason):
    with pytest.raises(hsds.HSDSError) as info:
        hsds.import_hsds(service_doc(**extra))
    [(error_path, error_reason)] = info.value.errors
    assert error_path == path and reason in error_reason
