"""Tables to download: CSV that Excel opens with å, ä, ö and ø intact, and Excel workbooks."""

import csv
import io
from decimal import Decimal

import xlsxwriter
from django.http import HttpResponse


def csv_response(name, header, body):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")  # so Excel reads UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow(header)
    writer.writerows(body)
    return response


def xlsx_response(name, sheets):
    """A workbook of ``sheets``: (title, header, rows) each."""
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True})
    bold = workbook.add_format({"bold": True})
    for title, header, body in sheets:
        sheet = workbook.add_worksheet(title[:31])
        sheet.write_row(0, 0, header, bold)
        for number, row in enumerate(body, start=1):
            sheet.write_row(number, 0, [float(cell) if isinstance(cell, Decimal) else cell for cell in row])
        sheet.freeze_panes(1, 0)
    workbook.close()
    response = HttpResponse(output.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
