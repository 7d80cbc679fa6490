"""The clerk's Excel workflow: export the list, fill in the template, import a sheet. An
import hires every row or none, and names each bad row as Excel numbers it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import openpyxl
import pytest

from desktop import idcard
from desktop import messages as M
from desktop.errors import ValidationError
from desktop.messages import Message
from desktop.services import branch, employee_files, employees
from desktop.services.employee_files import HEADERS
from desktop.services.employees import EmployeeQuery, ImportRejected
from desktop.store import open_store
from tests.desktop.support import ADMIN, counts, employee_data

ZH = list(HEADERS.values())  # 工号, 姓名, 性别, 身份证号, 手机, 部门, 职位, 入职日期, 基本工资, 银行账号
COMPARED = ("employee_no", "name", "gender", "id_number", "birth_date", "phone", "department",
            "position", "hire_date", "base_salary", "bank_account", "status")


def zh_row(**overrides) -> list:
    """A valid person as a clerk types them into the template (Chinese department name)."""
    data = employee_data(**{"department": "催收", "gender": "", **overrides})
    return [data[key] for key in HEADERS]


def write_xlsx(path, header, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def snapshot(store, actor) -> list[tuple]:
    return [tuple(getattr(v, k) for k in COMPARED) for v in employees.list_all(store, actor)]


@pytest.fixture
def other_store(tmp_path):
    """A second branch, to import into."""
    s = open_store(tmp_path / "other")
    branch.init_branch(s, ADMIN, "BJ01", "北京分公司")
    yield s
    s.close()


def rejected(store, actor, path) -> ImportRejected:
    """Importing `path` fails and leaves employees, events, outbox and audit untouched."""
    before = counts(store)
    with pytest.raises(ImportRejected) as err:
        employee_files.import_file(store, actor, path)
    assert counts(store) == before
    return err.value


def fields(report: ImportRejected) -> dict[int, set[str]]:
    return {row: set(errors) for row, errors in report.rows.items()}


# ---- round trip -------------------------------------------------------------------------

@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_then_import_gives_the_same_employees(store, other_store, manager, tmp_path,
                                                     suffix):
    for s in (store, other_store):
        branch.add_department(s, manager, "legal", "法务")
    people = [employee_data(base_salary="8000.10"), employee_data(base_salary="12345.67"),
              employee_data(base_salary="999999.99", department="legal", gender="F"),
              employee_data(base_salary="0.01", hire_date="2019-12-31")]
    employees.hire_many(store, manager, people)
    path = tmp_path / f"staff{suffix}"

    assert employee_files.export(store, manager, path) == 4
    assert employee_files.import_file(other_store, manager, path) == 4

    assert snapshot(other_store, manager) == snapshot(store, manager)
    salaries = [v.base_salary for v in employees.list_all(other_store, manager)]
    assert salaries == [Decimal("8000.10"), Decimal("12345.67"), Decimal("999999.99"),
                        Decimal("0.01")]
    assert employees.list_all(other_store, manager)[2].department == "法务"


def test_an_export_holds_typed_cells_excel_can_sum_and_sort(store, manager, tmp_path):
    employees.hire_many(store, manager, [employee_data(base_salary="8000.10",
                                                       hire_date="2023-06-15")])
    path = tmp_path / "staff.xlsx"
    employee_files.export(store, manager, path)
    sheet = openpyxl.load_workbook(path).active
    header, row = sheet[1], sheet[2]
    assert [c.value for c in header] == ZH + ["状态", "离职日期", "离职原因"]
    assert all(c.font.bold for c in header)
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["D"].width >= 20  # an 18-character ID number fits
    by_header = {h.value: c for h, c in zip(header, row, strict=True)}
    salary = by_header["基本工资"]
    assert salary.value == 8000.1 and salary.number_format == "#,##0.00"
    assert by_header["入职日期"].value == dt.datetime(2023, 6, 15)  # a date cell, not text
    for name in ("身份证号", "银行账号", "手机"):
        assert isinstance(by_header[name].value, str)
        assert by_header[name].number_format == "@"
    assert by_header["状态"].value == "在职"


def test_an_export_lists_the_query_in_display_order_past_one_page(store, manager, tmp_path):
    employees.hire_many(store, manager, [employee_data(department=d)
                                         for d in ["sales", "collection"] * 600])
    collection = next(d.id for d in branch.departments(store) if d.code == "collection")
    query = EmployeeQuery(department_id=collection, sort="employee_no", descending=True)
    expected = [v.employee_no for v in employees.list_all(store, manager, query)]
    assert employee_files.export(store, manager, tmp_path / "s.csv", query) == 600
    rows = employee_files.read_rows(tmp_path / "s.csv")
    assert [r["employee_no"] for r in rows] == expected


def test_a_clerk_exports_masked_id_numbers_and_bank_accounts(store, clerk, manager, tmp_path,
                                                            other_store):
    data = employee_data()
    employees.hire(store, manager, data)
    employee_files.export(store, clerk, tmp_path / "clerk.xlsx")
    row = openpyxl.load_workbook(tmp_path / "clerk.xlsx").active[2]
    values = [c.value for c in row]
    assert data["id_number"] not in values and data["bank_account"] not in values
    assert values[3] == employees.mask_id_number(data["id_number"])
    assert values[9] == employees.mask_bank_account(data["bank_account"])

    # A clerk's export cannot be imported as it stands: the masked cells are named.
    report = rejected(other_store, manager, tmp_path / "clerk.xlsx")
    assert fields(report) == {2: {"id_number", "bank_account"}}
    assert report.rows[2]["id_number"].template == M.MASKED_VALUE


def test_a_csv_export_opens_in_excel_as_utf8_with_a_bom(store, manager, tmp_path):
    employees.hire(store, manager, employee_data(name="欧阳娜娜", base_salary="6500.5"))
    employee_files.export(store, manager, tmp_path / "s.csv")
    raw = (tmp_path / "s.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "欧阳娜娜" in raw.decode("utf-8-sig")
    assert ",6500.50," in raw.decode("utf-8-sig")


def test_left_employees_in_an_export_are_not_hired_again(store, other_store, manager,
                                                        tmp_path):
    first, _ = employees.hire(store, manager, employee_data())
    employees.hire(store, manager, employee_data())
    employees.leave(store, manager, first, "2024-05-31", "个人原因")
    employee_files.export(store, manager, tmp_path / "all.xlsx")
    report = rejected(other_store, manager, tmp_path / "all.xlsx")
    assert fields(report) == {2: {"status"}}
    assert "离职" in report.rows[2]["status"]


# ---- what clerks' sheets look like ------------------------------------------------------

def test_chinese_headers_department_names_and_excel_cell_types(store, manager, tmp_path):
    row = zh_row()
    row[2] = "女" if idcard.parse(row[3]).gender == "F" else "男"
    row[4] = int(row[4])  # an 11-digit mobile typed as a number keeps every digit
    row[7] = dt.datetime(2024, 3, 1)  # a date cell
    row[8] = 8000.1  # a number cell: a double that is not exactly 8000.1
    path = write_xlsx(tmp_path / "staff.xlsx", ZH, [row, zh_row(department="财务")])

    assert employee_files.import_file(store, manager, path) == 2
    first, second = employees.list_all(store, manager)
    assert first.base_salary == Decimal("8000.10")
    assert first.hire_date == dt.date(2024, 3, 1)
    assert first.phone == str(row[4])
    assert (first.department, second.department) == ("催收", "财务")


def test_english_keys_and_department_codes_are_accepted(store, manager, tmp_path):
    keys = list(HEADERS)
    data = employee_data(department="sales")
    path = write_xlsx(tmp_path / "staff.xlsx", keys, [[data[k] for k in keys]])
    assert employee_files.import_file(store, manager, path) == 1
    assert employees.list_all(store, manager)[0].department == "销售"


def test_a_gb18030_csv_saved_by_chinese_excel(store, manager, tmp_path):
    """Chinese Excel's "CSV (comma delimited)" is GB18030 with dates like 2024/3/1."""
    rows = [zh_row(), zh_row()]
    for r in rows:
        r[7] = "2024/3/1"
    text = "\r\n".join(",".join(str(v) for v in line) for line in [ZH, *rows]) + "\r\n"
    path = tmp_path / "staff.csv"
    path.write_bytes(text.encode("gb18030"))

    assert employee_files.import_file(store, manager, path) == 2
    views = employees.list_all(store, manager)
    assert [v.name for v in views] == [rows[0][1], rows[1][1]]
    assert {v.hire_date for v in views} == {dt.date(2024, 3, 1)}


