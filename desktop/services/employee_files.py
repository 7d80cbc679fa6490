"""Employees in spreadsheets: the clerk's Excel workflow (import, export, blank template).

Files are .xlsx workbooks (openpyxl) or .csv text (UTF-8, or GB18030 as Chinese Excel saves
it). The first row holds the column headers, in Chinese as the template writes them (工号,
姓名, ...) or as the input keys (employee_no, name, ...). Rows are numbered as the spreadsheet
numbers them (the header is row 1), so a clerk can find each reported row in Excel.

An import is all or nothing: every row is checked, the report names each bad row and field,
and nothing is written unless every row is good.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import os
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from desktop import idcard
from desktop import messages as M
from desktop.errors import ValidationError
from desktop.messages import Message
from desktop.services import employees
from desktop.services.auth import Actor
from desktop.services.branch import departments
from desktop.services.employees import INPUT_FIELDS, EmployeeQuery, EmployeeView
from desktop.store import Store

# Input key -> the Chinese header the template and the exports use.
HEADERS = {
    "employee_no": "工号", "name": "姓名", "gender": "性别", "id_number": "身份证号",
    "phone": "手机", "department": "部门", "position": "职位", "hire_date": "入职日期",
    "base_salary": "基本工资", "bank_account": "银行账号",
}
# Columns an export adds after the input columns. An import accepts them (so an export can
# be imported again) but hires active employees only; the leave columns are not read.
EXPORT_ONLY = {"status": "状态", "leave_date": "离职日期", "leave_reason": "离职原因"}
IGNORED_ON_IMPORT = frozenset({"leave_date", "leave_reason"})
EXPORT_KEYS = (*HEADERS, *EXPORT_ONLY)
TITLES = {**HEADERS, **EXPORT_ONLY}
# Other headers clerks' own sheets commonly use.
ALIASES = {"员工编号": "employee_no", "身份证号码": "id_number", "手机号": "phone",
           "手机号码": "phone", "银行卡号": "bank_account"}
REQUIRED = tuple(k for k in INPUT_FIELDS if k != "gender")  # gender follows the ID number

GENDER_TEXT = {"M": "男", "F": "女"}
STATUS_TEXT = {"active": "在职", "left": "离职", "transferred": "调动"}
ACTIVE_TEXTS = frozenset({"", "在职", "active"})

# Digit strings Excel turns into numbers and then rounds to 15 significant digits.
DIGIT_COLUMNS = frozenset({"id_number", "bank_account", "phone"})
MASKABLE = frozenset({"id_number", "bank_account"})
LONG_NUMBER_DIGITS = 12
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")  # 1.10105E+17: a CSV saved by Excel
# 2024/3/1 (Chinese Excel's CSV), 2024年3月1日, 2024.03.01, 20240301, 2024-03-01 00:00:00
_LOOSE_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                         r"(?:[ T]0{1,2}:0{2}(?::0{2})?)?$|^(\d{4})(\d{2})(\d{2})$")
_EXCEL_SERIALS = range(18_264, 73_051)  # 1950-01-01 .. 2099-12-31 as Excel day numbers

MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
TEXT_FORMAT = "@"
EXPORT_CHUNK = 500  # employees fetched and written at a time: memory stays flat
WIDTHS = {"employee_no": 12, "name": 10, "gender": 6, "id_number": 22, "phone": 15,
          "department": 10, "position": 14, "hire_date": 12, "base_salary": 13,
          "bank_account": 24, "status": 8, "leave_date": 12, "leave_reason": 24}


def _header_keys() -> dict[str, str]:
    keys = {}
    for key, zh in TITLES.items():
        keys[zh] = key
        keys[key] = key
    keys.update(ALIASES)
    return keys


_HEADER_KEYS = _header_keys()


class SheetRow(dict):
    """One data row: input key -> text. `number` is its spreadsheet row number; `problems`
    ({field: message}) names the cells that cannot be read as they stand."""

    def __init__(self, number: int, values: dict[str, str], problems: dict[str, str]):
        super().__init__(values)
        self.number = number
        self.problems = problems


# ---- reading --------------------------------------------------------------------------

def read_rows(path: str | os.PathLike) -> list[SheetRow]:
    """The data rows of an .xlsx or .csv file, keyed by input field (blank rows skipped).

    Raises ValidationError (field "file") for a file that cannot be read, an unknown or
    repeated header, a missing required column or a file without rows."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        raw = _xlsx_values(path)
    elif suffix == ".csv":
        raw = _csv_values(path)
    else:
        raise ValidationError("file", Message(M.FILE_TYPE, file=path.name))
    with contextlib.closing(raw):
        rows = _rows_from(raw, path.name)
    if not rows:
        raise ValidationError("file", Message(M.FILE_NO_ROWS, file=path.name))
    return rows


