"""The global search (#14): every kind of record the user may see, through the list pages' own search and the
one scoping rule; never another region's names; a fixed number of queries."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from allocations.testing import make_allocation
from dakportal import search
from dakportal.testing.users import make_cast
from monev.testing import make_finding, make_report
from sentra.testing import VILLAGE_B, make_sentra, make_unit


class SearchTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.own = make_sentra(cls.cast.officer_a, name="Sentra Rajut Binong", status="built")
        cls.other = make_sentra(cls.cast.officer_b, name="Sentra Rajut Seberang", village=VILLAGE_B)
        make_unit(cls.cast.officer_a, cls.own, business_name="Rajut Makmur")
        make_report(cls.cast.officer_a, cls.own)
        make_finding(cls.cast.auditor, cls.own, title="Mesin rajut belum dipakai")
        make_allocation(cls.cast.ministry_staff, regency=cls.own.regency_id, year=2021)

    def get(self, user, q: str):
        self.client.force_login(user)
        return self.client.get(reverse("search"), {"q": q})

    def test_it_finds_every_kind_of_record_the_ministry_may_see(self) -> None:
        response = self.get(self.cast.ministry_staff, "rajut")
        names = [hit.name for group in response.context["groups"] for hit in group.hits]
        assert "Sentra Rajut Binong" in names and "Sentra Rajut Seberang" in names and "Rajut Makmur" in names
        assert any("Mesin rajut" in name for name in names)

    def test_it_never_shows_another_regions_names(self) -> None:
        response = self.get(self.cast.officer_a, "rajut")
        assert response.status_code == 200
        assert b"Sentra Rajut Binong" in response.content
        assert b"Seberang" not in response.content

    def test_it_skips_kinds_the_role_may_not_view(self) -> None:
        response = self.get(self.cast.auditor, "rajut")
        labels = {group.label for group in response.context["groups"]}
        for source in search.REGISTRY:
            if not source.permitted(self.cast.auditor):
                assert str(source.model._meta.verbose_name_plural) not in labels

    def test_it_finds_a_kab_kota_by_code_and_counts_beyond_the_first_rows(self) -> None:
        response = self.get(self.cast.ministry_staff, "kota")
        groups = {group.label: group for group in response.context["groups"]}
        regencies = groups[str(search.REGISTRY[-1].model._meta.verbose_name_plural)]
        assert regencies.total > len(regencies.hits) == search.ROWS_PER_KIND
        assert "q=kota" in regencies.more_url

    def test_a_short_or_empty_query_searches_nothing(self) -> None:
        assert self.get(self.cast.ministry_staff, "r").context["groups"] == []
        assert self.get(self.cast.ministry_staff, "").context["groups"] == []

    def test_it_runs_one_query_per_kind(self) -> None:
        self.client.force_login(self.cast.ministry_staff)
        self.client.get(reverse("search"), {"q": "rajut"})  # warm the session and permission caches
        with self.assertNumQueries(len(search.REGISTRY) + 3):  # session, user, unread notifications
            self.client.get(reverse("search"), {"q": "rajut"})

    def test_anonymous_users_go_to_login(self) -> None:
        response = self.client.get(reverse("search"), {"q": "rajut"})
        assert response.status_code == 302
