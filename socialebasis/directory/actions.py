"""Writes of the directory. Every write is a ``do_<verb>_<noun>(..., *, acting_user)`` function
(project rule), so the admin, the site, the API and the commands share validation, the audit
event (``directory.events``) and the search-index refresh.

``acting_user`` is the logged-in user, or None for the system (a command, an anonymous
resident). Audit rows name changed fields and counts, never values. Search-index refreshes of
edited entries run after the transaction commits (``transaction.on_commit``): a failing index
never loses the coordinator's edit, and the next rebuild catches up.
"""

from collections.abc import Callable, Iterable
from pathlib import Path
from uuid import UUID

from django.db import models, transaction
from django.utils import timezone

from socialebasis.audit import events as audit
from socialebasis.directory import events
from socialebasis.directory.constants import ReportStatus
from socialebasis.directory.models import (
    Attribute,
    ErrorReport,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    SynonymGroup,
    Taxonomy,
    TaxonomyTerm,
)
from socialebasis.lib.importing import Report

MESSAGE_MAX_LENGTH = 5000
NAME_MAX_LENGTH = 200

Entry = Organization | Service | Location


# ------------------------------------------------------------------ search index


def _reindex_on_commit(service_ids: Iterable[UUID]) -> None:
    """Re-index services (a list of ids; duplicates allowed) once the current transaction
    commits (at once outside a transaction)."""
    ids = list(dict.fromkeys(service_ids))
    if ids:

        def run() -> None:
            from socialebasis.directory import search_index

            search_index.reindex_services(ids)

        transaction.on_commit(run)


def affected_service_ids(entry: Entry) -> list[UUID]:
    """The services whose search entries show ``entry``: the service itself, the services of
    an organisation, the services offered at a location. Returns a list of ids."""
    if isinstance(entry, Service):
        return [entry.pk]
    if isinstance(entry, Organization):
        return list(Service.objects.filter(organization=entry).values_list("id", flat=True))
    if isinstance(entry, Location):
        return list(
            ServiceAtLocation.objects.filter(location=entry).values_list("service_id", flat=True)
        )
    raise TypeError(f"not a directory entry: {type(entry).__name__}")


# ------------------------------------------------ organisations, services, locations


def _changed_fields(entry: models.Model) -> list[str]:
    """Names of the concrete fields of ``entry`` whose value differs from its stored row
    (every field when there is no stored row)."""
    fields = [f for f in entry._meta.concrete_fields if not f.primary_key]
    stored = type(entry).objects.filter(pk=entry.pk).values(*(f.attname for f in fields)).first()
    if stored is None:
        return [f.name for f in fields]
    return [f.name for f in fields if getattr(entry, f.attname) != stored[f.attname]]


def _save_entry(
    entry: Entry,
    *,
    acting_user,
    changed_fields: list[str] | None,
    save_related: Callable[[], None] | None,
) -> Entry:
    adding = entry._state.adding
    if changed_fields is None:
        changed_fields = _changed_fields(entry)
    changed_fields = sorted(set(changed_fields) - {"updated_at"})
    if not adding and not changed_fields:
        if save_related is not None:
            save_related()  # writes nothing either; the admin's formsets expect to be saved
        return entry
    with transaction.atomic():
        entry.save()
        if save_related is not None:
            save_related()
        audit.append(
            events.DIRECTORY_ENTRY_CREATED if adding else events.DIRECTORY_ENTRY_CHANGED,
            acting_user,
            entry,
            fields=changed_fields,
        )
        _reindex_on_commit(affected_service_ids(entry))
    return entry


def do_save_organization(
    organization: Organization,
    *,
    acting_user,
    changed_fields: list[str] | None = None,
    save_related: Callable[[], None] | None = None,
) -> Organization:
    """Save a new or edited organisation, audit it and re-index its services.

    ``changed_fields`` are the names of what changed (the admin passes its form's changed
    fields and inline names); None compares with the stored row. An existing organisation with
    nothing changed is not written. ``save_related`` (no arguments) saves related rows (the
    admin's inlines) after the organisation, in the same transaction. Returns the organisation.
    """
    return _save_entry(
        organization,
        acting_user=acting_user,
        changed_fields=changed_fields,
        save_related=save_related,
    )