def _xlsx_values(path: Path) -> Iterator[tuple]:
    """Every row of the first sheet as cell values (the cached results of formulas), read
    as the workbook streams them."""
    unreadable = ValidationError("file", Message(M.FILE_UNREADABLE, file=path.name,
                                                 suffix=".xlsx"))
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except OSError:
        raise
    except Exception:  # not a zip, not a workbook, damaged XML: openpyxl raises many kinds
        raise unreadable from None
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # some writers record wrong dimensions: read every cell
        yield from sheet.iter_rows(values_only=True)
    except OSError:
        raise
    except Exception:
        raise unreadable from None
    finally:
        book.close()


def _csv_values(path: Path) -> Iterator[list[str]]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):  # GB18030: what Chinese Excel saves as "CSV"
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationError("file", Message(M.FILE_ENCODING, file=path.name))
    try:
        yield from csv.reader(io.StringIO(text, newline=""))
    except csv.Error:
        raise ValidationError("file", Message(M.FILE_UNREADABLE, file=path.name,
                                              suffix=".csv")) from None


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _rows_from(raw: Iterable, file: str) -> list[SheetRow]:
    numbered = iter(enumerate(raw, start=1))
    header = next((cells for _n, cells in numbered if not all(_blank(v) for v in cells)), None)
    if header is None:
        raise ValidationError("file", Message(M.FILE_EMPTY, file=file))
    columns = _columns(header, file)
    rows = []
    for number, cells in numbered:
        if all(_blank(v) for v in cells):
            continue
        values, problems = {}, {}
        for index, value in enumerate(cells):
            key = columns.get(index)
            if key is None:
                if not _blank(value):
                    raise ValidationError("file", Message(
                        M.UNNAMED_COLUMN, column=get_column_letter(index + 1), file=file,
                        row=number))
                continue
            if key in IGNORED_ON_IMPORT:
                continue
            try:
                values[key] = cell_text(key, value)
            except ValidationError as e:
                values[key] = ""
                problems[key] = e.message
        for key in set(columns.values()) - IGNORED_ON_IMPORT - values.keys():
            values[key] = ""  # a short CSV line: its last cells are empty
        rows.append(SheetRow(number, values, problems))
    return rows


def _columns(header: Iterable, file: str) -> dict[int, str]:
    """Column index -> input key; checks the header names every required column once."""
    columns: dict[int, str] = {}
    for index, value in enumerate(header):
        if _blank(value):
            continue
        text = re.sub(r"\s+", "", str(value))
        key = _HEADER_KEYS.get(text) or _HEADER_KEYS.get(text.lower())
        if key is None:
            raise ValidationError("file", Message(M.UNKNOWN_COLUMN, column=str(value).strip(),
                                                  file=file))
        if key in columns.values():
            raise ValidationError("file", Message(M.DUPLICATE_COLUMN,
                                                  column=str(value).strip(), file=file))
        columns[index] = key
    for key in REQUIRED:
        if key not in columns.values():
            raise ValidationError("file", Message(M.MISSING_COLUMN,
                                                  column=f"{HEADERS[key]} ({key})", file=file))
    return columns


