"""factory_boy factories for areas and the directory, shared by all tests."""

import factory

from socialebasis.areas.models import District, Municipality, Neighbourhood
from socialebasis.directory import models as d
from socialebasis.directory.constants import THEME_TAXONOMY


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ["code"]

    code = "GM0363"
    name = "Amsterdam"
    province_name = "Noord-Holland"


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ["code"]

    municipality = factory.SubFactory(MunicipalityFactory)
    code = factory.Sequence(lambda n: f"WK0363{n % 100:02d}")
    name = factory.Sequence(lambda n: f"Wijk {n}")


class NeighbourhoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Neighbourhood
        django_get_or_create = ["code"]

    district = factory.SubFactory(DistrictFactory)
    municipality = factory.SelfAttribute("district.municipality")
    code = factory.Sequence(lambda n: f"BU0363X{n % 1000:03d}")
    name = factory.Sequence(lambda n: f"Buurt {n}")
    residents = 1200
    centroid_lat = 52.37
    centroid_lon = 4.89
    centroid_source = "polygon"


class TaxonomyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = d.Taxonomy
        django_get_or_create = ["code"]

    code = THEME_TAXONOMY
    name = "Thema's sociale basis"


class TaxonomyTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = d.TaxonomyTerm
        django_get_or_create = ["taxonomy", "code"]

    taxonomy = factory.SubFactory(TaxonomyFactory)
    code = factory.Sequence(lambda n: f"thema-{n}")
    name = factory.Sequence(lambda n: f"Thema {n}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = d.Organization

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    kind = "collective_facility"
    municipality = factory.SubFactory(MunicipalityFactory)


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = d.Location

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Locatie {n}")
    kind = "community_centre"
    latitude = 52.37
    longitude = 4.89
    municipality = factory.SelfAttribute("organization.municipality")


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = d.Address

    location = factory.SubFactory(LocationFactory)
    address_1 = factory.Sequence(lambda n: f"Teststraat {n + 1}")
    postal_code = "1055AB"
    city = "Amsterdam"


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = d.Service

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Dienst {n}")
    description = ""
    municipality = factory.SelfAttribute("organization.municipality")


class ServiceAtLocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = d.ServiceAtLocation

    service = factory.SubFactory(ServiceFactory)
    location = factory.SubFactory(
        LocationFactory, organization=factory.SelfAttribute("..service.organization")
    )


class ScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = d.Schedule

    freq = "WEEKLY"
    byday = "MO,TU,WE,TH,FR"
    description = "Werkdagen 9:00-17:00"


class ErrorReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = d.ErrorReport

    service = factory.SubFactory(ServiceFactory)
    reporter_name = "Fatima"
    message = "Het telefoonnummer klopt niet meer."
