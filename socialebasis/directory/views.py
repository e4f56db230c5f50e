"""Pages of the social map: home, search (one URL serves the page and its htmx fragment),
service, organisation and location pages, and the error report form."""

from uuid import UUID

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import reswap, retarget

from socialebasis.directory import search as search_module
from socialebasis.directory.actions import do_report_error
from socialebasis.directory.display import (
    describe_ages,
    describe_cost,
    describe_schedules,
)
from socialebasis.directory.forms import ErrorReportForm, SearchForm
from socialebasis.directory.models import Language, Location, Organization, Service
from socialebasis.directory.queries import (
    first_address,
    location_for_page,
    organization_for_page,
    service_for_page,
    theme_terms,
    theme_terms_by_entity,
)
from socialebasis.lib.format import format_radius
from socialebasis.lib.ratelimit import rate_limited

RADIUS_CHOICES = [500, 1000, 2000, 5000, 10000, 25000, 50000]

# (query, place): example searches on the home page; the words are Dutch search terms.
EXAMPLES = [("eenzaam", "1055"), ("buurtkamer", "De Baarsjes"), ("schulden", "")]


@require_GET
def home(request):
    """Home: one search form (what + where) and a few example searches."""
    examples = []
    for q, near in EXAMPLES:
        label = (_("%(what)s bij %(place)s") % {"what": q, "place": near}) if near else q
        examples.append(
            {"label": label, "query": urlencode({"q": q, "near": near} if near else {"q": q})}
        )
    form = SearchForm()
    _describe_fields(form)
    return render(
        request,
        "directory/home.html",
        {
            "form": form,
            "examples": examples,
            "areas_url": reverse("areas:index"),
        },
    )


# ---------------------------------------------------------------- search


@require_GET
@vary_on_headers("HX-Request")
def search(request):
    """Search results with filters and a map.

    Without parameters: the empty form. With parameters: the form is validated and the search
    run; any problem (unknown place, nothing to search for, a malformed value) is shown next to
    its field, with everything the user typed kept. An htmx request gets only the results
    fragment, or the form and results when there are errors (retargeted to #search-body).
    """
    form = SearchForm(data=request.GET) if request.GET else SearchForm()
    _describe_fields(form)
    response = None
    if form.is_bound and form.is_valid():
        try:
            response = search_module.search(form.to_params())
        except search_module.SearchError as exc:
            field = exc.field if exc.field in form.fields else None
            form.add_error(field, exc.reason)
    context = {
        "form": form,
        "response": response,
        "radius_options": _radius_options(form),
        "active_filters": _active_filters(request.GET),
        "language_options": _language_options(form),
    }
    if response is not None:
        context.update(_results_context(response))

    htmx = request.htmx
    if htmx and not htmx.history_restore_request:
        if form.errors or htmx.target == "search-body":
            result = render(request, "directory/search.html#search_body", context)
            if htmx.target != "search-body":
                result = reswap(retarget(result, "#search-body"), "outerHTML")
            return result
        context["oob_status"] = True
        return render(request, "directory/search.html#results", context)
    return render(request, "directory/search.html", context)


FILTER_KEYS = ("theme", "kind", "sort", "language", "age", "area", "free", "wheelchair", "open_now")


def _describe_fields(form) -> None:
    form.fields["q"].help_text = _("Bijvoorbeeld: buurtkamer, schulden, mantelzorg")
    # A text box with a numeric keyboard keeps whatever was typed (type=number would drop it).
    age = form.fields["age"].widget
    age.input_type = "text"
    for attr in ("min", "max", "step"):
        age.attrs.pop(attr, None)
    age.attrs.update({"inputmode": "numeric", "autocomplete": "off"})


def _active_filters(params) -> int:
    """How many filters the request uses (to open the filter panel and say so)."""
    count = sum(1 for key in FILTER_KEYS if params.get(key, "").strip())
    radius = params.get("radius", "").strip()
    return count + (1 if radius and radius != str(search_module.RADIUS_DEFAULT) else 0)


