"""The signed-in user of a request, typed (#16: mypy --strict on the whole package).

Django types `request.user` as `User | AnonymousUser`; past `login_required`, `LoginRequiredMixin`, the admin's
own login or DRF's `IsAuthenticated` it is a `User`. A function view behind `login_required` takes an
`AuthenticatedHttpRequest` (django-stubs' documented way); a method whose signature is fixed by its base class
asks `signed_in(request)`."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest
from rest_framework.request import Request

from dakportal.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User


def signed_in(request: HttpRequest | Request) -> User:
    """The user of a request that passed a login check (no check here: the view's own guard made it)."""
    return cast(User, request.user)
