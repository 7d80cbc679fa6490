"""Enrollment with group HQ: an administrator types HQ's address and the one-time code HQ
gave for this branch; the exchange (network) runs on a worker and each failure lands
under the field it is about."""

from __future__ import annotations

import socket

from PySide6.QtWidgets import QLineEdit

from desktop import sync_engine
from desktop.services.branch import BranchInfo
from desktop.store import Store
from sync.client import ClientTooOld, HQRejected, HQUnreachable
from ui.forms import FormDialog


class EnrollDialog(FormDialog):
    def __init__(self, store: Store, branch: BranchInfo, hq_url: str | None = None,
                 parent=None):
        super().__init__(parent)
        self.store = store
        self.info: BranchInfo | None = None
        self.setWindowTitle(self.tr("Connect to group HQ"))
        self.setMinimumWidth(480)
        self.set_intro(self.tr("Ask HQ for an enrollment code for branch %1. Once enrolled, "
                               "this desk syncs with HQ in the background whenever the "
                               "network allows; it keeps working offline.")
                       .replace("%1", f"{branch.name} · {branch.code}"))
        self.hq_url = self.add_field("hq_url", self.tr("HQ address"), QLineEdit(hq_url or ""))
        self.hq_url.setPlaceholderText("https://hq.example.com")
        self.code = self.add_field("code", self.tr("Enrollment code"), QLineEdit())
        self.device = self.add_field("device_name", self.tr("This computer"),
                                     QLineEdit(socket.gethostname()))
        self.set_hint(self.tr("An enrollment code works once. Enrolling again (for example "
                              "after HQ revoked this desk) needs a new code."))
        self.set_button_texts(self.tr("Enroll"), self.tr("Cancel"))

    def save(self) -> None:
        self.clear_errors()
        url, code, device = self.hq_url.text().strip(), self.code.text().strip(), \
            self.device.text().strip()
        if not url.startswith(("https://", "http://")):
            self.show_error("hq_url", self.tr("Must start with https://"))
            return
        if not code:
            self.show_error("code", self.tr("Type the code HQ gave you"))
            return
        self.run(lambda: sync_engine.enroll(self.store, url, code, device or None))

    def done_saving(self, info: BranchInfo) -> None:
        self.info = info
        super().done_saving(info)

    def save_failed(self, exc: BaseException) -> None:
        if isinstance(exc, sync_engine.EnrollmentMismatch):
            self.show_error("code", self.tr("This code is for HQ branch %1, but this desk is "
                                            "branch %2. Ask HQ for a code for %2.")
                            .replace("%1", exc.hq_code).replace("%2", exc.local_code))
        elif isinstance(exc, ClientTooOld):
            self.show_general_error(self.tr("HQ no longer supports this version of "
                                            "BranchDesk: %1").replace("%1", exc.detail))
        elif isinstance(exc, HQRejected) and exc.status in (401, 409):
            self.show_error("code", self.tr("HQ did not accept this code (unknown, already "
                                            "used, expired, or for another branch): %1")
                            .replace("%1", exc.detail))
        elif isinstance(exc, HQUnreachable):
            self.show_error("hq_url", self.tr("Cannot reach HQ at this address. Check the "
                                              "address and the network."))
            self.rows["hq_url"].error.setToolTip(str(exc))
        elif isinstance(exc, ValueError):
            self.show_error("hq_url", str(exc))
        else:
            super().save_failed(exc)
