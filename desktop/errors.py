"""Errors the services raise; the CLI and the GUI turn them into messages."""

from __future__ import annotations


class BranchDeskError(Exception):
    """Base of every error a user can act on."""


class ValidationError(BranchDeskError):
    """Bad input. `field` names the field (and `row` the import row) so the UI can point at it."""

    def __init__(self, field: str, message: str, row: int | None = None):
        self.field = field
        self.message = message
        self.row = row
        where = f"row {row}, " if row is not None else ""
        super().__init__(f"{where}{field}: {message}")


class NotFound(BranchDeskError):
    pass


class PermissionDenied(BranchDeskError):
    pass


class AuthenticationFailed(BranchDeskError):
    pass


class StoreNotInitialised(BranchDeskError):
    pass
