"""``/.well-known/security.txt`` (RFC 9116): how to report a vulnerability."""

from datetime import UTC, timedelta

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

# RFC 9116 section 2.5.5: Expires should be less than a year ahead; we say 365 days from now.
EXPIRES_AFTER = timedelta(days=365)


@require_safe
def security_txt(request):
    """Contact, Expires (365 days after this request), Preferred-Languages and Canonical."""
    expires = (timezone.now() + EXPIRES_AFTER).replace(microsecond=0)
    lines = [f"Contact: {settings.SECURITY_CONTACT}"]
    lines.append(f"Expires: {expires.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}")
    if settings.SECURITY_POLICY_URL:
        lines.append(f"Policy: {settings.SECURITY_POLICY_URL}")
    lines.append("Preferred-Languages: nl, en")
    lines.append(f"Canonical: {request.build_absolute_uri('/.well-known/security.txt')}")
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "max-age=86400"
    return response
