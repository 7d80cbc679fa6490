"""Where the node token lives (docs/SYNC.md, Desks): the OS keyring when this machine has
a usable one, else a file `node-token` in the data folder that only the user can read.
Never in the SQLite file.

Each data folder has its own token (one machine may hold several stores: a demo, tests),
so the keyring entry is keyed by the folder's absolute path. Set BRANCHDESK_TOKEN_BACKEND
to "file" to skip the keyring (tests, headless servers).
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

TOKEN_FILENAME = "node-token"
KEYRING_SERVICE = "BranchDesk node token"
BACKEND_ENV = "BRANCHDESK_TOKEN_BACKEND"  # "file" or "keyring"; unset: keyring if usable


def _account(data_dir: Path) -> str:
    return str(Path(data_dir).expanduser().resolve())


def _keyring():
    """The keyring module when a real backend exists (not the fail / null ones), else None."""
    choice = os.environ.get(BACKEND_ENV, "").strip().lower()
    if choice == "file":
        return None
    try:
        import keyring
        from keyring.backends import fail
    except Exception:  # not installed or broken on this platform
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:
        return None
    unusable = isinstance(backend, fail.Keyring)
    with contextlib.suppress(Exception):
        from keyring.backends import null

        unusable = unusable or isinstance(backend, null.Keyring)
    with contextlib.suppress(Exception):
        unusable = unusable or getattr(backend, "priority", 1) <= 0
    return None if unusable else keyring


def token_path(data_dir: Path | str) -> Path:
    return Path(data_dir) / TOKEN_FILENAME


def backend_name(data_dir: Path | str | None = None) -> str:
    return "keyring" if _keyring() is not None else "file"


def save(data_dir: Path | str, token: str) -> str:
    """Keep `token` for the store in `data_dir`; returns where ("keyring" or "file")."""
    data_dir = Path(data_dir)
    kr = _keyring()
    if kr is not None:
        try:
            kr.set_password(KEYRING_SERVICE, _account(data_dir), token)
        except Exception as e:  # a locked or broken keyring: fall back to the file
            log.warning("keyring unusable (%s): keeping the node token in a file", e)
        else:
            _remove_file(data_dir)
            return "keyring"
    _write_private(token_path(data_dir), token)
    return "file"


def load(data_dir: Path | str) -> str | None:
    data_dir = Path(data_dir)
    kr = _keyring()
    if kr is not None:
        try:
            token = kr.get_password(KEYRING_SERVICE, _account(data_dir))
        except Exception as e:
            log.warning("keyring unusable (%s): looking for the token file", e)
            token = None
        if token:
            return token
    path = token_path(data_dir)
    try:
        token = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return token or None


def delete(data_dir: Path | str) -> None:
    data_dir = Path(data_dir)
    kr = _keyring()
    if kr is not None:
        with contextlib.suppress(Exception):
            kr.delete_password(KEYRING_SERVICE, _account(data_dir))
    _remove_file(data_dir)


def _remove_file(data_dir: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        token_path(data_dir).unlink()


def _write_private(path: Path, token: str) -> None:
    """Write via a temporary file created 0600 from the start, then rename over the old one:
    the token is never readable by others, not even for a moment, and never half-written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC | os.O_EXCL, 0o600)
    try:
        os.write(fd, token.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    with contextlib.suppress(OSError, NotImplementedError):
        os.chmod(tmp, 0o600)  # in case a umask or platform widened it
    os.replace(tmp, path)
