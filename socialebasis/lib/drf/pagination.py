"""Pagination of /api/v1/: ``?page=`` (a whole number from 1) and ``?page_size=`` (a whole
number from 1 to 200, default 50); empty is the same as absent. A malformed or out-of-range
value is a 400 ``{"page": [...]}`` / ``{"page_size": [...]}``; a page past the last one is a
404 ``{"detail": ...}``. The OpenAPI document states the same ranges."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from socialebasis.lib.drf.schemas import optional

PAGE_MAX = 1_000_000


def _whole_number(request, name: str, low: int, high: int) -> int | None:
    raw = request.query_params.get(name)
    if not raw:  # absent or empty: the default
        return None
    if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:
        raise ValidationError(
            {
                name: [
                    _("Gebruik een geheel getal van %(low)d tot en met %(high)d.")
                    % {"low": low, "high": high}
                ]
            }
        )
    return int(raw)


class StandardPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    last_page_strings = ()  # no ?page=last: a page is a number

    def get_page_size(self, request):
        size = _whole_number(request, self.page_size_query_param, 1, self.max_page_size)
        return self.page_size if size is None else size

    def paginate_queryset(self, queryset, request, view=None):
        _whole_number(request, self.page_query_param, 1, PAGE_MAX)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Page number, from 1; a page past the last one is a 404.",
                "schema": optional({"type": "integer", "minimum": 1, "maximum": PAGE_MAX}),
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Results per page (default {self.page_size}).",
                "schema": optional(
                    {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
                ),
            },
        ]