def _results_context(response) -> dict:
    hits = response.hits
    themes = theme_terms_by_entity("service", {hit.service.id for hit in hits})
    results = [
        {
            "hit": hit,
            "address": first_address(hit.location),
            "themes": themes.get(hit.service.id, []),
        }
        for hit in hits
    ]
    return {
        "results": results,
        "first_number": (response.page - 1) * response.page_size + 1,
        "page_numbers": _page_numbers(response.page, response.pages),
        "map_data": _map_data(results, response.place),
    }


def _map_data(results, place) -> dict:
    """What map.js draws: the searched place and one marker per located result."""
    markers = []
    for item in results:
        location = item["hit"].location
        if location is None or location.latitude is None or location.longitude is None:
            continue
        address = item["address"]
        markers.append(
            {
                "lat": location.latitude,
                "lon": location.longitude,
                "title": item["hit"].service.name,
                "subtitle": ", ".join(
                    p for p in [location.name, address.address_1 if address else ""] if p
                ),
                "url": reverse("directory:service", args=[item["hit"].service.id]),
            }
        )
    return {
        "place": (
            {"lat": place.lat, "lon": place.lon, "label": place.label}
            if place is not None
            else None
        ),
        "markers": markers,
        "polygon": None,
        "labels": {"place": _("Gezochte plaats")},
    }


def _page_numbers(page: int, pages: int) -> list[int | None]:
    """Page links: first, last, and two either side of the current page; None is a gap."""
    wanted = {1, pages, *range(page - 2, page + 3)}
    numbers: list[int | None] = []
    for number in sorted(n for n in wanted if 1 <= n <= pages):
        if numbers and numbers[-1] is not None and number - numbers[-1] > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers


def _radius_options(form) -> list[tuple[str, str, bool]]:
    raw = form["radius"].value()
    current = str(raw).strip() if raw not in (None, "") else str(search_module.RADIUS_DEFAULT)
    values = [str(v) for v in RADIUS_CHOICES]
    options = [(v, format_radius(int(v)), v == current) for v in values]
    if current not in values:
        # Keep what the URL said (also a malformed value, which the form reports as an error).
        label = format_radius(int(current)) if current.isdigit() else current
        options.insert(0, (current, label, True))
    return options


def _language_options(form) -> list[tuple[str, str, bool]]:
    """The languages services are offered in (from the data), for the language filter."""
    names: dict[str, str] = {}
    for code, name in (
        Language.objects.exclude(code="").values_list("code", "name").order_by("code").distinct()
    ):
        code = code.strip().lower()
        if code and code not in names:
            names[code] = name or code
    if not names:
        return []
    current = (form["language"].value() or "").strip()
    options = [("", _("Alle talen"), not current)]
    options += [
        (code, f"{name} ({code})", code == current.lower())
        for code, name in sorted(names.items(), key=lambda item: item[1].lower())
    ]
    if current and current.lower() not in names:
        options.append((current, current, True))
    return options


# ---------------------------------------------------------------- detail pages


@require_GET
def service_detail(request, service_id: UUID):
    """A service: what, who, where and when, contact, costs, and "Klopt er iets niet?"."""
    service = get_object_or_404(service_for_page(), pk=service_id)
    locations = []
    accessibility = []
    for sal in service.service_at_locations.all():
        location = sal.location
        schedules = list(sal.schedules.all()) or list(location.schedules.all())
        locations.append(
            {
                "sal": sal,
                "location": location,
                "address": first_address(location),
                "hours": describe_schedules(schedules),
                "phones": list(sal.phones.all()) or list(location.phones.all()),
            }
        )
        accessibility += [(location, a) for a in location.accessibilities.all()]
    return render(
        request,
        "directory/service_detail.html",
        {
            "service": service,
            "organization": service.organization,
            "locations": locations,
            "hours": describe_schedules(service.schedules.all()),
            "costs": [describe_cost(c) for c in service.cost_options.all()],
            "ages": describe_ages(service),
            "languages": [lang.name or lang.code for lang in service.languages.all()],
            "accessibility": accessibility,
            "themes": theme_terms("service", service.id),
            "phones": list(service.phones.all()),
            "contacts": list(service.contacts.all()),
            "map_data": _locations_map_data([item["location"] for item in locations]),
            "report_url": _report_url("service", service.id),
        },
    )


