"""Roles and region scope (#2, CONTRACT.md "Demo users")."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from dakportal.accounts.scoping import Scope
from tests.scoping.models import Widget

pytestmark = pytest.mark.django_db


def test_roles_grant_their_permissions(cast: Any) -> None:
    assert cast.ministry_staff.has_perm("sentra.change_sentra")
    assert cast.officer_a.has_perm("sentra.change_sentra")
    assert not cast.officer_a.has_perm("allocations.change_allocation")
    assert cast.officer_a.has_perm("allocations.view_allocation")
    assert cast.analyst.has_perm("sentra.view_sentra") and not cast.analyst.has_perm("sentra.add_sentra")
    assert cast.auditor.has_perm("monev.add_finding") and not cast.auditor.has_perm("sentra.change_sentra")
    assert not cast.provincial.has_perm("sentra.add_sentra")
    # workflow permissions belong to the reviewing roles only
    assert cast.officer_a.has_perm("monev.change_monevreport") and not cast.officer_a.has_perm(
        "monev.review_monevreport"
    )
    assert cast.officer_a.has_perm("monev.add_followup") and not cast.officer_a.has_perm("monev.verify_followup")
    assert cast.ministry_staff.has_perm("monev.review_monevreport") and cast.auditor.has_perm("monev.verify_followup")


def test_scopes_follow_the_role(cast: Any) -> None:
    assert Scope.of(cast.analyst).national and Scope.of(cast.auditor).national
    assert Scope.of(cast.officer_a).regency_codes == {"32.73"}
    assert Scope.of(cast.provincial).province_codes == {"32"}
    assert not Scope.of(cast.officer_b).allows(cast.officer_a.regencies.get())


def test_the_admin_lists_and_changes_only_the_users_region(client: Client, cast: Any) -> None:
    cast.officer_a.is_staff = True
    cast.officer_a.save()
    own = Widget.objects.create(name="Own", regency=cast.officer_a.regencies.get())
    other = Widget.objects.create(name="Other", regency=cast.officer_b.regencies.get())
    client.force_login(cast.officer_a)
    listing = client.get("/admin/scoping/widget/").content.decode()
    assert "Own" in listing and "Other" not in listing
    assert client.get(f"/admin/scoping/widget/{own.pk}/change/").status_code == 200
    assert client.get(f"/admin/scoping/widget/{other.pk}/change/").status_code == 302  # admin: "doesn't exist"
    assert client.post(f"/admin/scoping/widget/{other.pk}/delete/", {"post": "yes"}).status_code in (302, 403, 404)
    assert Widget.objects.filter(pk=other.pk).exists()


def test_only_the_superuser_manages_users_in_the_admin(client: Client, cast: Any) -> None:
    client.force_login(cast.ministry_staff)
    assert client.get("/admin/accounts/user/").status_code == 403
    client.force_login(cast.superuser)
    assert client.get("/admin/accounts/user/").status_code == 200