def do_save_service(
    service: Service,
    *,
    acting_user,
    changed_fields: list[str] | None = None,
    save_related: Callable[[], None] | None = None,
) -> Service:
    """Save a new or edited service, audit it (changed field names) and re-index it after
    commit. Arguments as ``do_save_organization``. Returns the service."""
    return _save_entry(
        service, acting_user=acting_user, changed_fields=changed_fields, save_related=save_related
    )


def do_save_location(
    location: Location,
    *,
    acting_user,
    changed_fields: list[str] | None = None,
    save_related: Callable[[], None] | None = None,
) -> Location:
    """Save a new or edited location, audit it and re-index the services offered there.
    Arguments as ``do_save_organization``. Returns the location."""
    return _save_entry(
        location, acting_user=acting_user, changed_fields=changed_fields, save_related=save_related
    )


def _delete_entry(entry: Entry, *, acting_user, reports) -> None:
    """Delete ``entry`` with the error reports the delete cascades to (each audited), audit
    it and re-index the services it showed in (deleted services drop out of the index)."""
    with transaction.atomic():
        service_ids = affected_service_ids(entry)
        for report in reports:
            do_delete_error_report(
                report, acting_user=acting_user, reason=f"{entry._meta.model_name} deleted"
            )
        audit.append(events.DIRECTORY_ENTRY_DELETED, acting_user, entry)
        entry.delete()
        _reindex_on_commit(service_ids)


def do_delete_organization(organization: Organization, *, acting_user) -> None:
    """Delete an organisation and (cascade) its services and their error reports; audited."""
    reports = ErrorReport.objects.filter(
        models.Q(organization=organization) | models.Q(service__organization=organization)
    )
    _delete_entry(organization, acting_user=acting_user, reports=list(reports))


def do_delete_service(service: Service, *, acting_user) -> None:
    """Delete a service and its error reports; audited, the search index follows."""
    reports = list(ErrorReport.objects.filter(service=service))
    _delete_entry(service, acting_user=acting_user, reports=reports)


def do_delete_location(location: Location, *, acting_user) -> None:
    """Delete a location and its error reports; audited, its services are re-indexed."""
    reports = list(ErrorReport.objects.filter(location=location))
    _delete_entry(location, acting_user=acting_user, reports=reports)


def do_mark_verified(queryset, *, acting_user, day=None) -> int:
    """Set ``last_verified`` of organisations/services/locations (a queryset of one model) to
    ``day`` (a date; default today, Europe/Amsterdam), one audit row per record changed.
    Returns the number of records changed. The search index does not hold this date."""
    day = day or timezone.localdate()
    with transaction.atomic():
        entries = list(queryset.exclude(last_verified=day))
        for entry in entries:
            entry.last_verified = day
            entry.save(update_fields=["last_verified"])
            audit.append(
                events.DIRECTORY_ENTRY_CHANGED, acting_user, entry, fields=["last_verified"]
            )
    return len(entries)


# ------------------------------------------------------------------ taxonomy and synonyms


def _term_service_ids(terms) -> list[UUID]:
    return list(
        Attribute.objects.filter(link_entity="service", taxonomy_term__in=terms).values_list(
            "link_id", flat=True
        )
    )


def _reindex_for_terms(service_ids: list[UUID]) -> None:
    """After commit: re-index the services tagged with changed terms (their names are in the
    documents) and recount the vocabulary (it counts taxonomy term names too)."""

    def run() -> None:
        from socialebasis.directory import search_index

        search_index.reindex_services(service_ids)
        search_index.rebuild_vocabulary()

    transaction.on_commit(run)


def _save_reference(obj, *, acting_user, changed_fields, save_related, terms) -> None:
    adding = obj._state.adding
    if changed_fields is None:
        changed_fields = _changed_fields(obj)
    changed_fields = sorted(set(changed_fields))
    if not adding and not changed_fields:
        if save_related is not None:
            save_related()  # writes nothing either; the admin's formsets expect to be saved
        return
    with transaction.atomic():
        obj.save()
        if save_related is not None:
            save_related()
        audit.append(
            events.DIRECTORY_ENTRY_CREATED if adding else events.DIRECTORY_ENTRY_CHANGED,
            acting_user,
            obj,
            fields=changed_fields,
        )
        if terms is not None:
            _reindex_for_terms(_term_service_ids(terms(obj)))


