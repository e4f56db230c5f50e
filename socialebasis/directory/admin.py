"""Admin (/beheer/) for coordinators: edit the social map, its taxonomy and synonyms, and
moderate residents' error reports.

Every write goes through ``directory.actions`` (``do_save_*``, ``do_delete_*``,
``do_moderate_error_report``...), which audits it and re-indexes the affected services for
search once the whole form, inlines included, is saved and committed.
"""

from django.contrib import admin, messages
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from socialebasis.directory import actions
from socialebasis.directory.constants import ReportStatus
from socialebasis.directory.models import (
    Accessibility,
    Address,
    CostOption,
    ErrorReport,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    SynonymGroup,
    Taxonomy,
    TaxonomyTerm,
)

# A URL typed without a scheme means https (Django 6's default; silences its deprecation).
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


# ---------------------------------------------------------------- shared actions


@admin.action(description=_("Markeer als vandaag gecontroleerd"))
def mark_verified_today(modeladmin, request, queryset):
    count = actions.do_mark_verified(queryset, acting_user=request.user)
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d record gemarkeerd als vandaag gecontroleerd.",
            "%(count)d records gemarkeerd als vandaag gecontroleerd.",
            count,
        )
        % {"count": count},
        messages.SUCCESS,
    )


class ActionsMixin:
    """Save and delete directory entries (organisations, services, locations, taxonomies,
    terms, synonym groups) through their ``do_*`` actions.

    ``save_model`` writes nothing: ``save_related`` calls the save action once the inlines
    are known, with the form's changed fields and the names of the changed inlines, and the
    action saves the object, then (``save_related``) its m2m fields and inlines, in one
    transaction with one audit row.
    """

    save_action = None  # e.g. actions.do_save_service
    delete_action = None  # e.g. actions.do_delete_service

    def save_model(self, request, obj, form, change):
        pass  # written by save_related, through the action

    def save_related(self, request, form, formsets, change):
        changed = list(form.changed_data)
        changed += [formset.get_default_prefix() for formset in formsets if formset.has_changed()]
        parent = super()
        self.save_action(
            form.instance,
            acting_user=request.user,
            changed_fields=changed,
            save_related=lambda: parent.save_related(request, form, formsets, change),
        )

    def delete_model(self, request, obj):
        self.delete_action(obj, acting_user=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self.delete_action(obj, acting_user=request.user)


# ---------------------------------------------------------------- inlines


class ServiceAtLocationInline(admin.TabularInline):
    formfield_overrides = HTTPS_URLS
    model = ServiceAtLocation
    extra = 0
    autocomplete_fields = ["location"]
    fields = ["location", "description"]


class ServicePhoneInline(admin.TabularInline):
    formfield_overrides = HTTPS_URLS
    model = Phone
    fk_name = "service"
    extra = 0
    fields = ["number", "extension", "type", "description"]


class LocationPhoneInline(ServicePhoneInline):
    fk_name = "location"


class ServiceScheduleInline(admin.TabularInline):
    formfield_overrides = HTTPS_URLS
    model = Schedule
    fk_name = "service"
    extra = 0
    fields = [
        "freq",
        "interval",
        "byday",
        "bymonthday",
        "opens_at",
        "closes_at",
        "valid_from",
        "valid_to",
        "description",
    ]


class LocationScheduleInline(ServiceScheduleInline):
    fk_name = "location"


class CostOptionInline(admin.TabularInline):
    formfield_overrides = HTTPS_URLS
    model = CostOption
    extra = 0
    fields = ["option", "amount", "currency", "amount_description", "valid_from", "valid_to"]


class ServiceLanguageInline(admin.TabularInline):
    formfield_overrides = HTTPS_URLS
    model = Language
    fk_name = "service"
    extra = 0
    fields = ["name", "code", "note"]


class ServiceAreaInline(admin.TabularInline):
    formfield_overrides = HTTPS_URLS
    model = ServiceArea
    extra = 0
    autocomplete_fields = ["municipality"]
    fields = ["name", "municipality", "description"]


class AddressInline(admin.StackedInline):
    formfield_overrides = HTTPS_URLS
    model = Address
    extra = 0
    fields = [
        ("address_1", "address_2"),
        ("postal_code", "city"),
        ("region", "state_province"),
        ("country", "address_type"),
        "attention",
    ]


class AccessibilityInline(admin.TabularInline):
    formfield_overrides = HTTPS_URLS
    model = Accessibility
    extra = 0
    fields = ["wheelchair", "description", "details", "url"]


# ---------------------------------------------------------------- directory


@admin.register(Organization)
class OrganizationAdmin(ActionsMixin, admin.ModelAdmin):
    save_action = staticmethod(actions.do_save_organization)
    delete_action = staticmethod(actions.do_delete_organization)
    formfield_overrides = HTTPS_URLS
    list_display = ["name", "kind", "municipality", "last_verified"]
    list_filter = ["kind", "municipality", "source"]
    list_editable = ["last_verified"]
    search_fields = ["name", "alternate_name", "description"]
    autocomplete_fields = ["parent_organization", "municipality"]
    readonly_fields = ["source", "source_id"]
    actions = [mark_verified_today]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "alternate_name",
                    "kind",
                    "description",
                    "municipality",
                    "parent_organization",
                ]
            },
        ),
        (_("Contact"), {"fields": ["email", "website"]}),
        (_("Overig"), {"fields": ["legal_status", "year_incorporated", "uri"]}),
        (_("Herkomst en controle"), {"fields": ["last_verified", "source", "source_id"]}),
    ]


