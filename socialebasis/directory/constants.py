"""Choices of the directory. HSDS 3.0 enums keep their standard values."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    """Which sphere of the social base an organisation belongs to (seed document)."""

    ASSOCIATION = "association", _("Vereniging / club")
    INFORMAL_GROUP = "informal_group", _("Informeel verband")
    COLLECTIVE_FACILITY = "collective_facility", _("Collectieve voorziening")
    SOCIAL_WORK_PROVIDER = "social_work_provider", _("Sociaalwerkorganisatie")
    MUNICIPALITY = "municipality", _("Gemeente")
    OTHER = "other", _("Overig")


class LocationKind(models.TextChoices):
    """What kind of place a location is; the first group are accommodations (seed sphere 3)."""

    COMMUNITY_CENTRE = "community_centre", _("Buurthuis / wijkcentrum")
    NEIGHBOURHOOD_ROOM = "neighbourhood_room", _("Buurtkamer")
    LIBRARY = "library", _("Bibliotheek")
    CLUB_BUILDING = "club_building", _("Verenigingsgebouw")
    YOUTH_CENTRE = "youth_centre", _("Jongerencentrum")
    PLAYGROUND_BUILDING = "playground_building", _("Speeltuingebouw")
    CHILDRENS_FARM = "childrens_farm", _("Kinderboerderij")
    TEAM_LOCATION = "team_location", _("Locatie buurtteam")
    DAY_ACTIVITY = "day_activity", _("Dagbesteding / inloop")
    SHELTER = "shelter", _("Opvang")
    CARE_RESIDENCE = "care_residence", _("Behandel- of woonlocatie")
    SPORTS = "sports", _("Sportaccommodatie")
    SCHOOL = "school", _("School")
    CULTURE = "culture", _("Cultuur")
    OFFICE = "office", _("Kantoor / loket")
    OTHER = "other", _("Overig")


class LocationType(models.TextChoices):
    """HSDS 3.0 ``location.location_type``."""

    PHYSICAL = "physical", _("Fysiek")
    POSTAL = "postal", _("Postadres")
    VIRTUAL = "virtual", _("Online")


class ServiceStatus(models.TextChoices):
    """HSDS 3.0 ``service.status``."""

    ACTIVE = "active", _("Actief")
    INACTIVE = "inactive", _("Niet actief")
    DEFUNCT = "defunct", _("Opgeheven")
    TEMPORARILY_CLOSED = "temporarily closed", _("Tijdelijk gesloten")


class Weekday(models.TextChoices):
    """iCal (RFC 5545) weekday codes, as HSDS 3.0 ``schedule.byday`` uses them."""

    MO = "MO", _("maandag")
    TU = "TU", _("dinsdag")
    WE = "WE", _("woensdag")
    TH = "TH", _("donderdag")
    FR = "FR", _("vrijdag")
    SA = "SA", _("zaterdag")
    SU = "SU", _("zondag")


WEEKDAY_INDEX = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}


class ReportStatus(models.TextChoices):
    """Moderation state of a resident's error report."""

    NEW = "new", _("Nieuw")
    RESOLVED = "resolved", _("Verwerkt")
    REJECTED = "rejected", _("Afgewezen")


THEME_TAXONOMY = "sb-thema"
