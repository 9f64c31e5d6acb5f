"""Uploaded documents and photos (#3, #5): the type is read from the content, not the name; size is limited;
stored names are random, so nothing a user typed reaches the file system."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# content type: (extension, magic prefix)
ALLOWED_TYPES = {
    "image/jpeg": (".jpg", b"\xff\xd8\xff"),
    "image/png": (".png", b"\x89PNG\r\n\x1a\n"),
    "application/pdf": (".pdf", b"%PDF-"),
}
IMAGE_TYPES = {"image/jpeg", "image/png"}
_EXTENSION_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".pdf": "application/pdf"}


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    extension: str
    size: int


def sniff(head: bytes) -> str | None:
    for content_type, (_extension, magic) in ALLOWED_TYPES.items():
        if head.startswith(magic):
            return content_type
    return None


def check_upload(upload: Any, *, images_only: bool = False) -> CheckedUpload:
    """Raise ValidationError unless `upload` is a JPEG, PNG (or PDF) within the size limit whose content
    matches its name."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff(head)
    allowed = IMAGE_TYPES if images_only else set(ALLOWED_TYPES)
    if content_type not in allowed:
        kinds = "JPEG, PNG" if images_only else "JPEG, PNG, PDF"
        raise ValidationError(_("The file's content is not %(kinds)s.") % {"kinds": kinds}, code="file_type")
    name = getattr(upload, "name", "") or ""
    claimed = _EXTENSION_TYPES.get(("." + name.rsplit(".", 1)[-1].lower()) if "." in name else "")
    if claimed is None or claimed != content_type:
        raise ValidationError(
            _("The file %(name)s is named as another type than its content (%(type)s).")
            % {"name": name, "type": content_type},
            code="file_type_mismatch",
        )
    if content_type in IMAGE_TYPES:
        _verify_image(upload, content_type)
    else:
        _verify_pdf(upload)
    return CheckedUpload(content_type, ALLOWED_TYPES[content_type][0], upload.size)


_strict_images = threading.Lock()

# What a whole file of each kind ends with: anything after it (an HTML page glued to a photo) is refused (#10).
_ENDINGS = {"image/jpeg": b"\xff\xd9", "image/png": b"IEND\xaeB`\x82"}


def _tail(upload: Any, size: int = 1024) -> bytes:
    upload.seek(max(upload.size - size, 0))
    tail: bytes = upload.read()
    upload.seek(0)
    return tail


def _verify_image(upload: Any, content_type: str) -> None:
    """The whole image must decode, and nothing may follow its last byte."""
    from PIL import Image, ImageFile, UnidentifiedImageError

    damaged = ValidationError(_("The image is damaged or not really an image."), code="file_damaged")
    with _strict_images:  # WeasyPrint turns on Pillow's "load truncated images" for the whole process
        strict, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
        try:
            with Image.open(upload) as image:
                image.load()  # decodes every pixel, not just the header
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
            raise damaged from None
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = strict
            upload.seek(0)
    if not _tail(upload).endswith(_ENDINGS[content_type]):
        raise ValidationError(_("The image has other data appended to it."), code="file_appended")


def _verify_pdf(upload: Any) -> None:
    """The PDF must parse (every page object readable), and end with its end-of-file marker."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(upload, strict=False)
        pages = len(reader.pages)
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise ValidationError(_("The PDF is damaged or not really a PDF."), code="file_damaged") from None
    finally:
        upload.seek(0)
    if pages < 1:
        raise ValidationError(_("The PDF is damaged or not really a PDF."), code="file_damaged")
    if not _tail(upload).rstrip().endswith(b"%%EOF"):
        raise ValidationError(_("The PDF has other data appended to it."), code="file_appended")


def random_name(folder: str, extension: str) -> str:
    return f"{folder}/{uuid.uuid4().hex}{extension}"


def file_response(stored: Any, *, content_type: str, name: str) -> FileResponse:
    """A stored upload served to a user who may see it (#10, #12): its checked content type, never sniffed by the
    browser; images and PDFs shown in place, anything else downloaded, under a name of ours (`name` + extension)."""
    response = FileResponse(stored.open("rb"), content_type=content_type)
    inline = content_type.startswith("image/") or content_type == "application/pdf"
    extension = stored.name.rsplit(".", 1)[-1] if "." in stored.name else "bin"
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{name}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
