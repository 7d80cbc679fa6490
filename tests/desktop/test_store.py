"""The local store on disk: SQLite settings, the schema the migrations build, reference data,
upgrades of an older store, money and ids."""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
import uuid
from decimal import Decimal

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select

from desktop.ids import reference_id, uuid7
from desktop.services import branch, employees
from desktop.services.employees import EmployeeQuery
from desktop.store import open_store
from desktop.store.database import STORE_FILENAME, _create_engine, driver_rows
from desktop.store.migrate import current_revision, head_revision, upgrade_to_head
from desktop.store.models import Base, Department, Employee, EmployeeEvent
from desktop.store.types import Money
from desktop.store.unit_of_work import unit_of_work
from tests.desktop.support import ADMIN

STANDARD = {"finance": "财务", "sales": "销售", "collection": "催收"}


def test_a_new_store_is_sqlite_in_wal_mode_with_foreign_keys_on(tmp_path):
    store = open_store(tmp_path / "new")
    try:
        assert store.path == tmp_path / "new" / STORE_FILENAME and store.path.exists()
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
        assert current_revision(store.engine) == head_revision()
    finally:
        store.close()


def test_foreign_keys_are_enforced(store):
    with pytest.raises(sa.exc.IntegrityError, match="FOREIGN KEY"), store.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO employee_event (id, branch_id, rev, updated_at, deleted, employee_id,"
            " kind, effective_date, actor) VALUES ('x', NULL, 0, '2026-01-01T00:00:00.000000Z',"
            " 0, 'no-such-employee', 'hire', '2026-01-01', 'test')")


ORPHAN_EVENT = (
    "INSERT INTO employee_event (id, branch_id, rev, updated_at, deleted, employee_id, kind,"
    " effective_date, actor) VALUES (:id, NULL, 1, '2026-01-01T00:00:00.000000Z', 0,"
    " 'employee-not-here-yet', 'hire', '2026-01-01', 'sync:hq')")


def test_pulled_rows_may_precede_their_parent_but_other_writes_still_check(store):
    """HQ's pages come in rev order, so an event can arrive before its employee (or without
    one: an employee transferred away leaves their history); every other write is checked."""
    for _ in range(6):  # more than the pool holds: no connection keeps FKs off afterwards
        with store.session_for_pull() as s:
            s.execute(sa.text(ORPHAN_EVENT), {"id": str(uuid.uuid4())})
        with pytest.raises(sa.exc.IntegrityError, match="FOREIGN KEY"), \
                store.session_for_write() as s:
            s.execute(sa.text(ORPHAN_EVENT), {"id": str(uuid.uuid4())})
    with store.read() as s:
        assert s.scalar(select(sa.func.count()).select_from(EmployeeEvent)) == 6


def _diff(conn, metadata, *, compare_type: bool):
    ctx = MigrationContext.configure(conn, opts={"compare_type": compare_type})
    return compare_metadata(ctx, metadata)


def test_the_models_match_the_migrated_schema(store):
    """Autogenerate finds nothing to do: the migrations build exactly what the models say.

    Types are compared too (compare_type=True). Alembic compares a TypeDecorator through its
    dialect implementation, so Money (BIGINT cents on SQLite) and UTCDateTime (VARCHAR(32))
    show no false differences; a separate check below pins the storage classes that matter."""
    with store.engine.connect() as conn:
        assert _diff(conn, Base.metadata, compare_type=True) == []
        assert _diff(conn, Base.metadata, compare_type=False) == []


def test_the_schema_comparison_is_not_vacuous(store):
    """The same comparison does notice a column the migrations never built, or a wrong type."""
    metadata = sa.MetaData(naming_convention=Base.metadata.naming_convention)
    for table in Base.metadata.sorted_tables:
        table.to_metadata(metadata)
    metadata.tables["employee"].append_column(sa.Column("nickname", sa.String(20)))
    setting = metadata.tables["setting"]
    setting.c.value.type = sa.Integer()
    with store.engine.connect() as conn:
        diffs = _diff(conn, metadata, compare_type=True)
    flat = [d[0] if isinstance(d, list) else d for d in diffs]
    assert any(d[0] == "add_column" and d[3].name == "nickname" for d in flat)
    assert any(d[0] == "modify_type" and d[2:4] == ("setting", "value") for d in flat)


