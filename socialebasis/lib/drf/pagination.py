"""Pagination of /api/v1/: ``?page=`` (from 1) and ``?page_size=`` (default 50, at most 200).
An out-of-range page is a 404 ``{"detail": ...}``."""

from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
