"""The shape every BranchDesk form dialog shares: fields with their error underneath, an
optional intro and hint, a general error line, Save / Cancel, and a save that runs on a
worker and puts a service error under the field it names."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import BranchDeskError
from ui.messages import describe, error_text
from ui.ops import Op


def failure_text(exc: BaseException) -> str:
    """A service error for a field, a message box or a dialog's general error line."""
    message = getattr(exc, "message", None)
    if message is not None:  # ValidationError: the message names what is wrong
        return error_text(message)
    return describe(exc)


class FieldRow(QWidget):
    """An input with its error label underneath."""

    def __init__(self, editor: QWidget):
        super().__init__()
        self.editor = editor
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(editor)
        layout.addWidget(self.error)

    def show_error(self, text: str | None) -> None:
        self.editor.setProperty("invalid", bool(text))
        self.editor.style().unpolish(self.editor)
        self.editor.style().polish(self.editor)
        self.error.setText(text or "")
        self.error.setVisible(bool(text))


class FormDialog(QDialog):
    saved = Signal(object)  # what the save job returned (usually a ChangeSet)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: dict[str, FieldRow] = {}
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.hide()
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.ExpandingFieldsGrow)
        self.hint = QLabel()
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        self.hint.hide()
        self.general_error = QLabel()
        self.general_error.setObjectName("fieldError")
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.set_button_texts(self.tr("Save"), self.tr("Cancel"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.body = QVBoxLayout(self)
        for part in (self.intro, self.form, self.hint, self.general_error, self.buttons):
            (self.body.addLayout if isinstance(part, QFormLayout) else self.body.addWidget)(part)

    def set_intro(self, text: str) -> None:
        self.intro.setText(text)
        self.intro.show()

    def set_hint(self, text: str) -> None:
        self.hint.setText(text)
        self.hint.show()

    def set_button_texts(self, ok: str, cancel: str) -> None:
        self.buttons.button(QDialogButtonBox.Save).setText(ok)
        self.buttons.button(QDialogButtonBox.Cancel).setText(cancel)

    def add_field(self, field: str, label: str, editor: QWidget) -> QWidget:
        row = FieldRow(editor)
        self.rows[field] = row
        self.form.addRow(label, row)
        if isinstance(editor, QLineEdit):  # typing again clears that field's error
            editor.textEdited.connect(lambda _t: row.show_error(None))
        return editor

    def clear_errors(self) -> None:
        for row in self.rows.values():
            row.show_error(None)
        self.general_error.hide()

    def show_error(self, field: str, text: str) -> None:
        self.rows[field].show_error(text)
        self.rows[field].editor.setFocus()

    def show_general_error(self, text: str) -> None:
        self.general_error.setText(text)
        self.general_error.show()

    def same_twice(self, first: QLineEdit, again: QLineEdit, field: str, message: str) -> bool:
        """A value typed twice (a new password) must match before the service is asked."""
        if first.text() != again.text():
            self.show_error(field, message)
            return False
        return True

    def run(self, job: Callable[[], Any]) -> None:
        """Save on a worker; the buttons wait meanwhile."""
        self.buttons.setEnabled(False)
        Op(self, job).success(self._succeeded).failure(self._failed).run()

    def save(self) -> None:  # pragma: no cover - every form has its own
        raise NotImplementedError

    def done_saving(self, result) -> None:
        self.saved.emit(result)
        self.accept()

    def save_failed(self, exc: BaseException) -> None:
        field = getattr(exc, "field", None)
        if field in self.rows:
            self.show_error(field, failure_text(exc))
        elif isinstance(exc, BranchDeskError):
            self.show_general_error(describe(exc))
        else:
            self.show_general_error(self.tr("Could not save: %1").replace("%1", str(exc)))

    def _succeeded(self, result) -> None:
        self.buttons.setEnabled(True)
        self.done_saving(result)

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.save_failed(exc)
