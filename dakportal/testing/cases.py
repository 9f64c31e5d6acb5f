"""Generated permission and scoping tests for pages and API endpoints (STYLE.md convention 10, after NetBox's
`ViewTestCases` / `APIViewTestCases`).

A concrete test class inherits the cases it needs and declares only:

    model                     the model under test
    setUpTestData()           call super(), then create `cls.own_object` (in REGION_A) and `cls.other_object`
                              (in REGION_B) through the app's services
    wrong_role                attribute name on the cast of a user whose role lacks the model's permissions
    url_prefix / api_basename the page namespace (`sentra:sentra`) or API route name (`api:sentra`)
    create_data / update_data API payloads in REGION_A; `other_region_data` the same in REGION_B

The abstract bases live inside namespace classes so that pytest does not collect them. The query counts of every
list page and endpoint have one home, tests/project/test_query_counts.py (#16.4), generated from the URL configuration.
"""

from __future__ import annotations

import csv
import io
from typing import Any, ClassVar

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from dakportal.accounts.models import ApiToken
from dakportal.accounts.services import create_token
from dakportal.testing.users import Cast, make_cast


class BaseTestCase(TestCase):
    cast: ClassVar[Cast]
    model: ClassVar[Any]
    # A cast member whose role lacks the model's view permission; None when every role may view it.
    wrong_role: ClassVar[str | None] = "auditor"
    own_object: ClassVar[Any]
    other_object: ClassVar[Any]

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def csv_marker(self, obj: Any) -> str:
        """Text that identifies `obj` in a page's CSV export."""
        return str(obj)

    def wrong_role_user(self) -> Any:
        if self.wrong_role is None:
            self.skipTest("every role may view this model")
        return getattr(self.cast, self.wrong_role)


class ViewTestCases:
    class ListView(BaseTestCase):
        url_prefix: ClassVar[str]

        def list_url(self) -> str:
            return reverse(f"{self.url_prefix}_list")

        def test_it_sends_anonymous_users_to_login(self) -> None:
            response = self.client.get(self.list_url())
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]

        def test_it_forbids_a_role_without_permission(self) -> None:
            self.client.force_login(self.wrong_role_user())
            assert self.client.get(self.list_url()).status_code == 403

        def test_it_hides_other_regions(self) -> None:
            self.client.force_login(self.cast.officer_a)
            response = self.client.get(self.list_url())
            assert response.status_code == 200
            objects = list(response.context["object_list"])
            assert self.own_object in objects and self.other_object not in objects

        def test_it_shows_all_regions_to_the_ministry(self) -> None:
            self.client.force_login(self.cast.ministry_staff)
            objects = list(self.client.get(self.list_url()).context["object_list"])
            assert self.own_object in objects and self.other_object in objects

        def test_its_csv_export_holds_only_the_users_region(self) -> None:
            self.client.force_login(self.cast.officer_a)
            response = self.client.get(self.list_url(), {"export": "csv"})
            assert response.status_code == 200
            body = b"".join(response).decode("utf-8-sig")
            assert self.csv_marker(self.own_object) in body and self.csv_marker(self.other_object) not in body

    class DetailView(BaseTestCase):
        url_prefix: ClassVar[str]

        def detail_url(self, obj: Any) -> str:
            return reverse(f"{self.url_prefix}_detail", args=[obj.pk])

        def test_it_sends_anonymous_users_to_login(self) -> None:
            assert self.client.get(self.detail_url(self.own_object)).status_code == 302

        def test_it_forbids_a_role_without_permission(self) -> None:
            self.client.force_login(self.wrong_role_user())
            assert self.client.get(self.detail_url(self.own_object)).status_code == 403

        def test_it_shows_the_users_own_region(self) -> None:
            self.client.force_login(self.cast.officer_a)
            assert self.client.get(self.detail_url(self.own_object)).status_code == 200

        def test_it_answers_404_for_another_region(self) -> None:
            self.client.force_login(self.cast.officer_a)
            assert self.client.get(self.detail_url(self.other_object)).status_code == 404

        def test_a_provincial_officer_reads_the_province(self) -> None:
            self.client.force_login(self.cast.provincial)
            assert self.client.get(self.detail_url(self.own_object)).status_code == 200
            assert self.client.get(self.detail_url(self.other_object)).status_code == 404


