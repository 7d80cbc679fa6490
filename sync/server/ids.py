"""Row ids: UUIDv7 for rows HQ creates; uuid5 for the group's reference rows (the same ids the
desks use: copied namespace, not imported)."""

from __future__ import annotations

import os
import threading
import time
import uuid

REFERENCE_NAMESPACE = uuid.UUID("6f1d3c2e-8a4b-4c1e-9a57-2b0d5e7f9c10")

_lock = threading.Lock()
_last_ms = 0


def reference_id(kind: str, code: str) -> str:
    return str(uuid.uuid5(REFERENCE_NAMESPACE, f"{kind}:{code}"))


def uuid7() -> str:
    global _last_ms
    with _lock:
        ms = max(time.time_ns() // 1_000_000, _last_ms)
        _last_ms = ms
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= ((rand >> 62) & 0xFFF) << 64
    value |= 0b10 << 62
    value |= rand & ((1 << 62) - 1)
    return str(uuid.UUID(int=value))
