"""factory_boy factory for audit rows. The log is hash-chained and append-only, so the
factory appends through ``socialebasis.audit.events.append`` (never ``objects.create``):
each row gets the next sequence number and chains to the one before."""

import factory

from socialebasis.accounts.tests.factories import UserFactory
from socialebasis.audit import events
from socialebasis.audit.constants import EventType
from socialebasis.audit.models import AuditEvent


class AuditEventFactory(factory.django.DjangoModelFactory):
    """An appended audit row: by default a user opened ``subject`` (``record_viewed``).
    Traits: ``by_system`` (no actor, as the retention job writes), ``login`` (a login, no
    subject)."""

    class Meta:
        model = AuditEvent

    class Params:
        by_system = factory.Trait(actor=None)
        login = factory.Trait(event=EventType.LOGIN, subject=None, reason="")

    event = EventType.RECORD_VIEWED
    actor = factory.SubFactory(UserFactory)
    subject = None
    reason = "intake"
    fields = factory.List([])

    @classmethod
    def _create(cls, model_class, *, event, actor, subject, reason, fields, **kwargs):
        return events.append(event, actor, subject, reason=reason, fields=fields, **kwargs)