def cell_text(key: str, value) -> str:
    """A cell as the text a person would type in that field; raises ValidationError(key)
    for a value that cannot be trusted (a long number Excel has rounded, a masked number)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return _number_text(key, value)
    text = str(value).strip()
    if key in DIGIT_COLUMNS and _SCIENTIFIC.match(text):
        raise ValidationError(key, Message(M.EXCEL_NUMBER))
    if key in MASKABLE and "*" in text:
        raise ValidationError(key, Message(M.MASKED_VALUE))
    if key == "hire_date":
        return _date_text(text)
    if key == "gender":
        return {"男": "M", "女": "F"}.get(text, text)
    return text


def _number_text(key: str, value: int | float | Decimal) -> str:
    if key in DIGIT_COLUMNS and len(str(abs(int(value)))) >= LONG_NUMBER_DIGITS:
        raise ValidationError(key, Message(M.EXCEL_NUMBER))
    if key == "hire_date" and value == int(value) and int(value) in _EXCEL_SERIALS:
        return from_excel(int(value)).date().isoformat()  # a date cell that lost its format
    if isinstance(value, float):
        # Excel shows 15 significant digits; beyond them a double is noise (8000.1 is held
        # as 8000.099999999999454...). 1001.0 becomes 1001, 8000.1 becomes 8000.1.
        value = Decimal(f"{value:.15g}")
    text = format(value, "f") if isinstance(value, Decimal) else str(value)
    return _date_text(text) if key == "hire_date" else text  # 20240301 typed as a number


def _date_text(text: str) -> str:
    """The ISO form of the date spellings clerks' sheets use; anything else as it is (the
    employee check then says what a date looks like)."""
    if m := _LOOSE_DATE.match(text):
        year, month, day = (int(g) for g in m.groups() if g is not None)
        with contextlib.suppress(ValueError):  # not a real date
            return dt.date(year, month, day).isoformat()
    return text


# ---- import ---------------------------------------------------------------------------

def import_file(store: Store, actor: Actor, path: str | os.PathLike) -> int:
    """Hire every row of the file in one transaction; returns how many were hired.

    Bad rows raise ImportRejected whose rows are spreadsheet row numbers (the header is row
    1) with every bad field's Message; then nothing is written."""
    actor.require("clerk", "importing employees")
    rows = read_rows(path)
    codes = _department_codes(store)
    batch, problems = [], {}
    for row in rows:
        data = {k: v for k, v in row.items() if k in INPUT_FIELDS}
        if "department" in data:
            data["department"] = codes.get(data["department"], data["department"])
        found = dict(row.problems)
        status = row.get("status", "")
        if status.lower() not in ACTIVE_TEXTS:
            found["status"] = Message(M.IMPORT_ACTIVE_ONLY, status=status)
        if found:
            problems[row.number] = found
        batch.append(data)
    employees.hire_many(store, actor, batch, row_numbers=[row.number for row in rows],
                        known_problems=problems)
    return len(batch)


def _department_codes(store: Store) -> dict[str, str]:
    """Department name (Chinese, or English) -> code; codes map to themselves."""
    found = departments(store)
    codes = {}
    for d in found:
        for name in (d.name, d.name_en, (d.name_en or "").lower()):
            if name:
                codes[name] = d.code
    codes.update((d.code, d.code) for d in found)
    return codes


# ---- export ---------------------------------------------------------------------------

def _export_values(view: EmployeeView) -> list:
    return [view.employee_no, view.name, GENDER_TEXT.get(view.gender, view.gender),
            view.id_number, view.phone, view.department, view.position, view.hire_date,
            view.base_salary, view.bank_account, STATUS_TEXT.get(view.status, view.status),
            view.leave_date, view.leave_reason or ""]


def _views(store: Store, actor: Actor, query: EmployeeQuery | None) -> Iterator[EmployeeView]:
    """The employees of the query in display order, as `actor` may see them, a page at a
    time (a 100,000-row export never holds every row)."""
    ids = employees.search_ids(store, query or EmployeeQuery())
    for start in range(0, len(ids), EXPORT_CHUNK):
        page = ids[start:start + EXPORT_CHUNK]
        views = employees.fetch(store, actor, page)
        yield from (views[i] for i in page)