@require_GET
def organization_detail(request, organization_id: UUID):
    """An organisation with its services and locations."""
    organization = get_object_or_404(organization_for_page(), pk=organization_id)
    locations = [
        {"location": loc, "address": first_address(loc)} for loc in organization.locations.all()
    ]
    return render(
        request,
        "directory/organization_detail.html",
        {
            "organization": organization,
            "services": list(organization.services.all()),
            "locations": locations,
            "phones": list(organization.phones.all()),
            "themes": theme_terms("organization", organization.id),
            "map_data": _locations_map_data([item["location"] for item in locations]),
            "report_url": _report_url("organization", organization.id),
        },
    )


@require_GET
def location_detail(request, location_id: UUID):
    """A location: address, map, opening hours, how to get there, and what else is there."""
    location = get_object_or_404(location_for_page(), pk=location_id)
    services = [sal.service for sal in location.service_at_locations.all()]
    return render(
        request,
        "directory/location_detail.html",
        {
            "location": location,
            "addresses": list(location.addresses.all()),
            "hours": describe_schedules(location.schedules.all()),
            "accessibility": list(location.accessibilities.all()),
            "phones": list(location.phones.all()),
            "languages": [lang.name or lang.code for lang in location.languages.all()],
            "services": services,
            "themes": theme_terms("location", location.id),
            "map_data": _locations_map_data([location]),
            "report_url": _report_url("location", location.id),
        },
    )


def _locations_map_data(locations) -> dict:
    markers = []
    for location in locations:
        if location.latitude is None or location.longitude is None:
            continue
        address = first_address(location)
        markers.append(
            {
                "lat": location.latitude,
                "lon": location.longitude,
                "title": location.name,
                "subtitle": str(address) if address else "",
                "url": reverse("directory:location", args=[location.id]),
            }
        )
    return {"place": None, "markers": markers, "polygon": None, "labels": {}}


def _report_url(kind: str, id: UUID) -> str:
    return f"{reverse('directory:report')}?{urlencode({kind: str(id)})}"


# ---------------------------------------------------------------- error reports

_REPORT_SUBJECTS = {"service": Service, "location": Location, "organization": Organization}


def _report_subject(params) -> tuple[str, object] | tuple[None, None]:
    """The record a report is about, from ?service= / ?location= / ?organization=.
    Raises Http404 for a malformed or unknown id; (None, None) for a general report."""
    for kind, model in _REPORT_SUBJECTS.items():
        raw = params.get(kind)
        if raw:
            try:
                pk = UUID(raw)
            except ValueError:
                raise Http404(_("Onbekende vermelding.")) from None
            return kind, get_object_or_404(model, pk=pk)
    return None, None


def _subject_url(kind, subject) -> str:
    if subject is None:
        return reverse("directory:home")
    return reverse(f"directory:{kind}", args=[subject.pk])


@require_http_methods(["GET", "POST"])
@rate_limited("report")
def report_error(request):
    """ "Klopt er iets niet?": a resident reports that an entry is wrong (POST-redirect-GET)."""
    kind, subject = _report_subject(request.GET)
    if request.method == "POST":
        form = ErrorReportForm(data=request.POST)
        if form.is_valid():
            do_report_error(
                **({kind: subject} if subject is not None else {}),
                reporter_name=form.cleaned_data["reporter_name"],
                reporter_email=form.cleaned_data["reporter_email"],
                message=form.cleaned_data["message"],
                acting_user=request.user if request.user.is_authenticated else None,
            )
            thanks = reverse("directory:report_thanks")
            if subject is not None:
                thanks += "?" + urlencode({kind: str(subject.pk)})
            return redirect(thanks)
    else:
        form = ErrorReportForm()
    form.use_required_attribute = False  # server-side validation; fields get aria-required
    form.fields["message"].help_text = _("Maximaal 5.000 tekens.")
    return render(
        request,
        "directory/report_form.html",
        {
            "form": form,
            "kind": kind,
            "subject": subject,
            "subject_url": _subject_url(kind, subject),
        },
    )


@require_GET
def report_thanks(request):
    """Thank-you page after an error report."""
    kind, subject = _report_subject(request.GET)
    return render(
        request,
        "directory/report_thanks.html",
        {
            "subject": subject,
            "subject_url": _subject_url(kind, subject),
        },
    )
