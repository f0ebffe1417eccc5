"""Documents print with the system fonts, the same fonts for the tenth as for the first."""

import re
import threading
import zlib

from fundportal.pdf import pdf_from_html

PAGE = "<html><body style='font-family: \"DejaVu Sans\"'><h1>Beslut</h1><p>Å ä ö æ ø</p></body></html>"


def fonts_in(pdf):
    """The names of the fonts the PDF embeds (their subset's tag left out), read from its compressed streams."""
    streams = b"".join(zlib.decompress(stream) for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S))
    return {name for name in re.findall(rb"/BaseFont\s*/[A-Z]{6}\+([\w-]+)", streams)}


def test_every_document_embeds_the_fonts_it_uses_when_the_fonts_are_loaded_once():
    first, tenth = pdf_from_html(PAGE), [pdf_from_html(PAGE) for _ in range(9)][-1]
    assert first.startswith(b"%PDF") and tenth.startswith(b"%PDF")
    assert fonts_in(first) == fonts_in(tenth) == {b"DejaVu-Sans-Bold", b"DejaVu-Sans"}


def test_documents_print_side_by_side_in_threads():
    made, errors = [], []

    def print_one():
        try:
            made.append(pdf_from_html(PAGE))
        except Exception as error:  # noqa: BLE001 - the test reports any failure of a thread
            errors.append(error)

    threads = [threading.Thread(target=print_one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(made) == 4 and all(pdf.startswith(b"%PDF") for pdf in made)
