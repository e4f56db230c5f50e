"""Pages of a person's notifications: ``/meldingen/`` (the list), opening one (marks it
read and goes to where it leads), marking all read, and the mail choices."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from socialebasis.notifications import actions
from socialebasis.notifications.access import (
    access_notification_for_user,
    notifications_for_user,
)
from socialebasis.notifications.emails import message_of, subject_of
from socialebasis.notifications.forms import EmailChoicesForm

PAGE_SIZE = 20


@require_GET
@login_required
def notification_list(request):
    """Newest first, twenty a page; unread ones marked."""
    page = Paginator(notifications_for_user(request.user), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    rows = [(n, subject_of(n), message_of(n)) for n in page.object_list]
    return render(request, "notifications/list.html", {"page": page, "rows": rows})


@require_GET
@login_required
def notification_open(request, notification_id):
    """Mark the notification read and go where it leads (its list when it leads nowhere)."""
    notification = access_notification_for_user(request.user, notification_id)
    actions.do_mark_read(notification, acting_user=request.user)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(_in_reader_language(target))
    return redirect("notifications:list")


def _in_reader_language(path: str) -> str:
    # Links are stored in Dutch (the default language, no prefix); open the same page in the
    # reader's language. A path that does not resolve is left as it is.
    bare, _sep, query = path.partition("?")
    try:
        with override(settings.LANGUAGE_CODE):
            match = resolve(bare)
        with override(get_language()):
            translated = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
    except (Resolver404, NoReverseMatch):
        return path
    return f"{translated}?{query}" if query else translated


@require_POST
@login_required
def mark_all_read(request):
    count = actions.do_mark_all_read(acting_user=request.user)
    if count:
        messages.success(request, _("Alle meldingen zijn als gelezen gemarkeerd."))
    return redirect("notifications:list")


@require_http_methods(["GET", "POST"])
@login_required
def preferences(request):
    """Per kind: also by e-mail, or only here."""
    choices = actions.email_choices(request.user)
    form = EmailChoicesForm(request.POST if request.method == "POST" else None, choices=choices)
    if request.method == "POST" and form.is_valid():
        changed = actions.do_set_email_choices(
            request.user, form.cleaned_data, acting_user=request.user
        )
        if changed:
            messages.success(request, _("Uw keuzes zijn opgeslagen."))
        else:
            messages.info(request, _("U heeft niets veranderd."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
