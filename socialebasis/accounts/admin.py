"""Admin (/beheer/) for users, roles (memberships), teams and regions.

Every role change goes through ``accounts.actions`` (``do_save_membership`` /
``do_revoke_role``), so it is audited, whether made on the membership pages or in the
memberships table on a user's page. A role that opens personal data is not granted there: the
form refuses it for oneself, and for someone else it becomes a request
(``do_request_role_grant``) that another administrator approves or rejects under
"Roltoekenningen" (``RoleGrantAdmin``); such a membership is not edited in place either.
The admin's own login page sends people to the site's login (with its lock-out and
two-factor step).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from socialebasis.accounts import actions, emails
from socialebasis.accounts.constants import ROLES, personal_data_roles
from socialebasis.accounts.models import Membership, Region, RoleGrant, Team, User


def _site_login(request, extra_context=None):
    """/beheer/login/ is the site's login page (lock-out, code step, single sign-on)."""
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"))


admin.site.login = _site_login


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email"]


class MembershipForm(forms.ModelForm):
    """The role is chosen from the registered roles (``accounts.constants.ROLES``).

    ``acting_user`` (set per request by the admin) may not give themself a role that opens
    personal data; nobody changes the user, role or scope of such a membership in place."""

    role = forms.ChoiceField(label=_("rol"), choices=ROLES.choices)
    acting_user = None

    class Meta:
        model = Membership
        fields = ["user", "role", "municipality", "team", "region"]

    def clean(self):
        cleaned = super().clean()
        adding = self.instance._state.adding
        changed = None if adding else list(self.changed_data)
        role = cleaned.get("role")
        user = cleaned.get("user") or (self.instance.user if self.instance.user_id else None)
        widening = role in personal_data_roles() and (
            adding or actions.SCOPE_FIELDS & set(changed or [])
        )
        if not widening:  # other roles, or narrowing: no second administrator needed
            return cleaned
        if user is not None and self.acting_user is not None and user.pk == self.acting_user.pk:
            raise ValidationError(_("Je kunt jezelf geen rol geven die persoonsgegevens opent."))
        if not adding and widening:
            raise ValidationError(
                _(
                    "Een rol die persoonsgegevens opent wijzig je niet: trek hem in en vraag "
                    "een nieuwe aan; een tweede beheerder keurt die goed."
                )
            )
        return cleaned


def _form_for(form_class, request):
    """``form_class`` knowing who acts (the form checks self-grants)."""
    return type(form_class.__name__, (form_class,), {"acting_user": request.user})


