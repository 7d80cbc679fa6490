"""Hire / edit an employee, with inline validation: each field is checked as the clerk
leaves it, and the error shows under that field. Saving runs on a worker; an error from the
store (a number already used) lands on its field too, and the dialog stays open."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QVBoxLayout,
)

from desktop import idcard
from desktop.services import employees
from desktop.services.auth import Actor
from desktop.services.employees import EmployeeInputError, EmployeeView
from desktop.store import Store
from ui.employee_model import gender_label
from ui.forms import FormDialog
from ui.messages import error_text, field_label
from ui.ops import Op

POSITIONS = ("催收专员", "高级催收专员", "催收组长", "销售代表", "客户经理", "会计", "出纳",
             "财务主管", "人事专员")


class EmployeeDialog(FormDialog):
    def __init__(self, store: Store, actor: Actor, departments: list, parent=None,
                 employee: EmployeeView | None = None):
        super().__init__(parent)
        self.store = store
        self.actor = actor
        self.employee = employee
        self.setWindowTitle(self.tr("Edit employee") if employee else self.tr("Hire employee"))
        self.setMinimumWidth(460)
        self._dept_lookup = {}
        self.department = QComboBox()
        for d in departments:
            self.department.addItem(d.name, d.id)
            self._dept_lookup[d.id] = d.id
            self._dept_lookup[d.code] = d.id

        self.employee_no = QLineEdit()
        self.name = QLineEdit()
        self.id_number = QLineEdit()
        self.id_number.setMaxLength(18)
        self.derived = QLabel()
        self.derived.setObjectName("hint")
        self.derived.hide()
        self.phone = QLineEdit()
        self.position = QComboBox()
        self.position.setEditable(True)
        self.position.addItems(POSITIONS)
        self.position.setCurrentText("")
        self.hire_date = QDateEdit(QDate.currentDate())
        self.hire_date.setCalendarPopup(True)
        self.hire_date.setDisplayFormat("yyyy-MM-dd")
        self.base_salary = QLineEdit()
        self.base_salary.setPlaceholderText("8000.00")
        self.bank_account = QLineEdit()

        for field, editor in (
            ("employee_no", self.employee_no), ("name", self.name),
            ("id_number", self.id_number), ("phone", self.phone),
            ("department", self.department), ("position", self.position),
            ("hire_date", self.hire_date), ("base_salary", self.base_salary),
            ("bank_account", self.bank_account),
        ):
            self.add_field(field, field_label(field), editor)
        self.rows["id_number"].layout().insertWidget(1, self.derived)
        if employee:
            at = self.body.indexOf(self.general_error)
            self.body.insertWidget(at, QLabel(self.tr("Employment history")))
            self.history = QListWidget()
            self.history.setMaximumHeight(90)
            self.body.insertWidget(at + 1, self.history)
            self._load(employee)

        for field in ("employee_no", "name", "id_number", "phone", "base_salary",
                      "bank_account"):
            getattr(self, field).editingFinished.connect(
                lambda f=field: self.check_field(f))
        self.position.lineEdit().editingFinished.connect(lambda: self.check_field("position"))
        self.id_number.textChanged.connect(self._show_derived)

    # ---- values ----
    def _load(self, e: EmployeeView) -> None:
        self.employee_no.setText(e.employee_no)
        self.name.setText(e.name)
        self.id_number.setText(e.id_number)
        self.phone.setText(e.phone)
        self.department.setCurrentIndex(max(0, self.department.findData(e.department_id)))
        self.position.setCurrentText(e.position)
        self.hire_date.setDate(QDate(e.hire_date.year, e.hire_date.month, e.hire_date.day))
        self.base_salary.setText(str(e.base_salary))
        self.bank_account.setText(e.bank_account)
        if not self.actor.sees_sensitive:
            for editor in (self.id_number, self.bank_account):
                editor.setReadOnly(True)
                editor.setToolTip(self.tr("Only a manager can see or change this field"))
        self._show_derived()
        Op(self, lambda: employees.history(self.store, e.id)).success(self._show_history).run()

    def _show_history(self, events) -> None:
        labels = {"hire": self.tr("Hired"), "leave": self.tr("Left"),
                  "rehire": self.tr("Rehired"), "transfer": self.tr("Transferred")}
        for ev in events:
            text = f"{ev.effective_date.isoformat()}  {labels.get(ev.kind, ev.kind)}"
            if ev.reason:
                text += f"  ({ev.reason})"
            self.history.addItem(text)

    def values(self) -> dict:
        return {
            "employee_no": self.employee_no.text(),
            "name": self.name.text(),
            "id_number": self.id_number.text(),
            "phone": self.phone.text(),
            "department": self.department.currentData() or "",
            "position": self.position.currentText(),
            "hire_date": self.hire_date.date().toString("yyyy-MM-dd"),
            "base_salary": self.base_salary.text(),
            "bank_account": self.bank_account.text(),
        }

    def _changed_values(self) -> dict:
        """For an edit, only what the clerk changed goes to the service."""
        current = self.values()
        if not self.employee:
            return current
        e = self.employee
        before = {
            "employee_no": e.employee_no, "name": e.name, "id_number": e.id_number,
            "phone": e.phone, "department": e.department_id, "position": e.position,
            "hire_date": e.hire_date.isoformat(), "base_salary": str(e.base_salary),
            "bank_account": e.bank_account,
        }
        return {k: v for k, v in current.items() if v.strip() != before[k]}

    # ---- validation ----
    def _show_derived(self) -> None:
        text = self.id_number.text().strip()
        try:
            info = idcard.parse(text)
        except idcard.InvalidIdNumber:
            self.derived.setText("")
            self.derived.hide()
            return
        self.derived.show()
        self.derived.setText(self.tr("Born %1, %2").replace(
            "%1", info.birth_date.isoformat()).replace("%2", gender_label(info.gender)))

    def check_field(self, field: str) -> bool:
        if self.employee and self.rows[field].editor.property("readOnly"):
            return True
        value = self.values()[field]
        try:
            employees.clean({field: value}, self._dept_lookup, partial=True)
        except EmployeeInputError as e:
            self.rows[field].show_error(error_text(e.errors.get(field, e.message)))
            return False
        self.rows[field].show_error(None)
        return True

    def show_errors(self, errors: dict[str, str]) -> None:
        for field, row in self.rows.items():
            row.show_error(error_text(errors[field]) if field in errors else None)
        first = next((f for f in self.rows if f in errors), None)
        if first:
            self.rows[first].editor.setFocus()

    # ---- saving ----
    def save(self) -> None:
        data = self._changed_values()
        if self.employee and not data:
            self.accept()
            return
        try:  # the whole form at once, before touching the store
            employees.clean(data, self._dept_lookup, partial=bool(self.employee))
        except EmployeeInputError as e:
            self.show_errors(e.errors)
            return
        self.clear_errors()
        if self.employee:
            emp_id = self.employee.id
            self.run(lambda: employees.edit(self.store, self.actor, emp_id, data))
        else:
            self.run(lambda: employees.hire(self.store, self.actor, data)[1])

    def save_failed(self, exc: BaseException) -> None:
        if isinstance(exc, EmployeeInputError):  # every bad field at once
            self.show_errors(exc.errors)
        else:
            super().save_failed(exc)


class LeaveDialog(QDialog):
    def __init__(self, employee: EmployeeView, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Record leave: %1").replace("%1", employee.name))
        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.reason = QComboBox()
        self.reason.setEditable(True)
        self.reason.addItems(["个人原因", "合同到期", "协商解除", "退休", "辞退"])
        self.reason.setCurrentText("")
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.hide()
        form = QFormLayout()
        form.addRow(field_label("leave_date"), self.date)
        form.addRow(field_label("leave_reason"), self.reason)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def when(self) -> dt.date:
        return self.date.date().toPython()


class RehireDialog(QDialog):
    def __init__(self, employee: EmployeeView, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Rehire: %1").replace("%1", employee.name))
        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        form = QFormLayout()
        form.addRow(field_label("hire_date"), self.date)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setAttribute(Qt.WA_DeleteOnClose, False)

    def when(self) -> dt.date:
        return self.date.date().toPython()
