"""Users of DAK Portal (#2): a role (CONTRACT.md, "Demo users") and, for regional and provincial officers,
the kab/kota or provinces they work for. What a role may do is in `roles.py`; which rows it sees, in
`scoping.py`."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from dakportal.accounts.choices import Role


class User(AbstractUser):
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
    user = models.ForeignKey(User, on_delete=models.CASCADE)
    province = models.ForeignKey("regions.Province", on_delete=models.PROTECT)

    history_parent = "user"

    class Meta:
        verbose_name = _("province of the user")
        verbose_name_plural = _("provinces of the user")
        constraints = [models.UniqueConstraint(fields=["user", "province"], name="accounts_user_province_unique")]

    def __str__(self) -> str:
        return f"{self.user} – {self.province}"