def do_save_taxonomy(
    taxonomy: Taxonomy,
    *,
    acting_user,
    changed_fields: list[str] | None = None,
    save_related: Callable[[], None] | None = None,
) -> Taxonomy:
    """Save a taxonomy (and, ``save_related``, its terms), audit it, and re-index the services
    tagged with its terms plus the vocabulary after commit. Returns the taxonomy."""
    _save_reference(
        taxonomy,
        acting_user=acting_user,
        changed_fields=changed_fields,
        save_related=save_related,
        terms=lambda t: TaxonomyTerm.objects.filter(taxonomy=t),
    )
    return taxonomy


def do_save_taxonomy_term(
    term: TaxonomyTerm,
    *,
    acting_user,
    changed_fields: list[str] | None = None,
    save_related: Callable[[], None] | None = None,
) -> TaxonomyTerm:
    """Save a taxonomy term, audit it, and re-index the services tagged with it plus the
    vocabulary after commit. Returns the term."""
    _save_reference(
        term,
        acting_user=acting_user,
        changed_fields=changed_fields,
        save_related=save_related,
        terms=lambda t: [t],
    )
    return term


def do_save_synonym_group(
    group: SynonymGroup,
    *,
    acting_user,
    changed_fields: list[str] | None = None,
    save_related: Callable[[], None] | None = None,
) -> SynonymGroup:
    """Save a synonym group and audit it (the search reads synonyms per query: no re-index).
    Returns the group."""
    _save_reference(
        group,
        acting_user=acting_user,
        changed_fields=changed_fields,
        save_related=save_related,
        terms=None,
    )
    return group


def _delete_reference(obj, *, acting_user, service_ids: list[UUID] | None) -> None:
    with transaction.atomic():
        audit.append(events.DIRECTORY_ENTRY_DELETED, acting_user, obj)
        obj.delete()
        if service_ids is not None:
            _reindex_for_terms(service_ids)


def do_delete_taxonomy(taxonomy: Taxonomy, *, acting_user) -> None:
    """Delete a taxonomy with its terms and their tags; audited, the index follows."""
    ids = _term_service_ids(TaxonomyTerm.objects.filter(taxonomy=taxonomy))
    _delete_reference(taxonomy, acting_user=acting_user, service_ids=ids)


def do_delete_taxonomy_term(term: TaxonomyTerm, *, acting_user) -> None:
    """Delete a taxonomy term (and its sub-terms and tags); audited, the index follows."""
    _delete_reference(term, acting_user=acting_user, service_ids=_term_service_ids([term]))


def do_delete_synonym_group(group: SynonymGroup, *, acting_user) -> None:
    """Delete a synonym group; audited."""
    _delete_reference(group, acting_user=acting_user, service_ids=None)


# ------------------------------------------------------------------ imports


def _import_reason(source: str, report: Report) -> str:
    totals = {
        state: sum(getattr(t, state) for t in report.tallies.values())
        for state in ("created", "updated", "unchanged", "deleted")
    }
    return f"{source}: " + ", ".join(f"{n} {state}" for state, n in totals.items())


def do_import_hsds(
    document: object,
    *,
    acting_user,
    source: str = "",
    kind: str | None = None,
    reindex: bool = True,
    dry_run: bool = False,
) -> Report:
    """Import an HSDS 3.0 document (``hsds.import_hsds``: all or nothing) and write one audit
    row for the run: ``source`` (e.g. the file name) and the created/updated/unchanged/deleted
    totals. A dry run rolls back and writes no row. Raises ``hsds.HSDSError``."""
    from socialebasis.directory.hsds import import_hsds

    with transaction.atomic():
        report = import_hsds(document, kind=kind, reindex=reindex, dry_run=dry_run)
        if not dry_run:
            _audit_import(f"hsds {source}".strip(), report, acting_user)
    return report


def do_import_amsterdam(data_dir: Path, *, acting_user, post: bool = True) -> Report:
    """Load the Amsterdam social facilities and poverty/welfare services from ``data_dir``
    (``importers.amsterdam``) and write one audit row for the run with its totals; ``post``
    also recomputes centroids and the search index (``importers.after_import``). Raises
    ``lib.importing.ImportFailure`` (nothing changed)."""
    from socialebasis.directory.importers import after_import
    from socialebasis.directory.importers.amsterdam import import_amsterdam

    with transaction.atomic():
        report = import_amsterdam(data_dir)
        _audit_import("amsterdam", report, acting_user)
        if post:
            after_import(report)
    return report


