"""The pages: the list with the unread count in the header, opening one, marking all
read, and the mail choices; each person sees only their own."""

import pytest
from django.core import mail

from socialebasis.accounts.tests.factories import UserFactory
from socialebasis.notifications.actions import notify
from socialebasis.notifications.models import Notification, NotificationPreference

pytestmark = pytest.mark.django_db


def _remind(user, title="Koffieochtend"):
    return notify(user, "example_reminder", {"title": title, "when": "dinsdag"}, url="/zoeken/")


def test_the_header_counts_unread_and_the_list_shows_them(client):
    user = UserFactory()
    _remind(user, "Koffieochtend")
    _remind(user, "Wandelen <b>samen</b>")
    client.force_login(user)
    page = client.get("/").content.decode()
    assert (
        'href="/meldingen/">Meldingen <span class="sb-badge">2<span class="sb-visually-hidden"> ongelezen'
        in page
    )
    listing = client.get("/meldingen/").content.decode()
    assert "Herinnering: Koffieochtend" in listing
    assert "Wandelen &lt;b&gt;samen&lt;/b&gt;" in listing  # escaped once, not twice
    assert listing.count("sb-notification--unread") == 2


def test_opening_marks_read_and_goes_where_it_leads(client):
    user = UserFactory()
    note = _remind(user)
    client.force_login(user)
    response = client.get(f"/meldingen/{note.pk}/")
    assert response.status_code == 302 and response["Location"] == "/zoeken/"
    note.refresh_from_db()
    assert note.read_at is not None
    first = note.read_at
    client.get(f"/meldingen/{note.pk}/")
    note.refresh_from_db()
    assert note.read_at == first
    assert 'class="sb-badge"' not in client.get("/").content.decode()


def test_an_english_reader_lands_on_the_english_page(client):
    user = UserFactory()
    note = _remind(user)
    client.force_login(user)
    response = client.get(f"/en/meldingen/{note.pk}/")
    assert response["Location"] == "/en/zoeken/"


def test_someone_elses_notification_is_not_found(client):
    owner, other = UserFactory(), UserFactory()
    note = _remind(owner)
    client.force_login(other)
    assert client.get(f"/meldingen/{note.pk}/").status_code == 404
    assert "Koffieochtend" not in client.get("/meldingen/").content.decode()
    note.refresh_from_db()
    assert note.read_at is None


def test_mark_all_read(client):
    user, other = UserFactory(), UserFactory()
    _remind(user)
    _remind(user)
    theirs = _remind(other)
    client.force_login(user)
    response = client.post("/meldingen/alles-gelezen/")
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_list_pages_by_twenty(client):
    user = UserFactory()
    for number in range(23):
        _remind(user, f"nummer {number}")
    client.force_login(user)
    first = client.get("/meldingen/").content.decode()
    assert first.count('<li class="sb-notification') == 20 and "Pagina 1 van 2" in first
    second = client.get("/meldingen/?pagina=2").content.decode()
    assert second.count('<li class="sb-notification') == 3
    # A page number that is no number shows the first page, not an error.
    assert client.get("/meldingen/?pagina=abc").status_code == 200


def test_mail_choices_page_saves_and_the_next_notification_follows_it(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get("/meldingen/instellingen/").content.decode()
    assert "Herinnering (voorbeeld)" in page and 'name="example_reminder"' in page
    assert 'name="example_reminder" checked' in page or "checked" in page
    response = client.post("/meldingen/instellingen/", {})  # every box unticked
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=user, kind="example_reminder").email is False
    _remind(user)
    assert mail.outbox == []
    client.post("/meldingen/instellingen/", {"example_reminder": "on"})
    _remind(user)
    assert len(mail.outbox) == 1


def test_pages_need_a_login(client):
    response = client.get("/meldingen/")
    assert response.status_code == 302 and response["Location"].startswith("/account/inloggen/")


def test_english_pages(client):
    user = UserFactory()
    _remind(user)
    client.force_login(user)
    listing = client.get("/en/meldingen/").content.decode()
    assert "Notifications" in listing and "Mark all as read" in listing
    assert "Email notifications" in client.get("/en/meldingen/instellingen/").content.decode()