def test_money_and_timestamps_have_the_storage_classes_that_keep_them_exact(store):
    """Money is integer cents (INTEGER affinity: exact, numeric sort and SUM); timestamps are
    ISO text. A NUMERIC/REAL money column would go through a double and lose cents."""
    with store.engine.connect() as conn:
        columns = {row[1]: row[2] for row in conn.exec_driver_sql("PRAGMA table_info(employee)")}
    assert "INT" in columns["base_salary"].upper()  # SQLite affinity rule 1: INTEGER
    assert columns["updated_at"].upper().startswith("VARCHAR")  # affinity TEXT
    assert isinstance(Employee.__table__.c.base_salary.type, Money)


def test_standard_departments_are_reference_rows_with_the_same_ids_everywhere(tmp_path):
    first, second = open_store(tmp_path / "a"), open_store(tmp_path / "b")
    try:
        found = []
        for store in (first, second):
            with store.read() as s:
                rows = s.scalars(select(Department).where(Department.branch_id.is_(None)))
                found.append({d.code: (d.id, d.name, d.branch_id) for d in rows})
        assert found[0] == found[1]
        assert {code: name for code, (_i, name, _b) in found[0].items()} == STANDARD
        for code, (row_id, _name, branch_id) in found[0].items():
            assert branch_id is None
            assert row_id == reference_id("department", code)
    finally:
        first.close()
        second.close()


def test_a_branch_sees_the_standard_departments(store):
    assert [d.code for d in branch.departments(store)] == ["collection", "finance", "sales"]


def _make_0001_store(folder) -> tuple[str, str]:
    """A store as the 0001 app left it, with one employee; returns (branch id, employee id)."""
    folder.mkdir()
    engine = _create_engine(folder / STORE_FILENAME)
    upgrade_to_head(engine, "0001")
    assert current_revision(engine) == "0001"
    branch_id, emp_id = uuid7(), uuid7()
    stamp = "2026-01-05T08:00:00.000000Z"
    with engine.begin() as conn:  # what the 0001 app wrote: cents in base_salary
        conn.exec_driver_sql(
            "INSERT INTO branch (id, branch_id, rev, updated_at, deleted, code, name)"
            " VALUES (?, NULL, 0, ?, 0, 'SH01', '上海分公司')", (branch_id, stamp))
        conn.exec_driver_sql("INSERT INTO setting (key, value) VALUES ('branch_id', ?)",
                             (branch_id,))
        conn.exec_driver_sql(
            "INSERT INTO employee (id, branch_id, rev, updated_at, deleted, employee_no, name,"
            " gender, id_number, birth_date, phone, department_id, position, hire_date,"
            " base_salary, bank_account, status) VALUES (?, ?, 3, ?, 0, 'E00001', '张伟', 'F',"
            " '11010519491231002X', '1949-12-31', '13912345678', ?, '催收专员', '2020-03-01',"
            " 1234567891, '6222021200000000001', 'active')",
            (emp_id, branch_id, stamp, reference_id("department", "collection")))
    engine.dispose()
    return branch_id, emp_id


def test_a_0001_store_is_upgraded_on_open_and_keeps_its_employees(tmp_path):
    folder = tmp_path / "old"
    branch_id, emp_id = _make_0001_store(folder)

    store = open_store(folder)
    try:
        assert current_revision(store.engine) == head_revision()
        with store.read() as s:
            emp = s.get(Employee, emp_id)
            assert (emp.employee_no, emp.name, emp.rev) == ("E00001", "张伟", 3)
            assert emp.base_salary == Decimal("12345678.91")
            assert emp.hire_date == dt.date(2020, 3, 1)
            assert emp.leave_date is None and emp.leave_reason is None
            events = s.scalars(select(EmployeeEvent)).all()
        assert [(e.employee_id, e.kind, e.effective_date, e.branch_id) for e in events] == [
            (emp_id, "hire", dt.date(2020, 3, 1), branch_id)]
        # ... and the upgraded store works as a new one does.
        assert [e.kind for e in employees.history(store, emp_id)] == ["hire"]
        employees.leave(store, ADMIN, emp_id, "2026-02-01", "moved away")
        assert [e.kind for e in employees.history(store, emp_id)] == ["hire", "leave"]
    finally:
        store.close()


