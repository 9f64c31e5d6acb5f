"""Test set-up: real PostgreSQL (embedded, or DATABASE_URL's server), the regions loaded once per session,
the fixed cast of users, and speed tweaks."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from allocations.reference import ensure_reference_data
from dakportal.regions.services import regions_from_lokal, sync_regions


def pytest_configure(config: pytest.Config) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed: tests only
    settings.AXES_ENABLED = False  # re-enabled by the login-throttling tests
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Browser tests use a transactional database that is emptied after each test: run them last.
    items.sort(key=lambda item: item.nodeid.startswith("tests/browser/"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """The official region list and the yearly reference data, loaded once into the test database through the same
    services as the set-up."""
    with django_db_blocker.unblock():
        sync_regions(regions_from_lokal())
        ensure_reference_data()


@pytest.fixture
def cast(db: Any) -> Any:
    from dakportal.testing.users import make_cast

    return make_cast()
