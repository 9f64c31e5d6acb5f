"""Creating users: one at a time, in bulk from a CSV (onboarding Dinas officers), and the demo users (#2); their
API tokens (#10)."""

from __future__ import annotations

import csv
import io
import json
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from dakportal.accounts.choices import Role
from dakportal.accounts.models import ApiToken, User
from dakportal.accounts.roles import STAFF_ROLES
from dakportal.regions.models import Province, Regency
from dakportal.regions.querysets import normalize_code
from dakportal.services import service

CSV_COLUMNS = ("username", "full_name", "email", "role", "regions")
DEMO_PASSWORD = "dakportal-demo"  # noqa: S105  (CONTRACT.md: demo data only)


@service
def create_user(
    *,
    username: str,
    role: str,
    full_name: str = "",
    email: str = "",
    regencies: list[Regency] | None = None,
    provinces: list[Province] | None = None,
    password: str | None = None,
    acting_user: User | None = None,
) -> User:
    """A user with a role and (for officers) their regions; staff access follows the role."""
    user = User(username=username, full_name=full_name, email=email, role=role, is_staff=role in STAFF_ROLES)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    user.regencies.set(regencies or [])
    user.provinces.set(provinces or [])
    return user


# ---------------------------------------------------------------------------------------------------------------------
# Bulk import from CSV
# ---------------------------------------------------------------------------------------------------------------------
@dataclass
class ParsedUser:
    line: int
    username: str
    full_name: str
    email: str
    role: str
    regencies: list[Regency] = field(default_factory=list)
    provinces: list[Province] = field(default_factory=list)


