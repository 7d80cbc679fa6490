"""Icons, the style sheet and translations shipped in the `resources` package."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QIcon

import resources

RESOURCES = Path(resources.__file__).parent
TRANSLATIONS = RESOURCES / "translations"


@cache
def app_icon() -> QIcon:
    return QIcon(str(RESOURCES / "icons" / "branchdesk.svg"))


def style_sheet() -> str:
    return (RESOURCES / "styles" / "branchdesk.qss").read_text(encoding="utf-8")


_installed: list[QTranslator] = []


def install_translators(app: QCoreApplication, language: str) -> bool:
    """Chinese by default: BranchDesk's own catalogue plus Qt's (standard buttons, dialogs).
    English is the source language, so it needs no catalogue."""
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    if language == "en":
        QLocale.setDefault(QLocale(QLocale.English, QLocale.UnitedStates))
        return True
    QLocale.setDefault(QLocale(QLocale.Chinese, QLocale.China))
    ok = True
    for directory, name in ((str(TRANSLATIONS), f"branchdesk_{language}"),
                            (QLibraryInfo.path(QLibraryInfo.TranslationsPath),
                             f"qtbase_{language}")):
        translator = QTranslator(app)
        if translator.load(name, directory):
            app.installTranslator(translator)
            _installed.append(translator)
        else:
            ok = False
    return ok
