"""Where a desk keeps its data: --data-dir, else BRANCHDESK_DATA_DIR, else the platform's
user data folder."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "BranchDesk"
ENV_DATA_DIR = "BRANCHDESK_DATA_DIR"


def data_dir(explicit: str | os.PathLike | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def demo_dir() -> Path:
    """The demo store `branchdesk --demo` opens: beside, never inside, the real one."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "demo"


def log_dir(base: Path) -> Path:
    return base / "logs"
