"""Typed settings over QSettings (as MusicBrainz Picard does): one property per setting."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

LANGUAGES = ("zh_CN", "en")


class Settings:
    def __init__(self, qsettings: QSettings | None = None):
        self._q = qsettings or QSettings("BranchDesk", "BranchDesk")

    def _get(self, key: str, default, kind):
        value = self._q.value(key, default)
        return kind(value) if value is not None else default

    @property
    def language(self) -> str:
        value = self._get("ui/language", "zh_CN", str)
        return value if value in LANGUAGES else "zh_CN"

    @language.setter
    def language(self, value: str) -> None:
        self._q.setValue("ui/language", value if value in LANGUAGES else "zh_CN")

    @property
    def last_username(self) -> str:
        return self._get("signin/last_username", "", str)

    @last_username.setter
    def last_username(self, value: str) -> None:
        self._q.setValue("signin/last_username", value)

    @property
    def window_geometry(self) -> QByteArray | None:
        return self._q.value("main_window/geometry")

    @window_geometry.setter
    def window_geometry(self, value: QByteArray) -> None:
        self._q.setValue("main_window/geometry", value)

    @property
    def window_state(self) -> QByteArray | None:
        return self._q.value("main_window/state")

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self._q.setValue("main_window/state", value)

    @property
    def employee_columns(self) -> QByteArray | None:
        return self._q.value("employees/header_state")

    @employee_columns.setter
    def employee_columns(self, value: QByteArray) -> None:
        self._q.setValue("employees/header_state", value)

    def sync(self) -> None:
        self._q.sync()