@admin.register(Service)
class ServiceAdmin(ActionsMixin, admin.ModelAdmin):
    save_action = staticmethod(actions.do_save_service)
    delete_action = staticmethod(actions.do_delete_service)
    formfield_overrides = HTTPS_URLS
    list_display = ["name", "organization", "status", "municipality", "last_verified"]
    list_filter = ["status", "organization__kind", "municipality", "source"]
    list_editable = ["last_verified"]
    list_select_related = ["organization", "municipality"]
    search_fields = ["name", "alternate_name", "description", "organization__name"]
    autocomplete_fields = ["organization", "municipality"]
    readonly_fields = ["source", "source_id", "updated_at"]
    actions = [mark_verified_today]
    inlines = [
        ServiceAtLocationInline,
        ServicePhoneInline,
        ServiceScheduleInline,
        CostOptionInline,
        ServiceLanguageInline,
        ServiceAreaInline,
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "alternate_name",
                    "organization",
                    "status",
                    "description",
                    "municipality",
                    "alert",
                ]
            },
        ),
        (
            _("Voor wie en hoe"),
            {
                "fields": [
                    "eligibility_description",
                    "minimum_age",
                    "maximum_age",
                    "application_process",
                    "fees_description",
                    "interpretation_services",
                ]
            },
        ),
        (_("Contact"), {"fields": ["email", "url"]}),
        (
            _("Herkomst en controle"),
            {"fields": ["last_verified", "source", "source_id", "updated_at"]},
        ),
    ]


@admin.register(Location)
class LocationAdmin(ActionsMixin, admin.ModelAdmin):
    save_action = staticmethod(actions.do_save_location)
    delete_action = staticmethod(actions.do_delete_location)
    formfield_overrides = HTTPS_URLS
    list_display = ["name", "kind", "organization", "neighbourhood", "last_verified"]
    list_filter = ["kind", "location_type", "municipality", "source"]
    list_editable = ["last_verified"]
    list_select_related = ["organization", "neighbourhood"]
    search_fields = ["name", "alternate_name", "addresses__address_1", "addresses__postal_code"]
    autocomplete_fields = ["organization", "municipality", "neighbourhood"]
    readonly_fields = ["source", "source_id"]
    actions = [mark_verified_today]
    inlines = [AddressInline, AccessibilityInline, LocationPhoneInline, LocationScheduleInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "alternate_name",
                    "kind",
                    "location_type",
                    "organization",
                    "description",
                    "transportation",
                    "url",
                ]
            },
        ),
        (_("Ligging"), {"fields": ["latitude", "longitude", "municipality", "neighbourhood"]}),
        (_("Herkomst en controle"), {"fields": ["last_verified", "source", "source_id"]}),
    ]


