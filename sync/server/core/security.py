"""Tokens and enrollment codes: random, shown once, stored only as SHA-256 hashes."""

from __future__ import annotations

import hashlib
import secrets

# Unambiguous for people typing a code read aloud: no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_GROUPS = 4
CODE_GROUP_LEN = 4


def new_token() -> str:
    """A long-lived API token: 32 random bytes, URL-safe text."""
    return secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_enrollment_code() -> str:
    """E.g. "K7QX-M3RT-9WPA-HC4N": 16 characters, about 79 bits."""
    chars = [secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUPS * CODE_GROUP_LEN)]
    return "-".join(
        "".join(chars[i:i + CODE_GROUP_LEN]) for i in range(0, len(chars), CODE_GROUP_LEN)
    )


def normalize_code(code: str) -> str:
    """What a clerk types: case, spaces and dashes do not matter."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def hash_code(code: str) -> str:
    return hash_secret("enroll:" + normalize_code(code))
