"""BranchDesk desktop UI (PySide6). Widgets call desktop.services; they never hold a Session."""