def test_desks_opening_an_old_store_at_once_migrate_it_once(tmp_path):
    """The GUI and a CLI command (or two windows) starting together on an old store: one
    migrates, the others wait and find it done."""
    folder = tmp_path / "old"
    _branch_id, emp_id = _make_0001_store(folder)
    errors: list[BaseException] = []
    start = threading.Barrier(3)

    def open_desk():
        try:
            start.wait()
            open_store(folder).close()
        except BaseException as e:  # reported below, in the test thread
            errors.append(e)

    threads = [threading.Thread(target=open_desk) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    store = open_store(folder)
    try:
        assert current_revision(store.engine) == head_revision()
        assert [e.kind for e in employees.history(store, emp_id)] == ["hire"]
    finally:
        store.close()


def test_opening_a_store_at_head_again_changes_nothing(tmp_path):
    open_store(tmp_path / "s").close()
    store = open_store(tmp_path / "s")
    try:
        assert current_revision(store.engine) == head_revision()
        with store.read() as s:
            assert len(s.scalars(select(Department)).all()) == 3
    finally:
        store.close()


def _insert_employee(uow, store, employee_no: str, salary: Decimal) -> str:
    info = branch.current_branch(store)
    values = employees.clean(
        {"employee_no": employee_no, "name": "测试", "id_number": "11010519491231002X",
         "phone": "13900000000", "department": "sales", "position": "销售",
         "hire_date": "2020-01-01", "base_salary": "1.00", "bank_account": "622202120000000"},
        employees.department_lookup(store))
    values["base_salary"] = salary  # above the hiring limit: straight to the model
    return uow.create(Employee(branch_id=info.id, status="active", **values)).id


def test_money_round_trips_exactly_and_sorts_numerically(store, raw):
    salaries = {"E1": Decimal("12345678.91"), "E2": Decimal("900.00"),
                "E3": Decimal("10000.05"), "E4": Decimal("0.10"), "E5": Decimal("999999.99")}
    with unit_of_work(store, "test") as uow:
        ids = {no: _insert_employee(uow, store, no, amount) for no, amount in salaries.items()}
    with store.read() as s:
        for no, amount in salaries.items():
            got = s.get(Employee, ids[no]).base_salary
            assert got == amount and str(got) == str(amount)
        total = s.scalar(select(sa.func.sum(Employee.base_salary)))
    assert total == sum(salaries.values())  # SUM runs in SQL over integer cents: exact
    stored = dict(raw.execute("SELECT employee_no, base_salary FROM employee"))
    assert stored["E1"] == 1234567891
    assert raw.execute("SELECT DISTINCT typeof(base_salary) FROM employee").fetchall() == [
        ("integer",)]

    ordered = employees.search_ids(store, EmployeeQuery(sort="base_salary", descending=True))
    by_id = {v: k for k, v in ids.items()}
    assert [by_id[i] for i in ordered] == ["E1", "E5", "E3", "E2", "E4"]


def test_money_is_rounded_half_up_to_the_cent_on_the_way_in(store):
    with unit_of_work(store, "test") as uow:
        a = _insert_employee(uow, store, "R1", Decimal("10.005"))
        b = _insert_employee(uow, store, "R2", Decimal("10.004"))
    with store.read() as s:
        assert s.get(Employee, a).base_salary == Decimal("10.01")
        assert s.get(Employee, b).base_salary == Decimal("10.00")


def test_uuid7_ids_are_unique_time_ordered_and_version_7():
    before = time.time_ns() // 1_000_000
    ids = [uuid7() for _ in range(5000)]
    after = time.time_ns() // 1_000_000
    assert len(set(ids)) == len(ids)
    assert ids == sorted(ids)  # the text order is the creation order
    for text in (ids[0], ids[-1]):
        assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
                            text)
        u = uuid.UUID(text)
        assert u.version == 7 and u.variant == uuid.RFC_4122
        assert before <= u.int >> 80 <= after + 1  # the first 48 bits: Unix milliseconds


def test_uuid7_ids_from_threads_are_unique():
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        batches = list(pool.map(lambda _n: [uuid7() for _ in range(2000)], range(4)))
    everything = [i for batch in batches for i in batch]
    assert len(set(everything)) == len(everything)
    for batch in batches:
        assert batch == sorted(batch)


def test_the_known_head_matches_the_migration_scripts():
    from desktop.store.migrate import HEAD_REVISION

    assert head_revision() == HEAD_REVISION, \
        "a migration was added: set HEAD_REVISION in desktop/store/migrate.py to its revision"


def test_rows_read_straight_off_the_driver_raise_sqlalchemy_errors(store):
    """The sync engine reads its outbox batches with driver_rows; the CLI and the window
    turn SQLAlchemy's errors into a message a clerk reads, so SQLite's must arrive as
    those (a locked or damaged file, as here a missing table)."""
    with store.engine.connect() as conn:
        assert driver_rows(conn, select(Department.code).where(Department.code == "sales")
                           ) == [("sales",)]
        with pytest.raises(sa.exc.OperationalError, match="no such table"):
            driver_rows(conn, select(sa.table("missing", sa.column("x"))))