@contextlib.contextmanager
def _replacing(path: Path) -> Iterator[Path]:
    """A temporary file next to `path` that replaces it once complete: a failed export
    leaves neither a half-written file nor a damaged older one."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.open("wb").close()  # a folder that is missing or read-only fails here, before any work
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def export(store: Store, actor: Actor, path: str | os.PathLike,
           query: EmployeeQuery | None = None) -> int:
    """Write the query's employees (all by default) to an .xlsx or .csv file, as `actor`
    may see them (clerks get masked ID numbers and bank accounts). Returns the row count."""
    actor.require("clerk", "exporting employees")
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise ValidationError("file", Message(M.FILE_TYPE, file=path.name))
    views = _views(store, actor, query)
    with _replacing(path) as tmp:
        return _write_xlsx(tmp, views) if suffix == ".xlsx" else _write_csv(tmp, views)


def _text_cell(sheet, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # a name starting with "=" stays text, never a formula
    return cell


def _export_cell(sheet, key: str, value):
    """A value as the cell Excel should see: money and dates typed and formatted, digit
    strings as text; plain values go through the writer's fast path."""
    if isinstance(value, str):
        if key not in DIGIT_COLUMNS and not value.startswith("="):
            return value
        cell = _text_cell(sheet, value)
        if key in DIGIT_COLUMNS:
            cell.number_format = TEXT_FORMAT
        return cell
    if isinstance(value, Decimal):  # written from the Decimal itself: no float drift
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = MONEY_FORMAT
        return cell
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    return value


def _write_xlsx(path: Path, views: Iterable[EmployeeView]) -> int:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("员工")
    _layout(sheet, EXPORT_KEYS)
    bold = Font(bold=True)
    header = [_text_cell(sheet, TITLES[key]) for key in EXPORT_KEYS]
    for cell in header:
        cell.font = bold
    sheet.append(header)
    count = 0
    for view in views:
        sheet.append([_export_cell(sheet, key, value)
                      for key, value in zip(EXPORT_KEYS, _export_values(view), strict=True)])
        count += 1
    book.save(path)
    return count


def _layout(sheet, keys: Iterable[str]) -> None:
    sheet.freeze_panes = "A2"
    for index, key in enumerate(keys, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS[key]


def _write_csv(path: Path, views: Iterable[EmployeeView]) -> int:
    count = 0
    # UTF-8 with a byte-order mark: Excel then reads the Chinese text correctly.
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow([TITLES[k] for k in EXPORT_KEYS])
        for view in views:
            writer.writerow(["" if v is None else v.isoformat() if isinstance(v, dt.date)
                             else str(v) for v in _export_values(view)])
            count += 1
    return count


# ---- blank template -------------------------------------------------------------------

def example_row() -> dict:
    """The template's example person (valid, so the clerk sees what passes)."""
    return {
        "employee_no": "E00001", "name": "张三", "gender": "男",
        "id_number": idcard.make("310101", dt.date(1990, 5, 17), 12, "M"),
        "phone": "13800138000", "department": "催收", "position": "催收专员",
        "hire_date": dt.date(2024, 3, 1), "base_salary": Decimal("6500.00"),
        "bank_account": "6222021234567890123",
    }


def write_template(path: str | os.PathLike) -> None:
    """A blank import workbook: the Chinese headers, one example row, and the columns of
    digits (employee number, ID number, phone, bank account) formatted as text so Excel
    keeps every digit of what the clerk types."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ValidationError("file", Message(M.TEMPLATE_TYPE, file=path.name))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "员工"
    _layout(sheet, HEADERS)
    text_keys = DIGIT_COLUMNS | {"employee_no"}
    for index, key in enumerate(HEADERS, start=1):
        letter = get_column_letter(index)
        if key in text_keys:
            sheet.column_dimensions[letter].number_format = TEXT_FORMAT
        header = sheet.cell(row=1, column=index, value=HEADERS[key])
        header.font = Font(bold=True)
        cell = sheet.cell(row=2, column=index, value=example_row()[key])
        if key in text_keys:
            cell.number_format = TEXT_FORMAT
        elif key == "hire_date":
            cell.number_format = DATE_FORMAT
        elif key == "base_salary":
            cell.number_format = MONEY_FORMAT
    gender = get_column_letter(list(HEADERS).index("gender") + 1)
    genders = DataValidation(type="list", formula1='"男,女"', allow_blank=True)
    genders.add(f"{gender}2:{gender}100000")
    sheet.add_data_validation(genders)
    with _replacing(path) as tmp:
        book.save(tmp)