class APIViewTestCases:
    class Base(BaseTestCase):
        api_basename: ClassVar[str]

        def api(self, user: Any = None) -> APIClient:
            client = APIClient()
            if user is not None:
                token, key = create_token(user, name="test", acting_user=user)
                # As if just used: a fresh token's first request also writes `last_used` (#10), which the
                # query-count tests would otherwise count once.
                ApiToken.objects.filter(pk=token.pk).update(last_used=timezone.now())
                client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
            return client

        def list_url(self) -> str:
            return reverse(f"{self.api_basename}-list")

        def detail_url(self, obj: Any) -> str:
            return reverse(f"{self.api_basename}-detail", args=[obj.pk])

    class List(Base):
        def test_it_answers_401_without_credentials(self) -> None:
            assert self.api().get(self.list_url()).status_code == 401

        def test_it_answers_403_to_a_role_without_permission(self) -> None:
            assert self.api(self.wrong_role_user()).get(self.list_url()).status_code == 403

        def test_it_lists_only_the_users_region(self) -> None:
            response = self.api(self.cast.officer_a).get(self.list_url(), {"page_size": 1000})
            assert response.status_code == 200
            ids = {row["id"] for row in response.json()["results"]}
            assert self.own_object.pk in ids and self.other_object.pk not in ids

        def test_its_csv_holds_every_matching_row_of_the_users_region_only(self) -> None:
            response = self.api(self.cast.officer_a).get(self.list_url(), {"format": "csv", "page_size": "1"})
            assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
            rows = list(csv.DictReader(io.StringIO(b"".join(response).decode("utf-8-sig"))))
            ids = {int(row["id"]) for row in rows}
            assert self.own_object.pk in ids and self.other_object.pk not in ids

    class Retrieve(Base):
        def test_it_returns_the_users_own_object(self) -> None:
            assert self.api(self.cast.officer_a).get(self.detail_url(self.own_object)).status_code == 200

        def test_it_answers_404_for_another_region(self) -> None:
            assert self.api(self.cast.officer_a).get(self.detail_url(self.other_object)).status_code == 404

    class Create(Base):
        create_data: ClassVar[dict[str, Any]]
        other_region_data: ClassVar[dict[str, Any]]

        def test_it_creates_in_the_users_region(self) -> None:
            response = self.api(self.cast.officer_a).post(self.list_url(), self.create_data, format="json")
            assert response.status_code == 201, response.json()

        def test_it_refuses_to_create_in_another_region(self) -> None:
            before = self.model.objects.count()
            response = self.api(self.cast.officer_a).post(self.list_url(), self.other_region_data, format="json")
            assert response.status_code == 400, response.content
            assert self.model.objects.count() == before

        def test_it_answers_403_to_a_read_only_role(self) -> None:
            response = self.api(self.cast.analyst).post(self.list_url(), self.create_data, format="json")
            assert response.status_code == 403

    class Update(Base):
        update_data: ClassVar[dict[str, Any]]

        def based_on(self, obj: Any) -> dict[str, Any]:
            obj.refresh_from_db()
            return {**self.update_data, "version": obj.version}

        def test_it_updates_the_users_own_object(self) -> None:
            data = self.based_on(self.own_object)
            response = self.api(self.cast.officer_a).patch(self.detail_url(self.own_object), data, format="json")
            assert response.status_code == 200, response.json()
            assert response.json()["version"] == data["version"] + 1  # #9: every change moves the version on

        def test_it_answers_404_when_updating_another_region(self) -> None:
            data = self.based_on(self.other_object)
            response = self.api(self.cast.officer_a).patch(self.detail_url(self.other_object), data, format="json")
            assert response.status_code == 404

        def test_it_refuses_a_change_without_the_version_it_is_based_on(self) -> None:
            """#9: PATCH without `version` is 400 naming it; a stale one is 409 saying who changed it; nothing
            is saved either way."""
            url, api = self.detail_url(self.own_object), self.api(self.cast.officer_a)
            before = api.get(url).json()
            response = api.patch(url, self.update_data, format="json")
            assert response.status_code == 400 and "version" in response.json(), response.content
            response = api.patch(url, {**self.update_data, "version": "satu"}, format="json")
            assert response.status_code == 400 and "version" in response.json(), response.content
            response = api.patch(url, {**self.update_data, "version": before["version"] + 5}, format="json")
            assert response.status_code == 409 and response.json()["version"] == before["version"], response.content
            assert api.get(url).json() == before

    class Delete(Base):
        def test_it_answers_404_when_deleting_another_region(self) -> None:
            assert self.api(self.cast.officer_a).delete(self.detail_url(self.other_object)).status_code == 404
            assert self.model.objects.filter(pk=self.other_object.pk).exists()

        def test_it_answers_403_to_a_read_only_role(self) -> None:
            assert self.api(self.cast.analyst).delete(self.detail_url(self.own_object)).status_code == 403

        def test_it_deletes_the_users_own_object(self) -> None:
            assert self.api(self.cast.officer_a).delete(self.detail_url(self.own_object)).status_code == 204
            assert not self.model.objects.filter(pk=self.own_object.pk).exists()

    class Full(List, Retrieve, Create, Update, Delete):
        """Every generated API test."""
