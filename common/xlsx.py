"""One-sheet XLSX workbooks written straight from rows of plain values.

What the exports need and no more (ECMA-376 SpreadsheetML, as Excel, LibreOffice and
openpyxl read it): text as inline strings, numbers, booleans, dates and times as serial
numbers with a date format, a bold header row frozen in view, each column's width, and
text with line breaks wrapped. openpyxl's writer made a cell object and checked its style
for each of the 130,000 cells of a 10,000-line register, most of the export's time; here a
cell is one formatted string. Uploaded workbooks are still read by openpyxl.
"""

import io
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from django.utils import timezone
from openpyxl.utils import get_column_letter

# Styles (cellXfs, in STYLES' order): plain, bold, wrapped text, date, date and time.
PLAIN, BOLD, WRAPPED, DATE, DATETIME = range(5)
EPOCH = datetime(1899, 12, 30)  # serial 0 in the 1900 date system, from 1 March 1900 on
TEXT_ENTITIES = {"\r": "&#13;"}  # a carriage return kept: XML reads a bare one as a newline

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006"
DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

CONTENT_TYPES = f"""{DECLARATION}<Types xmlns="{PACKAGE}/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/xl/workbook.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
<Override PartName="/xl/worksheets/sheet1.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
<Override PartName="/xl/styles.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
</Types>"""

ROOT_RELS = f"""{DECLARATION}<Relationships xmlns="{PACKAGE}/relationships">\
<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>\
</Relationships>"""

WORKBOOK_RELS = f"""{DECLARATION}<Relationships xmlns="{PACKAGE}/relationships">\
<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>\
<Relationship Id="rId2" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/>\
</Relationships>"""

FONT = '<sz val="11"/><name val="Calibri"/><family val="2"/>'
STYLES = f"""{DECLARATION}<styleSheet xmlns="{MAIN}">\
<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>\
<numFmt numFmtId="165" formatCode="yyyy-mm-dd h:mm:ss"/></numFmts>\
<fonts count="2"><font>{FONT}</font><font><b/>{FONT}</font></fonts>\
<fills count="2"><fill><patternFill patternType="none"/></fill>\
<fill><patternFill patternType="gray125"/></fill></fills>\
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
<cellXfs count="5">\
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">\
<alignment wrapText="1"/></xf>\
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
</cellXfs>\
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
</styleSheet>"""

FROZEN_HEADER = (
    '<sheetViews><sheetView workbookViewId="0">'
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
    '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
    "</sheetView></sheetViews>"
)


def serial(value: date) -> float | int:
    """A date or a naive date and time as Excel's serial number (days since EPOCH)."""
    if isinstance(value, datetime):
        delta = value - EPOCH
        return delta.days + delta.seconds / 86400 + delta.microseconds / 86_400_000_000
    return (value - EPOCH.date()).days


def cell(ref: str, value, style: int = PLAIN) -> str:
    """One `<c>` element; nothing for None or empty text (a cell left out is blank)."""
    s = f' s="{style}"' if style else ""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        text = escape(value, TEXT_ENTITIES)
        space = ' xml:space="preserve"' if text != text.strip() else ""
        return f'<c r="{ref}" t="inlineStr"{s}><is><t{space}>{text}</t></is></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"{s}><v>{int(value)}</v></c>'
    if isinstance(value, Decimal):
        return f'<c r="{ref}"{s}><v>{value:f}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"{s}><v>{value!r}</v></c>'
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.make_naive(value)
        return f'<c r="{ref}" s="{DATETIME}"><v>{serial(value)!r}</v></c>'
    if isinstance(value, date):
        return f'<c r="{ref}" s="{DATE}"><v>{serial(value)}</v></c>'
    if isinstance(value, time):
        return cell(ref, value.isoformat(), style)
    return cell(ref, str(value), style)


def sheet_xml(header: Sequence[str], rows: Iterable[Sequence], widths: Sequence[float]) -> str:
    columns = [get_column_letter(i) for i in range(1, max(len(header), 1) + 1)]
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{width}" customWidth="1"/>'
        for i, width in enumerate(widths, 1)
    )
    parts = [
        f'{DECLARATION}<worksheet xmlns="{MAIN}">{FROZEN_HEADER}',
        f"<cols>{cols}</cols>" if cols else "",
        '<sheetData><row r="1">',
        *(cell(f"{c}1", text, BOLD) for c, text in zip(columns, header, strict=False)),
        "</row>",
    ]
    for r, row in enumerate(rows, 2):
        if len(row) > len(columns):
            columns += [get_column_letter(i) for i in range(len(columns) + 1, len(row) + 1)]
        wrapped = [WRAPPED if isinstance(v, str) and "\n" in v else PLAIN for v in row]
        parts.append(f'<row r="{r}">')
        parts.extend(cell(f"{c}{r}", v, w) for c, v, w in zip(columns, row, wrapped, strict=False))
        parts.append("</row>")
    parts.append("</sheetData></worksheet>")
    return "".join(parts)


def workbook(
    title: str, header: Sequence[str], rows: Iterable[Sequence], widths: Sequence[float]
) -> bytes:
    """An XLSX file of one sheet named `title` (already a valid sheet name)."""
    book = (
        f'{DECLARATION}<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheets>'
        f'<sheet name={quoteattr(title)} sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", book)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", STYLES)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml(header, rows, widths))
    return out.getvalue()
