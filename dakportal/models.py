"""Shared model bases (STYLE.md convention 2; #9)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, router
from django.db.models.constants import LOOKUP_SEP
from django.utils.translation import gettext_lazy as _

from dakportal.accounts.scoping import RegionScopedQuerySet

if TYPE_CHECKING:
    from dakportal.regions.models import Regency


class MoneyField(models.PositiveBigIntegerField):  # type: ignore[type-arg]
    """An amount of money in whole rupiah (never fractions): shown as Rp 1.234.567 in pages, history and exports."""


FLAG_PREFIX = "flag_"  # a rule's value computed in SQL for each row of a list (`BaseModel.meets`)


class BaseModel(models.Model):
    """A region-bound record: timestamps, the version its next edit must be based on (#9) and the scoped
    manager. Subclasses set `region_lookup`, the path from the model to its kab/kota, e.g. `"regency"` or
    `"sentra__regency"`."""

    created = models.DateTimeField(_("created"), auto_now_add=True)
    last_updated = models.DateTimeField(_("last updated"), auto_now=True)
    version = models.PositiveIntegerField(
        _("version"), default=1, editable=False, help_text=_("Goes up by one with every change.")
    )

    region_lookup: str = "regency"

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Saves; the rules a list read in SQL (`meets`) are read again from the values just saved."""
        super().save(*args, **kwargs)
        self._drop_flags()

    def refresh_from_db(self, using: Any = None, fields: Any = None, from_queryset: Any = None) -> None:
        """Reads the record again; the rules a list read in SQL from its old values go too (#16), unless only
        deferred fields are being loaded (Django loads a deferred field with this), which changes no value."""
        deferred = self.get_deferred_fields()
        reloads = fields is None or any(name not in deferred for name in fields)
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        if reloads:
            self._drop_flags()

    def _drop_flags(self) -> None:
        for name in [key for key in self.__dict__ if key.startswith(FLAG_PREFIX)]:
            del self.__dict__[name]

    def get_warnings(self) -> list[tuple[str, str]]:
        """(field, message) for each suspicious but allowed value (#12): saved, and shown beside the record by the
        API's answer to a write and by the import's dry run. The one home of each such rule is its model's
        override (an allocation's pagu under Rp 10 juta, a sentra with fewer than 5 members)."""
        return []

    def apply_defaults(self) -> None:
        """Fills the values this record derives from its others when they were not given (a monev report's
        deadline from its quarter, a finding's follow-up due date). The one home of each such default is its
        model's override; `full_clean()` applies it first, so a form, the API, an import and a service get the same
        (#16)."""

    def full_clean(self, exclude: Any = None, validate_unique: bool = True, validate_constraints: bool = True) -> None:
        self.apply_defaults()
        super().full_clean(exclude, validate_unique, validate_constraints)

    def meets(self, condition: models.Q, name: str) -> bool:
        """Whether this record meets a rule written once as a queryset condition (`late_q()`, `overdue_q()`): the
        value a list computed in SQL as the annotation `flag_<name>` (`dakportal.db.expressions.flag`) when there
        is one, else the same condition checked against the record's own values in one query (Django's
        `Q.check`). So a rule needed in Python and in SQL has one definition (#16)."""
        annotation = f"{FLAG_PREFIX}{name}"
        if annotation in self.__dict__:
            return bool(self.__dict__[annotation])
        named = _fields_named(condition)
        fields = [
            field
            for field in self._meta.concrete_fields
            if named is None or field.name in named or field.attname in named
        ]
        # A record loaded with `.only()`: the rule's missing fields in one query, not one query per field.
        missing = [field.attname for field in fields if field.attname in self.get_deferred_fields()]
        if missing and self.pk is not None:
            self.refresh_from_db(fields=missing)
        values = {
            field.attname: models.Value(getattr(self, field.attname), output_field=_column(field)) for field in fields
        }
        return condition.check(values)

    def validate_constraints(self, exclude: Any = None) -> None:
        """Django's check, with one change (#14): a check constraint on a single field (the latitude within
        Indonesia) reports its message beside that field instead of at the top of the form."""
        using = router.db_for_write(self.__class__, instance=self)
        errors: dict[str, list[ValidationError]] = {}
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                try:
                    constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as error:
                    field = _single_field(constraint)
                    if field is not None:
                        errors.setdefault(field, []).append(error)
                    else:
                        errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def get_regency(self) -> Regency:
        """The kab/kota this record belongs to, following `region_lookup`."""
        target: Any = self
        for part in self.region_lookup.split("__"):
            target = getattr(target, part)
        regency: Regency = target
        return regency


def _column(field: Any) -> Any:
    """The field a column holds: a foreign key's target field for its `_id`."""
    return getattr(field, "target_field", field)


def _fields_named(condition: models.Q) -> set[str] | None:
    """The fields a condition reads (the first part of each lookup, and of each `F()` compared with), or None when
    it holds something else (an expression as a child): then every field is given to `Q.check`."""
    names: set[str] = set()
    pending: list[Any] = [condition]
    while pending:
        node = pending.pop()
        for child in node.children:
            if isinstance(child, models.Q):
                pending.append(child)
            elif isinstance(child, tuple) and isinstance(child[0], str):
                names.add(child[0].split(LOOKUP_SEP)[0])
                if isinstance(child[1], models.F):
                    names.add(str(child[1].name).split(LOOKUP_SEP)[0])  # type: ignore[attr-defined]
                elif hasattr(child[1], "resolve_expression"):
                    return None
            else:
                return None
    return names


def _single_field(constraint: Any) -> str | None:
    """The one field a constraint is about (a unique or check constraint naming a single field), else None."""
    if isinstance(constraint, models.UniqueConstraint):
        fields = set(constraint.fields)
    elif isinstance(constraint, models.CheckConstraint):
        fields = set()
        pending = [constraint.condition]
        while pending:
            node = pending.pop()
            for child in getattr(node, "children", ()):
                if isinstance(child, tuple):
                    fields.add(child[0].split(LOOKUP_SEP)[0])
                    if isinstance(child[1], models.F):
                        fields.add(str(child[1].name).split(LOOKUP_SEP)[0])  # type: ignore[attr-defined]
                else:
                    pending.append(child)
    else:
        return None
    return fields.pop() if len(fields) == 1 else None


# ---------------------------------------------------------------------------------------------------------------------
# Money records that are voided, never deleted (#9)
# ---------------------------------------------------------------------------------------------------------------------
class VoidableQuerySet(RegionScopedQuerySet):
    def valid(self) -> Self:
        return self.filter(voided_at__isnull=True)


class ValidManager(models.Manager.from_queryset(VoidableQuerySet)):  # type: ignore[misc]
    """The default manager of a voidable record: only rows that count. Related managers use it too, so every
    total (`allocation.contracts`, the SQL subqueries of `with_totals()`) leaves voided rows out."""

    def get_queryset(self) -> Any:
        return super().get_queryset().filter(voided_at__isnull=True)


class VoidableModel(BaseModel):
    """A record of money (a contract, a disbursement, a realisation). A wrong one is corrected by an edit or
    voided with a reason: it then stays, visible as voided, and leaves every total. `all_objects` includes the
    voided rows, for the pages that show them."""

    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True, editable=False)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("voided by"),
    )  # fmt: skip
    void_reason = models.TextField(_("reason for voiding"), blank=True, editable=False)

    objects = ValidManager()  # type: ignore[misc]  # narrows BaseModel's scoped manager to valid rows
    all_objects = VoidableQuerySet.as_manager()

    class Meta:
        abstract = True
        base_manager_name = "all_objects"

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None
