from __future__ import annotations

from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """`?page=&page_size=` (up to 1000), answering {"count", "next", "previous", "results"} (CONTRACT.md)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000
