"""Admin (/beheer/) for users, roles (memberships), teams and regions.

Every role change goes through ``accounts.actions`` (``do_save_membership`` /
``do_revoke_role``), so it is audited, whether made on the membership pages or in the
memberships table on a user's page. The admin's own login page sends people to the site's
login (with its lock-out and two-factor step).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from socialebasis.accounts import actions, emails
from socialebasis.accounts.constants import ROLES
from socialebasis.accounts.models import Membership, Region, Team, User


def _site_login(request, extra_context=None):
    """/beheer/login/ is the site's login page (lock-out, code step, single sign-on)."""
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"))


admin.site.login = _site_login


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email"]


class MembershipForm(forms.ModelForm):
    """The role is chosen from the registered roles (``accounts.constants.ROLES``)."""

    role = forms.ChoiceField(label=_("rol"), choices=ROLES.choices)

    class Meta:
        model = Membership
        fields = ["user", "role", "municipality", "team", "region"]


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    form = MembershipForm
    fields = ["role", "municipality", "team", "region"]
    verbose_name = _("rol")
    verbose_name_plural = _("rollen")


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

    def save_model(self, request, obj, form, change):
        actions.do_save_membership(
            obj,
            acting_user=request.user,
            changed_fields=list(form.changed_data) if change else None,
        )

    def delete_model(self, request, obj):
        actions.do_revoke_role(obj, acting_user=request.user)

    def delete_queryset(self, request, queryset):
        for membership in queryset:
            actions.do_revoke_role(membership, acting_user=request.user)


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