def _audit_import(source: str, report: Report, acting_user) -> None:
    audit.append(
        events.DIRECTORY_IMPORTED,
        acting_user,
        None,
        subject_type="directory.import",
        subject_id=source.split()[0][:64],
        reason=_import_reason(source, report),
    )


# ------------------------------------------------------------------ error reports


def _report_municipality(report: ErrorReport) -> str:
    subject = report.service or report.location or report.organization
    municipality = getattr(subject, "municipality", None)
    return municipality.code if municipality is not None else ""


def _audit_report(event: str, report: ErrorReport, acting_user, **kwargs) -> None:
    """An audit row about a report: its type and id, never the reporter's name or e-mail."""
    audit.append(
        event,
        acting_user,
        None,
        subject_type=report._meta.label_lower,
        subject_id=str(report.pk),
        municipality_code=_report_municipality(report),
        **kwargs,
    )


def do_report_error(
    *,
    message: str,
    reporter_name: str = "",
    reporter_email: str = "",
    service: Service | None = None,
    location: Location | None = None,
    organization: Organization | None = None,
    acting_user,
) -> ErrorReport:
    """Record a resident's report that an entry is wrong; it waits for moderation (status new).

    ``message`` is required and at most 5,000 characters; the name at most 200. At most one of
    service/location/organization is the subject (none: a general report). ``acting_user`` is
    the logged-in user, or None; the report is linked to that account (``ErrorReport.user``),
    which puts it in the account holder's export and erasure. A typed ``reporter_email``
    links nothing. Audited (the report's id and which fields were filled in, never their
    values). Raises ValueError for input the form should have caught.
    """
    message = (message or "").strip()
    if not message:
        raise ValueError("message is required")
    if len(message) > MESSAGE_MAX_LENGTH:
        raise ValueError(f"message is longer than {MESSAGE_MAX_LENGTH} characters")
    reporter_name = (reporter_name or "").strip()
    if len(reporter_name) > NAME_MAX_LENGTH:
        raise ValueError(f"reporter_name is longer than {NAME_MAX_LENGTH} characters")
    if sum(x is not None for x in (service, location, organization)) > 1:
        raise ValueError("a report is about one service, location or organization")
    with transaction.atomic():
        report = ErrorReport.objects.create(
            service=service,
            location=location,
            organization=organization,
            reporter_name=reporter_name,
            reporter_email=(reporter_email or "").strip(),
            message=message,
            user=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        )
        filled = ["message"] + [
            name for name in ("reporter_name", "reporter_email", "user") if getattr(report, name)
        ]
        _audit_report(events.ERROR_REPORT_CREATED, report, acting_user, fields=filled)
    return report


def do_moderate_error_report(report: ErrorReport, status: str, *, acting_user) -> bool:
    """Set the moderation status of one error report (``ReportStatus``: new/resolved/
    rejected) and when it was handled (None again for new); audited with the new status.
    Returns False (and writes nothing) when the report had that status already. Raises
    ValueError for an unknown status."""
    if status not in ReportStatus.values:
        raise ValueError(f"unknown report status {status!r}")
    stored = ErrorReport.objects.filter(pk=report.pk).values_list("status", flat=True).first()
    if stored is None or stored == status:
        return False
    with transaction.atomic():
        report.status = status
        report.handled_at = None if status == ReportStatus.NEW else timezone.now()
        report.save(update_fields=["status", "handled_at"])
        _audit_report(
            events.ERROR_REPORT_MODERATED,
            report,
            acting_user,
            reason=status,
            fields=["handled_at", "status"],
        )
    return True


def do_moderate_error_reports(reports, status: str, *, acting_user) -> int:
    """``do_moderate_error_report`` for every report of a queryset (one audit row each).
    Returns the number of reports changed. Raises ValueError for an unknown status."""
    if status not in ReportStatus.values:
        raise ValueError(f"unknown report status {status!r}")
    with transaction.atomic():
        return sum(
            do_moderate_error_report(report, status, acting_user=acting_user)
            for report in reports.exclude(status=status).select_related(
                "service__municipality", "location__municipality", "organization__municipality"
            )
        )


def do_delete_error_report(report: ErrorReport, *, acting_user, reason: str = "") -> None:
    """Delete an error report (personal data); the audit row keeps only its id and
    ``reason`` (free text without personal data, e.g. "service deleted")."""
    with transaction.atomic():
        _audit_report(events.ERROR_REPORT_DELETED, report, acting_user, reason=reason)
        report.delete()
