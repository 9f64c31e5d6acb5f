"""Test set-up: real PostgreSQL (embedded, or DATABASE_URL's server), the regions loaded once per session,
the fixed cast of users, and speed tweaks."""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from typing import Any

import pytest
from django.conf import settings

from allocations.reference import ensure_reference_data
from dakportal.reference.services import load_reference
from dakportal.regions.services import regions_from_lokal, sync_regions
from monev.risk import ensure_rules


def pytest_configure(config: pytest.Config) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed: tests only
    settings.AXES_ENABLED = False  # re-enabled by the login-throttling tests
    # Uploads made while building test data (a stage's documents, #13) land in a folder of their own, not in .data.
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="dakportal-test-media-")
    atexit.register(shutil.rmtree, settings.MEDIA_ROOT, ignore_errors=True)
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Tests on a transactional database (browser tests, concurrent writers) empty it after each test, regions
    # included: run them last, browser tests at the very end.
    def order(item: pytest.Item) -> int:
        if item.nodeid.startswith("tests/browser/"):
            return 2
        return 1 if "transactional_db" in getattr(item, "fixturenames", ()) else 0

    items.sort(key=order)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """The official region list and the yearly reference data (#18: the files of fixtures/reference/), loaded once
    into the test database through the same services as the set-up."""
    with django_db_blocker.unblock():
        sync_regions(regions_from_lokal())
        ensure_reference_data()
        load_reference()


@pytest.fixture
def cast(db: Any) -> Any:
    from dakportal.testing.users import make_cast

    return make_cast()


@pytest.fixture
def portal_data(transactional_db: Any) -> None:
    """Regions (provinces and kab/kota), the yearly reference data and the demo users, put back after the previous
    test's flush."""
    from dakportal.accounts.services import ensure_demo_users
    from dakportal.regions.models import Regency

    if not Regency.objects.exists():
        sync_regions(_portal_regions())
    ensure_demo_users()
    ensure_reference_data()
    ensure_rules()  # #17: the risk register's rules, seeded by a migration that a flush takes away
    load_reference()


@functools.cache
def _portal_regions() -> tuple[Any, ...]:
    """Provinces, kab/kota, and the kecamatan and desa of the two demo regions: read from the official list (all
    83,762 rows: seconds) once per session, not after each flush."""
    return tuple(
        row for row in regions_from_lokal() if row[0].count(".") <= 1 or row[0].startswith(("32.73.", "34.04."))
    )
