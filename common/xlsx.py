"""One-sheet XLSX workbooks written straight from rows of plain values.

What the exports need and no more (ECMA-376 SpreadsheetML, as Excel, LibreOffice and
openpyxl read it): text as inline strings, numbers, booleans, dates and times as serial
numbers with a date format, a bold header row frozen in view, each column's width, and
text with line breaks wrapped. What a spreadsheet cannot hold is made so it can:
characters XML 1.0 forbids are left out, text is cut at Excel's 32,767 characters with a
note saying so, a number that is not finite is left blank, and a date before Excel's
first day (1 January 1900) is written as text.

openpyxl's writer made a cell object and checked its style for each of the 130,000 cells
of a 10,000-line register, most of the export's time; here a cell is one formatted string.
Uploaded workbooks are still read by openpyxl.
"""

import io
import math
import re
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
FIRST_DAY = datetime(1900, 1, 1)  # serial 1: Excel shows nothing earlier as a date
TEXT_ENTITIES = {"\r": "&#13;"}  # a carriage return kept: XML reads a bare one as a newline
# Characters XML 1.0 cannot hold (control characters other than tab, line feed and carriage
# return; U+FFFE and U+FFFF; a lone surrogate), which a note pasted from elsewhere may carry.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
MAX_TEXT = 32_767  # characters in one cell (Excel's limit; it repairs a file with more)
CUT = " [cut at Excel's 32,767 characters: the page shows it all]"
MAX_WIDTH = 255  # Excel's widest column

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
    '<sheetViews><sheetView tabSelected="1" workbookViewId="0">'
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
    '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
    "</sheetView></sheetViews>"
)


def serial(value: date) -> float | int:
    """A date, or a naive date and time, as Excel's serial number: days since EPOCH, less
    one before 1 March 1900 (Excel counts a 29 February 1900 that never was)."""
    if isinstance(value, datetime):
        delta = value - EPOCH
        days = delta.days + delta.seconds / 86400 + delta.microseconds / 86_400_000_000
    else:
        days = (value - EPOCH.date()).days
    return days - 1 if days < 61 else days


def text(value: str) -> str:
    """`value` as a spreadsheet can hold it: without characters XML forbids, cut at
    MAX_TEXT characters (counted as Excel counts them, in UTF-16 units) with a note."""
    value = NOT_XML.sub("", value)
    if len(value) <= MAX_TEXT // 2:  # at most two UTF-16 units a character
        return value
    units = value.encode("utf-16-le")
    if len(units) // 2 <= MAX_TEXT:
        return value
    keep = (MAX_TEXT - len(CUT)) * 2
    return units[:keep].decode("utf-16-le", errors="ignore") + CUT


def cell(ref: str, value, style: int = PLAIN) -> str:
    """One `<c>` element; nothing for None, empty text or a number that is not finite (a
    cell left out is blank)."""
    s = f' s="{style}"' if style else ""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = text(value)
        space = ' xml:space="preserve"' if value != value.strip() else ""
        shown = escape(value, TEXT_ENTITIES)
        return f'<c r="{ref}" t="inlineStr"{s}><is><t{space}>{shown}</t></is></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"{s}><v>{int(value)}</v></c>'
    if isinstance(value, Decimal):
        return f'<c r="{ref}"{s}><v>{value:f}</v></c>' if value.is_finite() else ""
    if isinstance(value, int):
        return f'<c r="{ref}"{s}><v>{int(value)}</v></c>'
    if isinstance(value, float):
        return f'<c r="{ref}"{s}><v>{float(value)!r}</v></c>' if math.isfinite(value) else ""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.make_naive(value)
        if value < FIRST_DAY:
            return cell(ref, value.isoformat(sep=" "), style)
        return f'<c r="{ref}" s="{DATETIME}"><v>{serial(value)!r}</v></c>'
    if isinstance(value, date):
        if value < FIRST_DAY.date():
            return cell(ref, value.isoformat(), style)
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
        *(cell(f"{c}1", name, BOLD) for c, name in zip(columns, header, strict=False)),
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
        f'{DECLARATION}<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
        '<bookViews><workbookView activeTab="0"/></bookViews><sheets>'
        f'<sheet name={quoteattr(NOT_XML.sub("", title))} sheetId="1" r:id="rId1"/>'
        "</sheets></workbook>"
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
