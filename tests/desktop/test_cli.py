"""The headless `branchdesk` commands, run in-process (and once as a real process)."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import sqlite3
import subprocess
import sys

import pytest

from desktop import cli, idcard
from desktop.services import auth
from desktop.store.database import STORE_FILENAME

ID_MAN = idcard.make("310101", dt.date(1990, 3, 7), 12, "M")
ID_WOMAN = idcard.make("440303", dt.date(1995, 11, 20), 34, "F")


def employee_args(number="E000001", **overrides) -> list[str]:
    values = {
        "employee-no": number, "name": "张伟", "id-number": ID_MAN, "phone": "13800138000",
        "department": "collection", "position": "催收专员", "hire-date": "2024-01-02",
        "base-salary": "6500.00", "bank-account": "6222021234567890123",
    }
    values.update({k.replace("_", "-"): v for k, v in overrides.items()})
    out = ["employee", "add"]
    for key, value in values.items():
        out += [f"--{key}", value]
    return out


@pytest.fixture
def run(tmp_path, capsys):
    """run(*args) -> (exit code, stdout, stderr) against a data folder of this test."""
    data = tmp_path / "data"

    def _run(*args: str):
        code = cli.main(["--data-dir", str(data), *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    _run.data = data
    return _run


@pytest.fixture
def branch(run):
    code, _out, err = run("init", "--branch-code", "SH01", "--branch-name", "上海分公司")
    assert code == 0, err
    return run


def db_counts(data) -> dict[str, int]:
    """Rows per table, straight from the file: what a failed command must leave alone."""
    with sqlite3.connect(data / STORE_FILENAME) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("employee", "employee_event", "outbox", "audit_log", "app_user")}


def list_json(run, *args) -> list[dict]:
    code, out, err = run("employee", "list", "--json", *args)
    assert code == 0, err
    return json.loads(out)


def show_json(run, number) -> dict:
    code, out, err = run("employee", "show", number, "--json")
    assert code == 0, err
    return json.loads(out)


# ---- setup -----------------------------------------------------------------------------------

def test_init_then_status_names_the_branch(branch):
    code, out, _err = branch("status")
    assert code == 0
    assert "SH01 上海分公司" in out
    assert "0 active, 0 left" in out
    assert "changes waiting to sync: 0" in out
    assert "standalone" in out


def test_init_twice_is_refused(branch):
    code, _out, err = branch("init", "--branch-code", "BJ01", "--branch-name", "北京分公司")
    assert code == 1
    assert "branch_code" in err
    assert "SH01" in branch("status")[1]


def test_commands_without_a_store_exit_1_and_create_nothing(run):
    for args in (("status",), ("employee", "list"), ("audit", "verify"), employee_args()):
        code, out, err = run(*args)
        assert code == 1, args
        assert "branchdesk init" in err
        assert len(err.strip().splitlines()) == 1
    assert not run.data.exists()  # a mistyped --data-dir is not created


def test_a_store_without_a_branch_is_reported(run):
    from desktop.store import open_store

    open_store(run.data).close()  # e.g. the desktop app opened the folder and was closed
    code, _out, err = run("employee", "list")
    assert code == 1
    assert "branchdesk init" in err


def test_data_dir_comes_from_the_environment(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("BRANCHDESK_DATA_DIR", str(tmp_path / "env-data"))
    assert cli.main(["init", "--branch-code", "GZ01", "--branch-name", "广州分公司"]) == 0
    assert (tmp_path / "env-data" / STORE_FILENAME).exists()
    assert cli.main(["status"]) == 0
    assert "GZ01" in capsys.readouterr().out
    assert (tmp_path / "env-data" / "logs" / "branchdesk.log").exists()


def test_usage_errors_exit_2(branch):
    for args in ([], ["bogus"], ["employee"], ["user"], ["audit"],
                 ["employee", "add", "--name", "张伟"],
                 ["employee", "list", "--status", "retired"],
                 ["user", "add", "amy", "--role", "boss"],
                 ["demo", "--employees", "many"],
                 ["employee", "edit", "E000001"]):
        code, _out, err = branch(*args)
        assert code == 2, args
        assert "usage:" in err


def test_help_exits_0(run):
    code, out, _err = run("--help")
    assert code == 0
    assert "employee" in out


def test_subcommands_are_the_parsers_commands():
    """The launcher sends argv to the CLI when its first word is in SUBCOMMANDS."""
    parser = cli.build_parser()
    [commands] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    assert set(commands.choices) == cli.SUBCOMMANDS


# ---- users and departments ---------------------------------------------------------------------

def test_user_add_reads_the_password_from_stdin(branch, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("s3cret-pass\n"))
    code, _out, err = branch("user", "add", "amy", "--role", "manager", "--password-stdin")
    assert code == 0, err
    code, out, _err = branch("user", "list", "--json")
    assert json.loads(out) == [{"username": "amy", "role": "manager", "active": True}]
    from desktop.store import open_store

    store = open_store(branch.data)
    try:
        assert auth.sign_in(store, "amy", "s3cret-pass") == auth.Actor("amy", "manager")
    finally:
        store.close()


def test_user_add_prompts_twice_and_refuses_a_mismatch(branch, monkeypatch):
    answers = iter(["first-password", "other-password"])
    monkeypatch.setattr(cli.getpass, "getpass", lambda prompt="": next(answers))
    code, _out, err = branch("user", "add", "amy", "--role", "clerk")
    assert code == 1
    assert "password" in err
    assert json.loads(branch("user", "list", "--json")[1]) == []


def test_short_password_names_the_field(branch, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    code, _out, err = branch("user", "add", "amy", "--role", "clerk", "--password-stdin")
    assert code == 1
    assert "password" in err


def test_department_add_and_list(branch):
    code, _out, err = branch("department", "add", "legal", "--name", "法务")
    assert code == 0, err
    code, out, _err = branch("department", "list", "--json")
    depts = {d["code"]: d for d in json.loads(out)}
    assert set(depts) == {"finance", "sales", "collection", "legal"}
    assert depts["legal"]["scope"] == "branch" and depts["sales"]["scope"] == "group"
    code, out, _err = branch("department", "list")
    assert "法务" in out


# ---- employees ----------------------------------------------------------------------------------

def test_add_then_list_json_masks_sensitive_fields(branch):
    code, out, err = branch(*employee_args())
    assert code == 0, err
    assert "E000001" in out
    [row] = list_json(branch)
    assert row["employee_no"] == "E000001"
    assert row["name"] == "张伟"
    assert row["gender"] == "M"  # derived from the ID number
    assert row["base_salary"] == "6500.00"  # Decimal as a string, never a float
    assert row["hire_date"] == "2024-01-02"
    assert row["birth_date"] == "1990-03-07"
    assert row["department"] == "催收"
    assert row["status"] == "active"
    assert row["id_number"] == ID_MAN[:3] + "*" * 11 + ID_MAN[-4:]
    assert row["bank_account"] == "*" * 15 + "0123"
    assert ID_MAN not in out and "6222021234567890123" not in out


def test_list_filters_and_plain_table_aligns_chinese(branch):
    assert branch(*employee_args("E000001"))[0] == 0
    assert branch(*employee_args("E000002", name="欧阳娜娜", id_number=ID_WOMAN,
                                 phone="13900139000", department="sales",
                                 position="客户经理", base_salary="12000"))[0] == 0
    assert [r["employee_no"] for r in list_json(branch, "--department", "sales")] == ["E000002"]
    assert [r["employee_no"] for r in list_json(branch, "--search", "欧阳")] == ["E000002"]
    assert list_json(branch, "--status", "left") == []
    code, _out, err = branch("employee", "list", "--department", "nope")
    assert code == 1 and "department" in err

    code, out, _err = branch("employee", "list")
    lines = out.splitlines()
    header, rows = lines[0], lines[2:4]
    # "Position" starts at the same terminal column on every line, whatever the name width.
    column = cli.display_width(header[:header.index("Position")])
    for line, position in zip(rows, ("催收专员", "客户经理"), strict=True):
        assert cli.display_width(line[:line.index(position)]) == column
    assert "2 employee(s)" in out


def test_display_width_counts_wide_characters_twice():
    assert cli.display_width("E1") == 2
    assert cli.display_width("张伟") == 4
    assert cli.display_width("ＡＢ") == 4  # fullwidth


def test_edit_changes_only_the_given_field(branch):
    branch(*employee_args())
    before = show_json(branch, "E000001")
    code, out, err = branch("employee", "edit", "E000001", "--phone", "13911112222")
    assert code == 0, err
    assert "phone" in out
    after = show_json(branch, "E000001")
    assert after["phone"] == "13911112222"
    assert {k: v for k, v in after.items() if k != "phone"} == \
        {k: v for k, v in before.items() if k != "phone"}


def test_edit_with_a_bad_value_writes_nothing(branch):
    branch(*employee_args())
    counts = db_counts(branch.data)
    code, _out, err = branch("employee", "edit", "E000001", "--name", "王五",
                             "--base-salary", "-5")
    assert code == 1
    assert "base_salary" in err
    assert db_counts(branch.data) == counts
    assert show_json(branch, "E000001")["name"] == "张伟"


def test_leave_and_rehire_show_in_the_history(branch):
    branch(*employee_args())
    code, _out, err = branch("employee", "leave", "E000001", "--date", "2025-03-31",
                             "--reason", "个人原因")
    assert code == 0, err
    shown = show_json(branch, "E000001")
    assert (shown["status"], shown["leave_date"], shown["leave_reason"]) == \
        ("left", "2025-03-31", "个人原因")
    assert list_json(branch, "--status", "active") == []

    code, _out, err = branch("employee", "rehire", "E000001", "--date", "2025-06-01")
    assert code == 0, err
    shown = show_json(branch, "E000001")
    assert shown["status"] == "active" and shown["hire_date"] == "2025-06-01"
    assert [(e["kind"], e["date"]) for e in shown["history"]] == [
        ("hire", "2024-01-02"), ("leave", "2025-03-31"), ("rehire", "2025-06-01")]
    assert shown["history"][1]["reason"] == "个人原因"
    assert shown["history"][0]["actor"].startswith("cli:")


def test_leave_before_hire_is_refused(branch):
    branch(*employee_args())
    code, _out, err = branch("employee", "leave", "E000001", "--date", "2023-01-01",
                             "--reason", "个人原因")
    assert code == 1
    assert "leave_date" in err
    assert show_json(branch, "E000001")["status"] == "active"


def test_show_prints_the_employee_and_history(branch):
    branch(*employee_args())
    code, out, _err = branch("employee", "show", "E000001")
    assert code == 0
    assert "张伟" in out and "催收专员" in out and "6500.00" in out
    assert "History:" in out and "hire" in out
    assert ID_MAN not in out  # masked like the list


def test_unknown_employee_exits_1(branch):
    code, _out, err = branch("employee", "show", "E999999")
    assert code == 1
    assert "E999999" in err


def test_invalid_id_number_exits_1_naming_the_field_and_writes_nothing(branch):
    branch(*employee_args("E000001"))
    counts = db_counts(branch.data)
    bad = ID_MAN[:-1] + ("0" if ID_MAN[-1] != "0" else "1")
    code, out, err = branch(*employee_args("E000002", id_number=bad, phone="13900000000"))
    assert code == 1
    assert "id_number" in err
    assert len(err.strip().splitlines()) == 1
    assert out == ""
    assert db_counts(branch.data) == counts


def test_duplicate_employee_number_exits_1(branch):
    branch(*employee_args("E000001"))
    counts = db_counts(branch.data)
    code, _out, err = branch(*employee_args("E000001", name="李四", phone="13900000000"))
    assert code == 1
    assert "employee_no" in err and "already used" in err
    assert db_counts(branch.data) == counts
    assert [r["name"] for r in list_json(branch)] == ["张伟"]


# ---- import ------------------------------------------------------------------------------------

HEADER = "employee_no,name,id_number,phone,department,position,hire_date,base_salary,bank_account"


def csv_row(number, name, id_number, phone, department="collection", hire="2024-02-01",
            salary="7000"):
    account = "6222021234567890123"
    return f"{number},{name},{id_number},{phone},{department},催收专员,{hire},{salary},{account}"


def test_import_hires_every_row(branch, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text("\ufeff" + "\n".join([  # Excel's byte-order mark is fine
        HEADER,
        csv_row("E000101", "王芳", ID_WOMAN, "13700000001"),
        csv_row("E000102", "张伟", ID_MAN, "13700000002", department="finance"),
    ]) + "\n", encoding="utf-8")
    code, out, err = branch("employee", "import", str(path))
    assert code == 0, err
    assert "2" in out
    rows = list_json(branch)
    assert [(r["employee_no"], r["department"]) for r in rows] == [
        ("E000101", "催收"), ("E000102", "财务")]


def test_import_with_bad_rows_reports_each_and_writes_nothing(branch, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text("\n".join([
        HEADER,
        csv_row("E000101", "王芳", ID_WOMAN, "13700000001"),
        csv_row("E000102", "张伟", "310101199003071234", "13700000002"),
        csv_row("E000103", "李娜", ID_WOMAN, "12345", salary="abc"),
    ]) + "\n", encoding="utf-8")
    counts = db_counts(branch.data)
    code, out, err = branch("employee", "import", str(path))
    assert code == 1
    # Spreadsheet row numbers: the header is row 1, so the first data row is row 2.
    assert "row 3, id_number:" in err
    assert "row 4, phone:" in err
    assert "row 4, base_salary:" in err
    assert "row 2," not in err
    assert "nothing imported" in err
    assert out == ""
    assert db_counts(branch.data) == counts


def test_import_rejects_an_unknown_column(branch, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text("employee_no,nickname\nE1,x\n", encoding="utf-8")
    code, _out, err = branch("employee", "import", str(path))
    assert code == 1
    assert "nickname" in err


def test_import_of_a_missing_file_exits_1(branch, tmp_path):
    code, _out, err = branch("employee", "import", str(tmp_path / "nope.csv"))
    assert code == 1
    assert "nope.csv" in err


def test_import_rejects_a_file_that_is_not_a_spreadsheet(branch, tmp_path):
    path = tmp_path / "staff.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0 old Excel")
    code, _out, err = branch("employee", "import", str(path))
    assert code == 1
    assert "staff.xls" in err and ".xlsx" in err
    assert len(err.strip().splitlines()) == 1


# ---- export and template -------------------------------------------------------------------------

def test_template_then_import_hires_its_example_row(branch, tmp_path):
    path = tmp_path / "blank.xlsx"
    code, out, err = branch("employee", "template", str(path))
    assert code == 0, err
    assert str(path) in out
    code, out, err = branch("employee", "import", str(path))
    assert code == 0, err
    assert "imported 1 employee(s)" in out
    assert [r["name"] for r in list_json(branch)] == ["张三"]


def test_template_must_be_xlsx(branch, tmp_path):
    code, _out, err = branch("employee", "template", str(tmp_path / "blank.csv"))
    assert code == 1
    assert ".xlsx" in err
    assert not (tmp_path / "blank.csv").exists()


def test_export_writes_the_filtered_rows_masked_unless_asked(branch, tmp_path):
    branch(*employee_args("E000001"))
    branch(*employee_args("E000002", id_number=ID_WOMAN, department="finance", name="王芳",
                          phone="13700000002"))
    path = tmp_path / "out.csv"
    code, out, err = branch("employee", "export", str(path), "--department", "finance")
    assert code == 0, err
    assert "exported 1 employee(s)" in out
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("工号,姓名,性别,身份证号")
    assert len(lines) == 2 and lines[1].startswith("E000002,王芳,女,")
    assert ID_WOMAN not in lines[1]  # masked as a clerk sees it

    code, _out, err = branch("employee", "export", str(path), "--unmasked")
    assert code == 0, err
    text = path.read_text(encoding="utf-8-sig")
    assert ID_MAN in text and ID_WOMAN in text


def test_export_then_import_into_another_branch(branch, tmp_path, capsys):
    branch(*employee_args("E000001", base_salary="8000.10"))
    path = tmp_path / "staff.xlsx"
    assert branch("employee", "export", str(path), "--unmasked")[0] == 0
    other = tmp_path / "other"
    assert cli.main(["--data-dir", str(other), "init", "--branch-code", "BJ01",
                     "--branch-name", "北京分公司"]) == 0
    assert cli.main(["--data-dir", str(other), "employee", "import", str(path)]) == 0
    assert "imported 1 employee(s)" in capsys.readouterr().out
    assert cli.main(["--data-dir", str(other), "employee", "show", "E000001", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["name"], shown["base_salary"], shown["department"]) == ("张伟", "8000.10", "催收")


def test_export_to_an_unknown_file_type_exits_1(branch, tmp_path):
    code, _out, err = branch("employee", "export", str(tmp_path / "out.pdf"))
    assert code == 1
    assert "out.pdf" in err
    assert not (tmp_path / "out.pdf").exists()


# ---- audit --------------------------------------------------------------------------------------

def test_audit_verify_passes_then_catches_a_row_changed_behind_the_apps_back(branch):
    branch(*employee_args())
    branch("employee", "edit", "E000001", "--base-salary", "7000")
    code, out, _err = branch("audit", "verify")
    assert code == 0
    assert "audit chain intact" in out

    with sqlite3.connect(branch.data / STORE_FILENAME) as con:
        con.execute("UPDATE employee SET base_salary = 9999900 WHERE employee_no = 'E000001'")
        (last_salary_seq,) = con.execute(
            "SELECT max(seq) FROM audit_log WHERE table_name = 'employee'").fetchone()
    con.close()
    code, out, err = branch("audit", "verify")
    assert code == 1
    assert f"entry {last_salary_seq}" in err
    assert "base_salary" in err


def test_audit_verify_catches_an_edited_audit_entry(branch):
    branch(*employee_args())
    with sqlite3.connect(branch.data / STORE_FILENAME) as con:
        con.execute("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 2")
    con.close()
    code, _out, err = branch("audit", "verify")
    assert code == 1
    assert "entry 2" in err


# ---- a real process -----------------------------------------------------------------------------

def test_python_m_desktop_exit_codes(tmp_path):
    def run(*args):
        return subprocess.run([sys.executable, "-m", "desktop", "--data-dir", str(tmp_path), *args],
                              capture_output=True, text=True, encoding="utf-8", timeout=120)

    missing = run("status")
    assert missing.returncode == 1
    assert "branchdesk init" in missing.stderr
    assert run("employee").returncode == 2
    done = run("init", "--branch-code", "SH01", "--branch-name", "上海分公司")
    assert done.returncode == 0, done.stderr
    assert "上海分公司" in done.stdout