def test_blank_rows_are_skipped_and_row_numbers_stay_the_sheets(store, manager, tmp_path):
    path = write_xlsx(tmp_path / "staff.xlsx", ZH,
                      [zh_row(), [None] * 10, ["  "] * 10, zh_row(phone="12345"), zh_row()])
    report = rejected(store, manager, path)
    assert fields(report) == {5: {"phone"}}


@pytest.mark.parametrize(("key", "cell", "text"), [
    ("base_salary", 8000.1, "8000.1"),  # never 8000.0999999999994543
    ("base_salary", 0.1 + 0.2, "0.3"),  # a formula's noise beyond Excel's 15 digits
    ("base_salary", 6500, "6500"),
    ("base_salary", "8,000.10", "8,000.10"),  # text stays text; the check reads commas
    ("employee_no", 1001.0, "1001"),
    ("phone", 13800138000, "13800138000"),
    ("hire_date", dt.datetime(2024, 3, 1), "2024-03-01"),
    ("hire_date", 45352, "2024-03-01"),  # a date cell that lost its date format
    ("hire_date", "2024/3/1", "2024-03-01"),
    ("hire_date", "2024年3月1日", "2024-03-01"),
    ("hire_date", 20240301, "2024-03-01"),
    ("hire_date", "2024111", "2024111"),  # 2024-1-11 or 2024-11-1? not guessed
    ("gender", "女", "F"),
    ("name", "  王芳 ", "王芳"),
])
def test_cells_read_as_a_person_would_type_them(key, cell, text):
    assert employee_files.cell_text(key, cell) == text


