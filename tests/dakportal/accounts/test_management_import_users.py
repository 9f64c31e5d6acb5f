"""Onboarding users in bulk from a CSV: all or nothing, every bad line named (#2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from dakportal.accounts.models import User
from dakportal.accounts.services import DEMO_PASSWORD, ensure_demo_users

pytestmark = pytest.mark.django_db

HEADER = "username,full_name,email,role,regions\n"


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "users.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_it_creates_officers_with_their_regions(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "dinas.3201,Petugas Bogor,bogor@example.go.id,regional,32.01\n"
        "dinas.papua,Petugas Merauke,,regional,91.01 95.01\n"
        "prov.32,Petugas Jabar,,provincial,32\n"
        "auditor2,Auditor Dua,,auditor,\n",
    )
    out = tmp_path / "passwords.csv"
    call_command("import_users", str(path), passwords_out=str(out))
    merauke = User.objects.get(username="dinas.papua")
    assert sorted(merauke.regencies.values_list("code", flat=True)) == ["93.01", "95.01"]  # 91.01 resolved
    assert list(User.objects.get(username="prov.32").provinces.values_list("code", flat=True)) == ["32"]
    assert len(out.read_text().splitlines()) == 5
    user = User.objects.get(username="dinas.3201")
    password = dict(line.split(",") for line in out.read_text().splitlines()[1:])["dinas.3201"]
    assert user.check_password(password) and user.role == "regional"


def test_a_bad_row_names_its_line_and_nothing_is_created(tmp_path: Path) -> None:
    User.objects.create_user(username="taken")
    path = write(
        tmp_path,
        "ok.user,Fine,,regional,32.73\n"
        "bad.role,Bad Role,,mayor,32.73\n"
        "bad.region,Bad Region,,regional,99.99\n"
        "taken,Duplicate In Database,,analyst,\n"
        "ok.user,Duplicate In File,,analyst,\n"
        "no.region,No Region,,regional,\n",
    )
    with translation.override("en"), pytest.raises(CommandError) as error:
        call_command("import_users", str(path))
    message = str(error.value)
    assert "No user was created: 5 problem(s)" in message
    assert "Line 3: unknown role 'mayor'" in message
    assert "Line 4: 99.99 is not a kab/kota code, current or former." in message
    assert "Line 5: the username taken already exists." in message
    assert "Line 6: the username ok.user is also on line 2." in message
    assert "Line 7: a Regional officer (Dinas kab/kota) needs at least one region code." in message
    assert not User.objects.filter(username="ok.user").exists()


def test_a_file_without_the_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "users.csv"
    path.write_text("name;role\nx;y\n", encoding="utf-8")
    with translation.override("en"), pytest.raises(CommandError, match="Line 1: the header lacks"):
        call_command("import_users", str(path))


def test_the_demo_users_are_created_idempotently() -> None:
    ensure_demo_users()
    ensure_demo_users()
    assert (
        User.objects.filter(username__in=["admin", "ditjen", "itjen", "analis", "dinas.3273", "dinas.3404"]).count()
        == 6
    )
    officer = User.objects.get(username="dinas.3273")
    assert officer.check_password(DEMO_PASSWORD)
    assert list(officer.regencies.values_list("code", flat=True)) == ["32.73"]
    assert User.objects.get(username="admin").is_superuser
    ditjen = User.objects.get(username="ditjen")
    assert ditjen.is_staff and not ditjen.is_superuser  # ministry staff use the admin, but are not superusers


def test_the_sample_users_file_imports(tmp_path: Path) -> None:
    """#18: fixtures/samples/users.csv, the file the README points to."""
    from dakportal.reference.registry import fixtures_dir

    out = tmp_path / "passwords.csv"
    call_command("import_users", str(fixtures_dir() / "samples" / "users.csv"), passwords_out=str(out))
    assert len(out.read_text().splitlines()) == 7
    assert sorted(User.objects.get(username="dinas.papua").regencies.values_list("code", flat=True)) == [
        "93.01",
        "95.01",
    ]
    assert list(User.objects.get(username="prov.34").provinces.values_list("code", flat=True)) == ["34"]
    assert User.objects.get(username="ditjen.contoh").role == "ministry"
