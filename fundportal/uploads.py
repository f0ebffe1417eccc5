"""Checks on an uploaded file before it is stored: size first, then its real type by content; and a stored image
read back to be embedded in a PDF."""

import base64

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# The first bytes of each allowed type. DOCX, XLSX and ODT are ZIP containers.
SIGNATURES = {
    "pdf": (b"%PDF-", "application/pdf"),
    "docx": (b"PK\x03\x04", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": (b"PK\x03\x04", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "odt": (b"PK\x03\x04", "application/vnd.oasis.opendocument.text"),
    "png": (b"\x89PNG\r\n\x1a\n", "image/png"),
    "jpg": (b"\xff\xd8\xff", "image/jpeg"),
}


def check_upload(upload, settings):
    """The content type of ``upload`` if the question accepts it; else a ValidationError that says why."""
    limit_mb = settings.get("max_size_mb") or 10
    if upload.size > limit_mb * 1024 * 1024:
        raise ValidationError(_("The file is %(size)s; at most %(limit)s MB is allowed.")
                              % {"size": filesizeformat(upload.size), "limit": limit_mb})
    allowed = settings.get("allowed_types") or ["pdf"]
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    head = upload.read(16)
    upload.seek(0)
    for kind in allowed:
        signature, content_type = SIGNATURES[kind]
        if head.startswith(signature) and extension in (kind, "jpeg" if kind == "jpg" else kind):
            return content_type
    raise ValidationError(_("This file is not one of the allowed types (%(types)s), judging by its content.")
                          % {"types": ", ".join(allowed)})


def embedded_image(stored):
    """The stored image ``stored`` (a FieldFile) as a data: URI for a PDF to show, or None if it is not a PNG or JPEG.
    Read through its storage, so it works alike on local disk and on object storage, where a file has no path."""
    with stored.open("rb") as image:
        content = image.read()
    content_type = next((kind for signature, kind in (SIGNATURES["png"], SIGNATURES["jpg"])
                         if content.startswith(signature)), None)
    return f"data:{content_type};base64,{base64.b64encode(content).decode()}" if content_type else None