# ---- bad rows: a report, and nothing written ----------------------------------------------

def test_bad_rows_3_and_7_are_reported_by_their_sheet_rows_and_nothing_is_written(
        store, manager, tmp_path):
    rows = [zh_row() for _ in range(7)]  # sheet rows 2..8
    rows[1][3] = "110105194912310021"  # row 3: wrong checksum
    rows[5][4] = "12345"  # row 7: not a phone number
    rows[5][8] = "8000.123"  # row 7: more than 2 decimal places
    path = write_xlsx(tmp_path / "staff.xlsx", ZH, rows)

    report = rejected(store, manager, path)
    assert fields(report) == {3: {"id_number"}, 7: {"phone", "base_salary"}}
    message = report.rows[3]["id_number"]
    assert isinstance(message, Message) and message.template == M.ID_CHECKSUM  # translatable
    assert report.rows[7]["base_salary"] == M.SALARY_DECIMALS
    assert employees.count(store) == 0


def test_a_repeated_employee_number_names_both_sheet_rows(store, manager, tmp_path):
    rows = [zh_row(), zh_row(), zh_row()]
    rows[2][0] = rows[0][0]
    report = rejected(store, manager, write_xlsx(tmp_path / "s.xlsx", ZH, rows))
    assert fields(report) == {4: {"employee_no"}}
    assert report.rows[4]["employee_no"].params["row"] == 2
    assert "repeats row 2" in report.rows[4]["employee_no"]


def test_a_number_already_in_the_branch_is_reported(store, manager, tmp_path):
    taken = employee_data()
    employees.hire(store, manager, taken)
    rows = [zh_row(), zh_row(employee_no=taken["employee_no"])]
    report = rejected(store, manager, write_xlsx(tmp_path / "s.xlsx", ZH, rows))
    assert fields(report) == {3: {"employee_no"}}


def test_an_id_number_stored_as_an_excel_number_is_reported_not_imported(store, manager,
                                                                         tmp_path):
    rows = [zh_row(), zh_row(), zh_row()]
    rows[1][3] = float(rows[1][3].replace("X", "0"))  # Excel keeps 15 digits of 18
    rows[2][9] = int(rows[2][9])  # a 19-digit bank account typed into a General cell
    report = rejected(store, manager, write_xlsx(tmp_path / "s.xlsx", ZH, rows))
    assert fields(report) == {3: {"id_number"}, 4: {"bank_account"}}
    assert report.rows[3]["id_number"].template == M.EXCEL_NUMBER
    assert "text" in report.rows[3]["id_number"]
    assert employees.count(store) == 0


