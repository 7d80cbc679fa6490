"""Row identifiers: UUIDv7 (RFC 9562), time-ordered so B-tree inserts stay local."""

from __future__ import annotations

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_counter = 0


def uuid7() -> str:
    """A new UUIDv7 as a string; monotonic within this process."""
    global _last_ms, _counter
    with _lock:
        ms = time.time_ns() // 1_000_000
        if ms <= _last_ms:
            ms = _last_ms
            _counter += 1
            if _counter > 0xFFF:  # 12-bit counter exhausted: borrow the next millisecond
                ms += 1
                _counter = 0
        else:
            _counter = int.from_bytes(os.urandom(2), "big") & 0x7FF
        _last_ms = ms
        rand_b = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
        value = (ms & ((1 << 48) - 1)) << 80
        value |= 0x7 << 76
        value |= _counter << 64
        value |= 0b10 << 62
        value |= rand_b
    return str(uuid.UUID(int=value))


# Namespace for deterministic ids of group reference rows (same id on every node and at HQ).
REFERENCE_NAMESPACE = uuid.UUID("6f1d3c2e-8a4b-4c1e-9a57-2b0d5e7f9c10")


def reference_id(kind: str, code: str) -> str:
    return str(uuid.uuid5(REFERENCE_NAMESPACE, f"{kind}:{code}"))