# ---------------------------------------------------------------- taxonomy and synonyms


class TaxonomyTermInline(admin.TabularInline):
    formfield_overrides = HTTPS_URLS
    model = TaxonomyTerm
    extra = 0
    fields = ["code", "name", "parent", "description"]
    show_change_link = True


@admin.register(Taxonomy)
class TaxonomyAdmin(ActionsMixin, admin.ModelAdmin):
    save_action = staticmethod(actions.do_save_taxonomy)
    delete_action = staticmethod(actions.do_delete_taxonomy)
    formfield_overrides = HTTPS_URLS
    list_display = ["name", "code", "version"]
    search_fields = ["name", "code"]
    inlines = [TaxonomyTermInline]


@admin.register(TaxonomyTerm)
class TaxonomyTermAdmin(ActionsMixin, admin.ModelAdmin):
    save_action = staticmethod(actions.do_save_taxonomy_term)
    delete_action = staticmethod(actions.do_delete_taxonomy_term)
    formfield_overrides = HTTPS_URLS
    list_display = ["name", "code", "path", "taxonomy"]
    list_filter = ["taxonomy"]
    search_fields = ["name", "code", "description"]
    readonly_fields = ["path"]
    autocomplete_fields = ["parent"]


@admin.register(SynonymGroup)
class SynonymGroupAdmin(ActionsMixin, admin.ModelAdmin):
    save_action = staticmethod(actions.do_save_synonym_group)
    delete_action = staticmethod(actions.do_delete_synonym_group)
    formfield_overrides = HTTPS_URLS
    list_display = ["terms", "note"]
    search_fields = ["terms", "note"]


# ---------------------------------------------------------------- moderation


@admin.register(ErrorReport)
class ErrorReportAdmin(admin.ModelAdmin):
    """Moderation list of residents' error reports."""

    formfield_overrides = HTTPS_URLS
    list_display = [
        "created_at",
        "subject",
        "short_message",
        "reporter_name",
        "status",
        "handled_at",
    ]
    list_filter = ["status", "created_at"]
    search_fields = [
        "message",
        "reporter_name",
        "reporter_email",
        "service__name",
        "location__name",
        "organization__name",
    ]
    list_select_related = ["service", "location", "organization"]
    readonly_fields = [
        "service",
        "location",
        "organization",
        "reporter_name",
        "reporter_email",
        "message",
        "created_at",
        "handled_at",
    ]
    fields = [
        "service",
        "location",
        "organization",
        "message",
        "reporter_name",
        "reporter_email",
        "status",
        "created_at",
        "handled_at",
    ]
    actions = ["mark_resolved", "mark_rejected"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False  # reports come from residents through the site

    @admin.display(description=_("over"))
    def subject(self, obj):
        return obj.service or obj.location or obj.organization or "–"

    @admin.display(description=_("melding"))
    def short_message(self, obj):
        return obj.message if len(obj.message) <= 80 else obj.message[:79] + "…"

    def _moderate(self, request, queryset, status, text):
        count = actions.do_moderate_error_reports(queryset, status, acting_user=request.user)
        self.message_user(request, text % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Markeer als verwerkt"))
    def mark_resolved(self, request, queryset):
        self._moderate(
            request,
            queryset,
            ReportStatus.RESOLVED,
            _("%(count)d melding(en) gemarkeerd als verwerkt."),
        )

    @admin.action(description=_("Afwijzen"))
    def mark_rejected(self, request, queryset):
        self._moderate(
            request, queryset, ReportStatus.REJECTED, _("%(count)d melding(en) afgewezen.")
        )

    def save_model(self, request, obj, form, change):
        # Only the status is editable: a change of it is a moderation, anything else no write.
        if change and "status" in form.changed_data:
            actions.do_moderate_error_report(obj, obj.status, acting_user=request.user)

    def delete_model(self, request, obj):
        actions.do_delete_error_report(obj, acting_user=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for report in queryset:
                actions.do_delete_error_report(report, acting_user=request.user)
