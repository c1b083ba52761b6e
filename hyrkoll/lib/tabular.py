"""Reading tables from uploaded files: CSV (comma, semicolon or tab; UTF-8 with or without BOM, or
Windows-1252) and Excel workbooks (.xlsx, first sheet only).

Rows are streamed, never held all at once, so a file of millions of ledger lines reads in constant
memory beyond the file's bytes. Each row comes with its number as a spreadsheet or text editor
shows it (the physical line a CSV row ends on; the sheet row of a workbook), so that messages can
name it. CSV cells are text; workbook cells keep their type (numbers, dates) – use
:func:`cell_text` for the text a CSV file would hold. A CSV file with a NUL byte is refused (no
text holds one, and PostgreSQL cannot store it), naming its line.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

DELIMITERS = (";", ",", "\t")


class TableError(Exception):
    """The file cannot be read as a table; ``errors`` say why (one message each)."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def is_xlsx(data: bytes, filename: str = "") -> bool:
    return filename.lower().endswith((".xlsx", ".xlsm")) or data[:4] == b"PK\x03\x04"


def cell_text(value: Any) -> str:
    """A spreadsheet cell as the text a CSV file would have."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    return str(value).strip()


def cell_number(value: Any) -> Decimal | None:
    """A spreadsheet's number cell as a Decimal; None for a boolean, NaN, infinity or a cell of
    another type (text is the callers' to read, each with its own forms)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        number = Decimal(repr(value))
        return number if number.is_finite() else None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    return None


def encoding_of(data: bytes) -> str:
    """``utf-8-sig`` if the bytes are UTF-8 (with or without BOM), else ``cp1252``.

    Checked incrementally, so a large file is not decoded into one string just to find out.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    step = 1 << 20
    try:
        for start in range(0, len(data), step):
            decoder.decode(view[start : start + step], final=start + step >= len(data))
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8-sig"
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        raise TableError([_("The file is not text (UTF-8 or Windows-1252).")]) from None
    return "cp1252"


def decode(data: bytes) -> str:
    """The whole file as text (UTF-8 with or without BOM, or Windows-1252)."""
    return data.decode(encoding_of(data))


def sniff_delimiter(first_line: str) -> str:
    """The delimiter the header line uses most (``;``, ``,`` or tab)."""
    return max(DELIMITERS, key=first_line.count)


def _first_line(data: bytes, encoding: str) -> str:
    head = data[:65536].lstrip(b"\xef\xbb\xbf\r\n")
    return head.split(b"\n", 1)[0].decode(encoding, errors="replace")


class CsvRows:
    """Iterate ``(row number, [cell text, ...])``; cells are not stripped (callers do, if needed).

    ``raw()`` yields the csv module's lists without numbers, for hot loops; ``line_num`` then
    tells the number of the row last read.
    """

    def __init__(self, data: bytes) -> None:
        encoding = encoding_of(data)
        nul = data.find(b"\x00")
        if nul != -1:
            # Text never holds one (PostgreSQL refuses to store it): the file is not a CSV file.
            raise TableError(
                [
                    _("Row %(row)d: a NUL character (byte 0), which a text file cannot hold.")
                    % {"row": data.count(b"\n", 0, nul) + 1}
                ]
            )
        self.delimiter = sniff_delimiter(_first_line(data, encoding))
        text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
        self._reader = csv.reader(text, delimiter=self.delimiter)

    @property
    def line_num(self) -> int:
        return self._reader.line_num

    def raw(self) -> Iterator[list[str]]:
        reader = self._reader
        try:
            yield from reader
        except csv.Error as error:
            raise TableError(
                [
                    _("Row %(row)d: not readable as CSV (%(error)s).")
                    % {"row": reader.line_num + 1, "error": error}
                ]
            ) from None

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        for values in self.raw():
            yield self._reader.line_num, values


class XlsxRows:
    """Iterate ``(row number, (cell value, ...))`` of the first sheet of a workbook.

    ``raw()`` and ``line_num`` work as for :class:`CsvRows`. ``total`` is the sheet's row count as
    the workbook states it (None if it does not).
    """

    def __init__(self, data: bytes) -> None:
        import openpyxl  # only needed for workbooks

        try:
            self._workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds of errors for a broken workbook
            raise TableError([_("The file is not a readable Excel workbook (.xlsx).")]) from None
        self.line_num = 0
        self.total: int | None = None
        if self._workbook.worksheets:
            try:
                self.total = self._workbook.worksheets[0].max_row
            except Exception:  # a sheet without a dimension
                self.total = None

    def raw(self) -> Iterator[tuple[Any, ...]]:
        workbook = self._workbook
        try:
            if not workbook.worksheets:
                return
            rows = workbook.worksheets[0].iter_rows(values_only=True)
            while True:
                try:
                    values = next(rows)
                except StopIteration:
                    return
                except Exception:  # a damaged sheet inside a readable zip
                    raise TableError(
                        [
                            _("Row %(row)d: the workbook cannot be read from here on.")
                            % {"row": self.line_num + 1}
                        ]
                    ) from None
                self.line_num += 1
                yield values
        finally:
            workbook.close()

    def __iter__(self) -> Iterator[tuple[int, tuple[Any, ...]]]:
        for values in self.raw():
            yield self.line_num, values


def open_rows(data: bytes, filename: str = "") -> CsvRows | XlsxRows:
    """The row reader for the file: a workbook by name or signature, else CSV."""
    return XlsxRows(data) if is_xlsx(data, filename) else CsvRows(data)


def text_rows(data: bytes, filename: str = "") -> Iterator[tuple[int, list[str]]]:
    """``(row number, [stripped cell text, ...])`` for CSV and workbooks alike."""
    rows = open_rows(data, filename)
    if isinstance(rows, XlsxRows):
        for number, values in rows:
            yield number, [cell_text(value) for value in values]
    else:
        for number, values in rows:
            yield number, [value.strip() for value in values]