def test_scientific_notation_from_a_csv_resaved_by_excel_is_reported(store, manager, tmp_path):
    row = zh_row()
    row[3] = "3.10101E+17"
    text = "\n".join(",".join(str(v) for v in line) for line in [ZH, zh_row(), row])
    (tmp_path / "s.csv").write_text(text, encoding="utf-8")
    report = rejected(store, manager, tmp_path / "s.csv")
    assert fields(report) == {3: {"id_number"}}
    assert report.rows[3]["id_number"].template == M.EXCEL_NUMBER


def test_file_problems_and_field_problems_come_in_one_report(store, manager, tmp_path):
    rows = [zh_row(), zh_row(), zh_row()]
    rows[0][3] = float(rows[0][3].replace("X", "0"))
    rows[2][5] = "法务部"  # no such department
    report = rejected(store, manager, write_xlsx(tmp_path / "s.xlsx", ZH, rows))
    assert fields(report) == {2: {"id_number"}, 4: {"department"}}


# ---- the header row -----------------------------------------------------------------------

@pytest.mark.parametrize(("header", "named"), [
    (ZH[:3] + ZH[4:], "身份证号"),  # a required column left out
    ([*ZH, "昵称"], "昵称"),  # a column nobody knows
    ([*ZH, "姓名"], "姓名"),  # the same column twice
])
def test_header_problems_name_the_column_and_write_nothing(store, manager, tmp_path, header,
                                                           named):
    path = write_xlsx(tmp_path / "s.xlsx", header, [zh_row()[:len(header)]])
    before = counts(store)
    with pytest.raises(ValidationError) as err:
        employee_files.import_file(store, manager, path)
    assert not isinstance(err.value, ImportRejected)
    assert named in err.value.message
    assert counts(store) == before


def test_the_gender_column_may_be_left_out(store, manager, tmp_path):
    header = [h for h in ZH if h != "性别"]
    path = write_xlsx(tmp_path / "s.xlsx", header, [[v for i, v in enumerate(zh_row()) if i != 2]])
    assert employee_files.import_file(store, manager, path) == 1


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("s.xls", b"\xd0\xcf\x11\xe0old", M.FILE_TYPE),
    ("s.xlsx", b"not a zip at all", M.FILE_UNREADABLE),
    ("s.csv", b"", M.FILE_EMPTY),
    ("s.csv", "工号,姓名,身份证号,手机,部门,职位,入职日期,基本工资,银行账号\n".encode(),
     M.FILE_NO_ROWS),
])
def test_files_that_cannot_be_used_are_named(store, manager, tmp_path, name, content, expected):
    (tmp_path / name).write_bytes(content)
    with pytest.raises(ValidationError) as err:
        employee_files.import_file(store, manager, tmp_path / name)
    assert err.value.message.template == expected
    assert name in err.value.message


def test_a_value_in_a_column_without_a_header_is_refused(store, manager, tmp_path):
    path = write_xlsx(tmp_path / "s.xlsx", ZH, [zh_row(), [*zh_row(), None, "备注"]])
    with pytest.raises(ValidationError) as err:
        employee_files.import_file(store, manager, path)
    assert err.value.message.template == M.UNNAMED_COLUMN
    assert err.value.message.params == {"column": "L", "file": "s.xlsx", "row": 3}


# ---- the blank template -------------------------------------------------------------------

def test_the_template_has_the_headers_a_valid_example_and_text_columns(store, manager,
                                                                      tmp_path):
    path = tmp_path / "template.xlsx"
    employee_files.write_template(path)
    sheet = openpyxl.load_workbook(path).active
    assert [c.value for c in sheet[1]] == ZH
    assert all(c.font.bold for c in sheet[1])
    example = {h: c for h, c in zip(ZH, sheet[2], strict=True)}
    for name in ("工号", "身份证号", "手机", "银行账号"):
        assert example[name].number_format == "@"
        assert isinstance(example[name].value, str)
    idcard.parse(example["身份证号"].value)  # a real-looking, valid number

    assert employee_files.import_file(store, manager, path) == 1
    (person,) = employees.list_all(store, manager)
    assert person.name == example["姓名"].value
    assert person.base_salary == Decimal("6500.00")


def test_the_template_must_be_an_xlsx(tmp_path):
    with pytest.raises(ValidationError):
        employee_files.write_template(tmp_path / "template.csv")
    assert not (tmp_path / "template.csv").exists()


def test_a_clerk_may_import(store, clerk, tmp_path):
    path = write_xlsx(tmp_path / "s.xlsx", ZH, [zh_row()])
    assert employee_files.import_file(store, clerk, path) == 1
