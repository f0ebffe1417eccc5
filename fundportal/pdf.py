"""PDFs from HTML, by WeasyPrint, for every document the portal prints (receipts, case files, decision letters)."""

import threading

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

_local = threading.local()


def _fonts():
    """One font configuration per thread: WeasyPrint then finds and loads the system fonts once, not for every
    document (a decision letter renders in about half the time). Not shared between threads, as Pango's objects
    are not made for that."""
    if not hasattr(_local, "fonts"):
        _local.fonts = FontConfiguration()
    return _local.fonts


def pdf_from_html(html: str) -> bytes:
    return HTML(string=html).write_pdf(font_config=_fonts())
