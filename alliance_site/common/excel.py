"""Excel workbooks (openpyxl) shared by the apps' exports: a sheet with a bold, frozen header row."""

from django.http import HttpResponse
from django.utils.functional import Promise
from openpyxl.styles import Font

BOLD = Font(bold=True)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sheet(workbook, title, headers, rows, first=False):
    worksheet = workbook.active if first else workbook.create_sheet()
    worksheet.title = str(title)
    worksheet.append([plain(header) for header in headers])
    for cell in worksheet[1]:
        cell.font = BOLD
    for row in rows:
        worksheet.append([plain(value) for value in row])
        # What users typed is data, never a formula: "=HYPERLINK(…)" in a comment must not run in Excel.
        for cell in worksheet[worksheet.max_row]:
            if cell.data_type == "f":
                cell.data_type = "s"
    worksheet.freeze_panes = "A2"
    for column, header in zip(worksheet.columns, headers, strict=False):
        worksheet.column_dimensions[column[0].column_letter].width = max(10, min(40, len(str(header)) * 2 + 4))
    return worksheet


def plain(value):
    """Translated labels arrive as lazy strings, which openpyxl does not know."""
    return str(value) if isinstance(value, Promise) else value


def workbook_response(workbook, filename):
    response = HttpResponse(content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    workbook.save(response)
    return response
