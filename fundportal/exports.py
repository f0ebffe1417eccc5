"""Downloads: tables as CSV that Excel opens with å, ä, ö and ø intact and as Excel workbooks, and PDFs to read.

Every export of the portal goes through these writers. A text cell that a spreadsheet would read as a formula
(it begins with = + - @, a tab or a carriage return) is neutralised with a leading apostrophe, so an applicant's
title such as ``=HYPERLINK(…)`` is shown as text and never runs.
"""

import csv
import io
from decimal import Decimal

import xlsxwriter
from django.http import HttpResponse
from django.utils.functional import Promise
from django.utils.http import content_disposition_header

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(cell):
    """``cell`` as a spreadsheet must show it: text that could start a formula gets a leading apostrophe."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def _row(cells):
    return [neutralised(str(cell) if isinstance(cell, Promise) else cell) for cell in cells]


def csv_response(name, header, body):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, name)
    response.write("\ufeff")  # so Excel reads UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow(_row(header))
    writer.writerows(_row(row) for row in body)
    return response


def xlsx_response(name, sheets):
    """A workbook of ``sheets``: (title, header, rows) each. Text stays text: no formulas, no links."""
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    bold = workbook.add_format({"bold": True})
    for title, header, body in sheets:
        sheet = workbook.add_worksheet(title[:31])
        sheet.write_row(0, 0, _row(header), bold)
        for number, row in enumerate(body, start=1):
            sheet.write_row(number, 0, [float(cell) if isinstance(cell, Decimal) else cell for cell in _row(row)])
        sheet.freeze_panes(1, 0)
    workbook.close()
    response = HttpResponse(output.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def pdf_response(pdf, name):
    """``pdf`` (bytes) shown in the browser, saved as ``name`` if the reader keeps it."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, name)
    return response