def _request_grant(request, membership: Membership) -> RoleGrant:
    """A new membership with a role that opens personal data becomes a request."""
    grant = actions.do_request_role_grant(
        membership.user,
        membership.role,
        membership.municipality,
        membership.team,
        region=membership.region,
        acting_user=request.user,
    )
    messages.warning(
        request,
        _(
            "De rol %(role)s voor %(user)s is aangevraagd. Een tweede beheerder keurt de "
            "aanvraag goed onder Roltoekenningen; pas dan krijgt %(user)s de rol."
        )
        % {"role": grant.get_role_display(), "user": grant.user},
    )
    return grant


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    form = MembershipForm
    fields = ["role", "municipality", "team", "region"]
    verbose_name = _("rol")
    verbose_name_plural = _("rollen")

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = _form_for(self.form, request)
        return super().get_formset(request, obj, **kwargs)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "email_verified_at"]
    list_filter = ["is_active", "is_staff", "is_superuser", "memberships__role"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["last_login", "date_joined", "email_verified_at"]
    inlines = [MembershipInline]
    actions = ["send_invitation", "logout_everywhere", "reset_two_factor"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Persoon"), {"fields": ["full_name"]}),
        (
            _("Rechten"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Data"), {"fields": ["last_login", "date_joined", "email_verified_at"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "usable_password", "password1", "password2"],
                "description": _(
                    "Zonder wachtwoord? Kies dan 'Uitgeschakeld' en stuur daarna een "
                    "uitnodiging (actie in de lijst): de persoon kiest zelf een wachtwoord."
                ),
            },
        )
    ]

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, unquote(id))
            actions.do_record_password_change(user, acting_user=request.user)
        return response

    def get_inline_instances(self, request, obj=None):
        # Roles are added on the user's page after the account exists.
        return super().get_inline_instances(request, obj) if obj is not None else []

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        for membership in formset.deleted_objects:
            actions.do_revoke_role(membership, acting_user=request.user)
        for membership in formset.new_objects:
            if actions.needs_approval(membership):
                _request_grant(request, membership)
            else:
                actions.do_save_membership(membership, acting_user=request.user)
        for membership, fields in formset.changed_objects:
            actions.do_save_membership(
                membership, acting_user=request.user, changed_fields=list(fields)
            )
        return None

    def delete_model(self, request, obj):
        for membership in obj.memberships.all():
            actions.do_revoke_role(membership, acting_user=request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            self.delete_model(request, user)

    @admin.action(description=_("Stuur uitnodiging (link om een wachtwoord te kiezen)"))
    def send_invitation(self, request, queryset):
        count = 0
        for user in queryset.filter(is_active=True):
            emails.send_invitation_email(request, user)
            count += 1
        self.message_user(
            request,
            ngettext("%d uitnodiging verstuurd.", "%d uitnodigingen verstuurd.", count) % count,
            messages.SUCCESS,
        )

    @admin.action(description=_("Overal uitloggen"))
    def logout_everywhere(self, request, queryset):
        for user in queryset:
            actions.do_logout_everywhere(user, acting_user=request.user)
        self.message_user(request, _("De gekozen gebruikers zijn overal uitgelogd."))

    @admin.action(description=_("Tweestapsverificatie resetten (app en herstelcodes kwijt)"))
    def reset_two_factor(self, request, queryset):
        for user in queryset:
            actions.do_disable_two_factor(user, acting_user=request.user)
        self.message_user(
            request,
            _("Tweestapsverificatie is uitgezet; de gebruikers stellen het opnieuw in."),
        )


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = MembershipForm
    list_display = ["user", "role", "municipality", "team", "region"]
    list_filter = ["role", "municipality"]
    search_fields = ["user__email", "user__full_name", "team__name"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "municipality", "team", "region"]
    fields = ["user", "role", "municipality", "team", "region"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = _form_for(self.form, request)
        return super().get_form(request, obj, change, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change and actions.needs_approval(obj):
            obj._requested_grant = _request_grant(request, obj)  # no membership yet
            return
        actions.do_save_membership(
            obj,
            acting_user=request.user,
            changed_fields=list(form.changed_data) if change else None,
        )

    def log_addition(self, request, obj, message):
        if not hasattr(obj, "_requested_grant"):  # a request added no membership
            super().log_addition(request, obj, message)

    def response_add(self, request, obj, post_url_continue=None):
        if hasattr(obj, "_requested_grant"):
            return HttpResponseRedirect(reverse("admin:accounts_rolegrant_changelist"))
        return super().response_add(request, obj, post_url_continue)

    def delete_model(self, request, obj):
        actions.do_revoke_role(obj, acting_user=request.user)

    def delete_queryset(self, request, queryset):
        for membership in queryset:
            actions.do_revoke_role(membership, acting_user=request.user)


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    """Requests for roles that open personal data: another administrator than the one who
    asked (and than the grantee) approves or rejects them with the list's actions. Read-only
    otherwise: requests are made on the membership pages, and kept as the record."""

    list_display = [
        "user",
        "role_label",
        "municipality",
        "team",
        "region",
        "requested_by",
        "created_at",
        "status",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["status", "role", "municipality"]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user", "municipality", "team", "region", "requested_by", "decided_by"]
    actions = ["approve", "reject"]

    @admin.display(description=_("rol"))
    def role_label(self, grant):
        return grant.get_role_display()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _decide(self, request, queryset, decide, done):
        count = 0
        for grant in queryset:
            try:
                decide(grant, acting_user=request.user)
            except (PermissionDenied, ValidationError) as exc:
                self.message_user(request, f"{grant}: {_refusal(exc)}", messages.ERROR)
            else:
                count += 1
        if count:
            self.message_user(request, done(count) % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Goedkeuren (als tweede beheerder)"))
    def approve(self, request, queryset):
        self._decide(
            request,
            queryset,
            actions.do_approve_role_grant,
            lambda n: ngettext(
                "%(count)d aanvraag goedgekeurd.", "%(count)d aanvragen goedgekeurd.", n
            ),
        )

    @admin.action(description=_("Afwijzen of intrekken"))
    def reject(self, request, queryset):
        self._decide(
            request,
            queryset,
            actions.do_reject_role_grant,
            lambda n: ngettext(
                "%(count)d aanvraag afgewezen.", "%(count)d aanvragen afgewezen.", n
            ),
        )


def _refusal(exc) -> str:
    """The administrator's message for a refused decision."""
    from socialebasis.accounts.exceptions import GrantNotPending, SelfGrantRefused

    if isinstance(exc, SelfGrantRefused):
        return _("een tweede beheerder beslist: niet wie de rol aanvroeg en niet wie hem krijgt.")
    if isinstance(exc, GrantNotPending):
        return _("daarover is al besloten.")
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return _("alleen een beheerder beslist over een rol.")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality"]
    list_filter = ["municipality"]
    search_fields = ["name"]
    filter_horizontal = ["districts"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    filter_horizontal = ["municipalities"]
