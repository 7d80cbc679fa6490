"""Service errors and field names in the user's language."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication


def _t(text: str) -> str:
    return QCoreApplication.translate("Fields", text)


def field_label(field: str) -> str:
    labels = {
        "employee_no": QT_TRANSLATE_NOOP("Fields", "Employee No."), "name": QT_TRANSLATE_NOOP("Fields", "Name"), "gender": QT_TRANSLATE_NOOP("Fields", "Gender"),
        "id_number": QT_TRANSLATE_NOOP("Fields", "ID number"), "phone": QT_TRANSLATE_NOOP("Fields", "Phone"), "department": QT_TRANSLATE_NOOP("Fields", "Department"),
        "position": QT_TRANSLATE_NOOP("Fields", "Position"), "hire_date": QT_TRANSLATE_NOOP("Fields", "Hire date"),
        "base_salary": QT_TRANSLATE_NOOP("Fields", "Base salary"), "bank_account": QT_TRANSLATE_NOOP("Fields", "Bank account"),
        "leave_date": QT_TRANSLATE_NOOP("Fields", "Leave date"), "leave_reason": QT_TRANSLATE_NOOP("Fields", "Reason"), "status": QT_TRANSLATE_NOOP("Fields", "Status"),
        "username": QT_TRANSLATE_NOOP("Fields", "User name"), "password": QT_TRANSLATE_NOOP("Fields", "Password"),
        "role": QT_TRANSLATE_NOOP("Fields", "Role"), "active": QT_TRANSLATE_NOOP("Fields", "Enabled"),
        "old_password": QT_TRANSLATE_NOOP("Fields", "Current password"),
        "new_password": QT_TRANSLATE_NOOP("Fields", "New password"),
        "code": QT_TRANSLATE_NOOP("Fields", "Code"),
        "kind": QT_TRANSLATE_NOOP("Fields", "Event"),
        "effective_date": QT_TRANSLATE_NOOP("Fields", "Effective date"),
        "department_id": QT_TRANSLATE_NOOP("Fields", "Department"),
        "employee_id": QT_TRANSLATE_NOOP("Fields", "Employee"),
    }
    return _t(labels[field]) if field in labels else field


def error_text(message: str) -> str:
    """A service message in the UI language: the core's messages are English templates
    (desktop.messages) that remember their values."""
    template = getattr(message, "template", str(message))
    params = getattr(message, "params", None)
    text = QCoreApplication.translate("Errors", template)
    return text.format(**params) if params else text


def describe(exc: BaseException) -> str:
    field = getattr(exc, "field", None)
    message = getattr(exc, "message", None) or str(exc)
    if field:
        return f"{field_label(field)}: {error_text(message)}"
    return error_text(message)

