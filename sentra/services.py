"""Every write to the sentra registry goes through here (#3; STYLE.md convention 7): pages, API, admin,
import and demo data call these functions, so a rule holds everywhere."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dakportal.services import delete_record, service, validated_save
from dakportal.uploads import check_upload, random_name
from sentra.choices import SentraStatus
from sentra.models import Facility, IKMUnit, Sentra, SentraDocument, SentraStatusChange


@service
def save_sentra(sentra: Sentra, *, acting_user: Any, reason: str = "") -> Sentra:
    """Create or update a sentra; a new status is recorded in its history (with `reason`)."""
    previous = Sentra.objects.filter(pk=sentra.pk).values_list("status", flat=True).first() if sentra.pk else None
    if previous != sentra.status:
        sentra.status_since = sentra.status_since if previous is None else timezone.localdate()
    validated_save(sentra)
    if previous != sentra.status:
        SentraStatusChange.objects.create(
            sentra=sentra,
            from_status=previous or "",
            to_status=sentra.status,
            effective_date=sentra.status_since,
            reason=reason or (_("Registered") if previous is None else _("Changed in the sentra form")),
            changed_by=acting_user,
        )
    return sentra


@service
def change_status(
    sentra: Sentra, *, status: str, reason: str, acting_user: Any, effective_date: date | None = None
) -> SentraStatusChange:
    """Move a sentra to `status` from `effective_date` (default today); the reason is required."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the status changes.")})
    if status not in SentraStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    effective_date = effective_date or timezone.localdate()
    if effective_date > timezone.localdate():
        raise ValidationError({"effective_date": _("The date cannot be in the future.")})
    sentra = Sentra.objects.select_for_update().get(pk=sentra.pk)
    change = SentraStatusChange.objects.create(
        sentra=sentra,
        from_status=sentra.status,
        to_status=status,
        effective_date=effective_date,
        reason=reason.strip(),
        changed_by=acting_user,
    )
    sentra.status, sentra.status_since = status, effective_date
    sentra.save(update_fields=["status", "status_since", "last_updated"])
    return change


@service
def delete_sentra(sentra: Sentra, *, acting_user: Any) -> None:
    """Delete a sentra registered by mistake: its own status history goes with it (the history keeps every row);
    refused (`Blocked`, HTTP 409) while member units, facilities, documents, allocations or monev reports point
    at it."""
    files = [doc.file.name for doc in sentra.documents.all()]
    sentra.status_changes.all().delete()
    delete_record(sentra)
    storage = SentraDocument._meta.get_field("file").storage

    def delete_files() -> None:
        for name in files:
            storage.delete(name)

    transaction.on_commit(delete_files)


@service
def save_unit(unit: IKMUnit, *, acting_user: Any) -> IKMUnit:
    return validated_save(unit)


@service
def save_facility(facility: Facility, *, acting_user: Any) -> Facility:
    return validated_save(facility)


@service
def add_document(sentra: Sentra, *, upload: Any, kind: str, title: str, acting_user: Any) -> SentraDocument:
    """Store an upload under a random name after checking its content type and size."""
    checked = check_upload(upload)
    document = SentraDocument(
        sentra=sentra,
        kind=kind,
        title=title or upload.name,
        original_name=upload.name[:255],
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=acting_user,
    )
    document.file.save(random_name(f"sentra/{sentra.pk}", checked.extension), ContentFile(upload.read()), save=False)
    try:
        return validated_save(document)
    except ValidationError:
        document.file.delete(save=False)
        raise
