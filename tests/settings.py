"""Settings for the test suite: the portal's settings plus `tests.scoping`, a small region-bound model that
proves the shared scoping bases before any domain app uses them. (Apps must be known before Django starts,
so this cannot live in conftest.py; the speed tweaks do.)"""

import os

os.environ.setdefault("DEBUG", "1")  # tests are development: the development SECRET_KEY is fine

from dakportal.settings import *  # noqa: E402, F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.scoping"]  # noqa: F405
ROOT_URLCONF = "tests.urls"

# Tasks run at once in the tests (an export job finishes within its request); the worker's own tests use the
# database queue.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
MAP_TILES = ""  # no tile server reachable in tests: maps draw on a plain background (#14)
