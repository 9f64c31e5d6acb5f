"""Users of DAK Portal (#2): a role (CONTRACT.md, "Demo users") and, for regional and provincial officers,
the kab/kota or provinces they work for. What a role may do is in `roles.py`; which rows it sees, in
`scoping.py`."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dakportal import tones
from dakportal.accounts.choices import Role


class User(AbstractUser):
    scope_exempt = "managed by superusers in the admin only"

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.ANALYST)
    regencies = models.ManyToManyField(
        "regions.Regency",
        through="UserRegency",
        blank=True,
        related_name="officers",
        verbose_name=_("kab/kota"),
        help_text=_("For regional officers: the kab/kota whose data they see and change."),
    )
    provinces = models.ManyToManyField(
        "regions.Province",
        through="UserProvince",
        blank=True,
        related_name="officers",
        verbose_name=_("provinces"),
        help_text=_("For provincial officers: the provinces whose data they read."),
    )

    # #9: a login is not a change of the account; a password change is recorded without the hash.
    history_ignore = ("last_login",)
    history_secret = ("password",)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username


class UserRegency(models.Model):
    """An officer's kab/kota. PROTECT: a region that an officer works for is never deleted (#2)."""

    scope_exempt = "part of a user, managed in the admin only"

    user = models.ForeignKey(User, on_delete=models.CASCADE)
    regency = models.ForeignKey("regions.Regency", on_delete=models.PROTECT)

    history_parent = "user"

    class Meta:
        verbose_name = _("kab/kota of the user")
        verbose_name_plural = _("kab/kota of the user")
        constraints = [models.UniqueConstraint(fields=["user", "regency"], name="accounts_user_regency_unique")]

    def __str__(self) -> str:
        return f"{self.user} – {self.regency}"


class UserProvince(models.Model):
    scope_exempt = "part of a user, managed in the admin only"

    user = models.ForeignKey(User, on_delete=models.CASCADE)
    province = models.ForeignKey("regions.Province", on_delete=models.PROTECT)

    history_parent = "user"

    class Meta:
        verbose_name = _("province of the user")
        verbose_name_plural = _("provinces of the user")
        constraints = [models.UniqueConstraint(fields=["user", "province"], name="accounts_user_province_unique")]

    def __str__(self) -> str:
        return f"{self.user} – {self.province}"


# ---------------------------------------------------------------------------------------------------------------------
# API tokens (#10)
# ---------------------------------------------------------------------------------------------------------------------
class TokenStatus(models.TextChoices):
    # (Here rather than in choices.py: only ApiToken uses it.)
    ACTIVE = "active", _("active")
    EXPIRED = "expired", _("expired")
    REVOKED = "revoked", _("revoked")


tones.register(TokenStatus, {TokenStatus.ACTIVE: "success", TokenStatus.REVOKED: "danger"})  # dakportal/tones.py


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self, now: datetime | None = None) -> ApiTokenQuerySet:
        """Tokens that still open the API: not revoked and not expired."""
        return self.filter(revoked_at__isnull=True, expires__gt=now or timezone.now())


class ApiToken(models.Model):
    """A key with which a user's scripts call the API (`Authorization: Token <key>`), #10. A user holds as many as
    they like, each with a name, an expiry (at most a year) and optionally read-only (no writes). Only the SHA-256
    of the key is stored: the key is shown once, when the token is made, and cannot be read back; `prefix` (its
    first 8 characters) tells tokens apart. A token stops working when it expires or is revoked (by its user, an
    administrator, or a password change or deactivation of the user); a revoked token stays listed."""

    scope_exempt = "each user reaches only their own tokens"

    # #10: `last_used` is written at most this often, so that using a token costs no write most of the time.
    LAST_USED_EVERY = timedelta(minutes=1)
    PREFIX_LENGTH = 8

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH, editable=False)
    read_only = models.BooleanField(_("read-only"), default=False, help_text=_("The token may read but not write."))
    created = models.DateTimeField(_("created"), auto_now_add=True)
    expires = models.DateTimeField(_("expires"))
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    # #9: tokens appear in their user's history; using a token is not a change, and the hash is never shown.
    history_parent = "user"
    history_ignore = ("last_used",)
    history_secret = ("key_hash",)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        """The stored form of a key: its SHA-256 in hex. The key itself is never stored."""
        return hashlib.sha256(key.encode()).hexdigest()

    def status(self, now: datetime | None = None) -> TokenStatus:
        """`revoked`, `expired` or `active` (the same rule as `ApiToken.objects.active()`)."""
        if self.revoked_at is not None:
            return TokenStatus.REVOKED
        if self.expires <= (now or timezone.now()):
            return TokenStatus.EXPIRED
        return TokenStatus.ACTIVE

    def get_status_display(self) -> str:
        return str(self.status().label)

    def mark_used(self, now: datetime) -> None:
        """Record that the token was just used, at most once per `LAST_USED_EVERY` (a bare UPDATE, no read)."""
        if self.last_used is None or now - self.last_used >= self.LAST_USED_EVERY:
            ApiToken.objects.filter(pk=self.pk).update(last_used=now)
            self.last_used = now
