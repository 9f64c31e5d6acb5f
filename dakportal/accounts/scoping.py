"""Region scoping: the one place that decides which rows a user may see or change (#2, CONTRACT.md "Scope").

Every region-bound model uses `RegionScopedQuerySet` (through `dakportal.models.BaseModel`) and names the path
from itself to its kab/kota in `region_lookup` (`"regency"`, `"sentra__regency"`, ...). The base view, viewset,
admin and export classes call `queryset.for_user(user, action)`; no concrete view filters by region itself.
Rows outside the scope are simply absent, so looking one up answers 404, never 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self

from django.db import models
from django.db.models import Q

from dakportal.accounts.roles import NATIONAL_ROLES

if TYPE_CHECKING:
    from dakportal.regions.models import Regency

ACTIONS = ("view", "add", "change", "delete")


def get_permission_for_model(model: type[models.Model], action: str) -> str:
    """`sentra.change_sentra` for (Sentra, "change"): Django's permission name, the only one we use."""
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


@dataclass(frozen=True)
class Scope:
    """The regions a user works in: the whole country, or some kab/kota and provinces."""

    national: bool
    regency_codes: frozenset[str] = frozenset()
    province_codes: frozenset[str] = frozenset()

    @classmethod
    def of(cls, user: Any) -> Scope:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return cls(national=False)
        if user.is_superuser or user.role in NATIONAL_ROLES:
            return cls(national=True)
        cached = getattr(user, "_region_scope", None)
        if cached is None:
            cached = cls(
                national=False,
                regency_codes=frozenset(user.regencies.values_list("code", flat=True)),
                province_codes=frozenset(user.provinces.values_list("code", flat=True)),
            )
            user._region_scope = cached
        return cached

    def q(self, regency_lookup: str) -> Q:
        """A filter on the kab/kota found at `regency_lookup` (`""` when the model is Regency itself)."""
        prefix = f"{regency_lookup}__" if regency_lookup else ""
        return Q(**{f"{prefix}code__in": self.regency_codes}) | Q(
            **{f"{prefix}province__code__in": self.province_codes}
        )

    def allows(self, regency: Regency | None) -> bool:
        if self.national:
            return True
        return regency is not None and (
            regency.code in self.regency_codes or regency.province_id in self.province_codes
        )

    def allows_code(self, code: str) -> bool:
        """`allows` for a kab/kota code (`"32.73"`), without reading the kab/kota: its province is its first part."""
        return self.national or code in self.regency_codes or code.split(".")[0] in self.province_codes

    def regencies(self) -> models.QuerySet[Regency]:
        """The kab/kota a user may pick in a form."""
        from dakportal.regions.models import Regency

        queryset = Regency.objects.filter(active=True)
        return queryset if self.national else queryset.filter(self.q(""))


def scoped_choices(model: type[models.Model], user: Any, action: str = "view") -> models.QuerySet[Any]:
    """What `user` may pick in a form or filter, or send in the API, for a relation to `model` (#10): the same
    rule as the rows. Regions: the user's kab/kota and provinces (all for national roles); a region-bound
    model: `for_user(user, action)`; declared reference data (`reference_data = True`): everything; anything
    else: nothing, so a relation nobody scoped fails closed."""
    from dakportal.regions.models import Province, Regency

    scope = Scope.of(user)
    if model is Regency:
        return scope.regencies()
    if model is Province:
        provinces = Province.objects.filter(active=True)
        if scope.national:
            return provinces
        return provinces.filter(
            Q(code__in=scope.province_codes) | Q(regencies__code__in=scope.regency_codes)
        ).distinct()
    queryset = model._default_manager.all()
    if hasattr(queryset, "for_user"):
        return queryset.for_user(user, action)  # type: ignore[no-any-return]
    if getattr(model, "reference_data", False) and getattr(user, "is_authenticated", False):
        return queryset
    return queryset.none()


def sees_personal_data(user: Any, regency: Regency | str | None) -> bool:
    """Personal data (an owner's NIK, a phone number) is shown in full only to ministry staff and the officers of
    its own kab/kota (#3); everyone else, analysts, auditors, exports and the history included, sees it masked.
    `regency` is the kab/kota or its code."""
    from dakportal.accounts.choices import Role

    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.role == Role.MINISTRY:
        return True
    code = regency if isinstance(regency, str) else getattr(regency, "code", None)
    return user.role == Role.REGIONAL and code is not None and code in Scope.of(user).regency_codes


def sees_personal_data_in_scope(user: Any) -> bool:
    """Whether `user` sees personal data in full on every row of their scope (`sees_personal_data` for a whole
    export): ministry staff everywhere, a regional officer in the kab/kota that are all they see."""
    from dakportal.accounts.choices import Role

    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or user.role in (Role.MINISTRY, Role.REGIONAL))


class RegionScopedQuerySet(models.QuerySet[Any]):
    def for_user(self, user: Any, action: str = "view") -> Self:
        """The rows `user` may `action` (view, add, change, delete): the role's permission, then the region."""
        assert action in ACTIONS, action
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if not user.has_perm(get_permission_for_model(self.model, action)):
            return self.none()
        scope = Scope.of(user)
        if scope.national:
            return self
        return self.filter(scope.q(self.model.region_lookup))
