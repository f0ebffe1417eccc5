"""Downloads: tables as CSV that Excel opens with å, ä, ö and ø intact and as Excel workbooks, and PDFs to read.

Every table the portal exports is a :class:`Table` written here, row by row into a temporary file: the CSV by the
csv module, the workbook by xlsxwriter in its constant-memory mode (each row leaves memory once the next one is
written), so 100,000 rows take as little memory as ten. A text cell that a spreadsheet would read as a formula
(it begins with = + - @, a tab or a carriage return) is neutralised with a leading apostrophe, so an applicant's
title such as ``=HYPERLINK(…)`` is shown as text and never runs.
"""

import csv
import io
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

import xlsxwriter
from django.http import HttpResponse
from django.utils.functional import Promise
from django.utils.http import content_disposition_header

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
PROGRESS_EVERY = 500  # rows between two progress reports


def neutralised(cell):
    """``cell`` as a spreadsheet must show it: text that could start a formula gets a leading apostrophe."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def _row(cells):
    return [neutralised(str(cell) if isinstance(cell, Promise) else cell) for cell in cells]


def choice_labels(model, field):
    """A field's choices, value → label, translated once for a whole export (``get_FOO_display`` translates the
    label again for every row)."""
    return {value: str(label) for value, label in model._meta.get_field(field).flatchoices}


@dataclass
class Table:
    """What an export writes: the file's name, its sheets as (title, header) — a CSV holds the first only —, and
    its ``rows``, each (sheet index, cells), every sheet's rows in order (sheets may take turns). ``total`` is how
    many rows the ``counted`` sheet has: what progress is reported against."""

    filename: str
    sheets: list
    total: int
    rows: Iterable
    counted: int = 0


def write_table(table, extension, progress: Callable[[int], None] | None = None, *, constant_memory=True):
    """``table`` written as ``extension`` ("csv" or "xlsx") into a new temporary file, returned at its start;
    ``progress`` is told the counted rows written every ``PROGRESS_EVERY`` rows and at the end. Without
    ``constant_memory`` (a small table) a workbook keeps its text in one shared table: a smaller file."""
    output = tempfile.TemporaryFile()
    rows = _reported(table, progress or (lambda done: None))
    if extension == "csv":
        _write_csv(output, table, rows)
    else:
        _write_xlsx(output, table, rows, constant_memory)
    output.seek(0)
    return output


def _reported(table, progress):
    done = 0
    for sheet, cells in table.rows:
        yield sheet, cells
        if sheet == table.counted:
            done += 1
            if done % PROGRESS_EVERY == 0:
                progress(done)
    progress(done)


def _write_csv(output, table, rows):
    text = io.TextIOWrapper(output, encoding="utf-8", newline="")
    text.write("\ufeff")  # so Excel reads UTF-8
    writer = csv.writer(text, delimiter=";")
    writer.writerow(_row(table.sheets[0][1]))
    writer.writerows(_row(cells) for sheet, cells in rows if sheet == 0)
    text.flush()
    text.detach()  # the file stays open for the caller


def _write_xlsx(output, table, rows, constant_memory):
    """Text stays text: no formulas, no links; numbers stay numbers."""
    workbook = xlsxwriter.Workbook(output, {"constant_memory": constant_memory, "strings_to_formulas": False,
                                            "strings_to_urls": False})
    bold = workbook.add_format({"bold": True})
    sheets = []
    for title, header in table.sheets:
        sheet = workbook.add_worksheet(str(title)[:31])
        sheet.write_row(0, 0, _row(header), bold)
        sheet.freeze_panes(1, 0)
        sheets.append(sheet)
    next_row = [1] * len(sheets)
    for index, cells in rows:
        sheets[index].write_row(next_row[index], 0, [float(cell) if isinstance(cell, Decimal) else cell
                                                     for cell in _row(cells)])
        next_row[index] += 1
    workbook.close()


def file_response(file, name, extension):
    """A written table (an open file) downloaded as ``name``."""
    response = HttpResponse(file.read(), content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def pdf_response(pdf, name):
    """``pdf`` (bytes) shown in the browser, saved as ``name`` if the reader keeps it."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, name)
    return response