class UserImportError(ValueError):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def parse_users_csv(text: str) -> list[ParsedUser]:
    """Check every row of a users CSV; raises UserImportError listing each bad line, or returns the rows."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [column for column in CSV_COLUMNS if column not in header]
    if missing:
        raise UserImportError(
            [
                _("Line 1: the header lacks the column(s) %(columns)s; expected %(expected)s.")
                % {"columns": ", ".join(missing), "expected": ",".join(CSV_COLUMNS)}
            ]
        )
    existing = {name.lower() for name in User.objects.values_list("username", flat=True)}
    seen: dict[str, int] = {}
    rows: list[ParsedUser] = []
    errors: list[str] = []
    for line, raw in enumerate(reader, start=2):
        values = {(key or "").strip().lower(): (value or "").strip() for key, value in raw.items()}
        row_errors, parsed = _parse_user_row(line, values, existing, seen)
        errors += row_errors
        if parsed:
            rows.append(parsed)
    if not rows and not errors:
        errors.append(_("The file has no users after its header line."))
    if errors:
        raise UserImportError(errors)
    return rows


def _parse_user_row(
    line: int, values: dict[str, str], existing: set[str], seen: dict[str, int]
) -> tuple[list[str], ParsedUser | None]:
    def error(message: str) -> str:
        return _("Line %(line)d: %(message)s") % {"line": line, "message": message}

    errors = []
    username, role = values["username"], values["role"].lower()
    if not username:
        errors.append(error(_("the username is empty.")))
    elif username.lower() in existing:
        errors.append(error(_("the username %(username)s already exists.") % {"username": username}))
    elif username.lower() in seen:
        errors.append(
            error(
                _("the username %(username)s is also on line %(other)d.")
                % {"username": username, "other": seen[username.lower()]}
            )
        )
    else:
        seen[username.lower()] = line
        try:
            User.username_validator(username)
        except ValidationError:
            errors.append(
                error(_("the username %(username)s may hold only letters, digits and @.+-_.") % {"username": username})
            )
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            errors.append(error(_("%(email)s is not an e-mail address.") % {"email": values["email"]}))
    if role not in Role.values:
        errors.append(
            error(
                _("unknown role %(role)r; use one of %(roles)s.")
                % {"role": values["role"], "roles": ", ".join(Role.values)}
            )
        )
    parsed = ParsedUser(line, username, values["full_name"], values["email"], role)
    codes = [normalize_code(code) for code in values["regions"].replace(";", " ").replace(",", " ").split()]
    for code in codes:
        if role == Role.PROVINCIAL:
            province = Province.objects.filter(code=code, active=True).first()
            if province is None:
                errors.append(error(_("%(code)s is not a province code such as 32.") % {"code": code}))
            else:
                parsed.provinces.append(province)
            continue
        regency = Regency.objects.filter(active=True).resolve(code)
        if regency is None:
            errors.append(error(_("%(code)s is not a kab/kota code, current or former.") % {"code": code}))
        else:
            parsed.regencies.append(regency)
    if role in (Role.REGIONAL, Role.PROVINCIAL) and not codes:
        errors.append(error(_("a %(role)s needs at least one region code.") % {"role": Role(role).label}))
    if role in Role.values and role not in (Role.REGIONAL, Role.PROVINCIAL) and codes:
        errors.append(error(_("the role %(role)s sees all regions; leave regions empty.") % {"role": Role(role).label}))
    return errors, (None if errors else parsed)


@service
def import_users(text: str, *, with_passwords: bool = False, acting_user: User | None = None) -> list[tuple[str, str]]:
    """Create every user of a users CSV, or none if any row is bad (UserImportError with line numbers).

    Returns (username, initial password) pairs; passwords are random when `with_passwords`, else unusable
    (an administrator sets them, or the user resets by e-mail)."""
    created = []
    for row in parse_users_csv(text):
        password = secrets.token_urlsafe(12) if with_passwords else None
        create_user(
            username=row.username,
            role=row.role,
            full_name=row.full_name,
            email=row.email,
            regencies=row.regencies,
            provinces=row.provinces,
            password=password,
            acting_user=acting_user,
        )
        created.append((row.username, password or ""))
    return created


# ---------------------------------------------------------------------------------------------------------------------
# Demo users (CONTRACT.md)
# ---------------------------------------------------------------------------------------------------------------------
DEMO_USERS: list[dict[str, Any]] = [
    {"username": "admin", "full_name": "Administrator", "role": Role.MINISTRY, "superuser": True},
    {"username": "ditjen", "full_name": "Staf Ditjen IKMA", "role": Role.MINISTRY},
    {"username": "itjen", "full_name": "Auditor Itjen Kemenperin", "role": Role.AUDITOR},
    # #13: an Itjen team for the demo surat tugas: lead, member, technical and quality controller
    {"username": "itjen.ketua", "full_name": "Rina Wulandari", "role": Role.AUDITOR},
    {"username": "itjen.anggota", "full_name": "Dimas Prasetyo", "role": Role.AUDITOR},
    {"username": "itjen.dalnis", "full_name": "Hendra Gunawan", "role": Role.AUDITOR},
    {"username": "itjen.daltu", "full_name": "Endang Susilowati", "role": Role.AUDITOR},
    {"username": "analis", "full_name": "Analis Data", "role": Role.ANALYST},
    {
        "username": "dinas.3273",
        "full_name": "Petugas Dinas Kota Bandung",
        "role": Role.REGIONAL,
        "regencies": ["32.73"],
    },
    {"username": "dinas.3404", "full_name": "Petugas Dinas Kab. Sleman", "role": Role.REGIONAL, "regencies": ["34.04"]},
]


@service
def ensure_demo_users() -> list[str]:
    """Create the demo users of CONTRACT.md, or reset them to the contract (password included); idempotent."""
    names = []
    known = _load_demo_hashes()
    where = connection.settings_dict
    database = f"{where.get('HOST') or ''}:{where.get('PORT') or ''}/{where['NAME']}"
    for spec in DEMO_USERS:
        user = User.objects.filter(username=spec["username"]).first()
        if user is None:
            user = create_user(
                username=spec["username"],
                role=spec["role"],
                full_name=spec["full_name"],
                email=f"{spec['username']}@dakportal.example",
            )
        user.regencies.set(Regency.objects.filter(code__in=spec.get("regencies", [])))
        user.role = spec["role"]
        user.is_superuser = spec.get("superuser", False)
        user.is_staff = user.is_superuser or spec["role"] in STAFF_ROLES
        user.is_active = True
        # A hash this set-up wrote itself is the demo password: no need to spend half a second per user checking it
        # (#15: a warm ./scripts/run in seconds).
        key = f"{database}/{user.username}"
        if known.get(key) != user.password and not user.check_password(DEMO_PASSWORD):
            # Only when it differs: a new password revokes the user's API tokens (#10), and a re-run changes nothing.
            user.set_password(DEMO_PASSWORD)
        user.save()
        known[key] = user.password
        names.append(user.username)
    _save_demo_hashes(known)
    return names


def _demo_hashes_file() -> Path:
    return Path(settings.DATA_DIR) / "demo-password-hashes.json"


def _load_demo_hashes() -> dict[str, str]:
    try:
        return dict(json.loads(_demo_hashes_file().read_text()))
    except (OSError, ValueError):
        return {}


def _save_demo_hashes(known: dict[str, str]) -> None:
    try:
        _demo_hashes_file().parent.mkdir(parents=True, exist_ok=True)
        _demo_hashes_file().write_text(json.dumps(known))
        _demo_hashes_file().chmod(0o600)
    except OSError:  # a read-only data folder: the next run checks the passwords again
        pass


# ---------------------------------------------------------------------------------------------------------------------
# API tokens (#10)
# ---------------------------------------------------------------------------------------------------------------------
MAX_TOKEN_DAYS = 365  # no token lives longer than a year (settings.API_TOKEN_DAYS, the default, has the same cap)


@service
def create_token(
    user: User,
    *,
    name: str = "",
    read_only: bool = False,
    expires_in_days: int | None = None,
    acting_user: User | None,
) -> tuple[ApiToken, str]:
    """A new API token of `user`, lasting `expires_in_days` (1 to 365; default `settings.API_TOKEN_DAYS`).
    Returns the token and its key: the key is random (`secrets.token_urlsafe(32)`), only its SHA-256 is stored,
    and this is the only time it can be shown."""
    days = settings.API_TOKEN_DAYS if expires_in_days is None else expires_in_days
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise ValidationError(
            {"expires_in_days": [_("A token lasts from 1 to %(max)d days.") % {"max": MAX_TOKEN_DAYS}]}
        )
    key = secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name.strip() or _("API token"),
        key_hash=ApiToken.hash_key(key),
        prefix=key[: ApiToken.PREFIX_LENGTH],
        read_only=read_only,
        expires=timezone.now() + timedelta(days=days),
    )
    token.full_clean()
    token.save()
    return token, key


@service
def revoke_token(token: ApiToken, *, acting_user: User | None, reason: str = "") -> ApiToken:
    """Revoke one token: it stops working at once and stays listed as revoked. Revoking it again changes nothing."""
    now = timezone.now()
    if ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now):
        token.revoked_at = now
    else:
        token.refresh_from_db(fields=["revoked_at"])
    return token


@service
def revoke_all_tokens(user: User, *, acting_user: User | None, reason: str = "") -> int:
    """Revoke every token of `user` not yet revoked (on a password change or a deactivation, see `signals.py`);
    returns how many."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
