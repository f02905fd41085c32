"""The password rules, one place for the web and the CLI, and the temporary passwords an admin
hands out."""
from __future__ import annotations

import functools
import gzip
import secrets
from pathlib import Path

MIN_LENGTH = 10

# Django's list of 19,640 common passwords (Royce Williams' list, lowercased), BSD-3-Clause:
# see common-passwords.LICENSE beside it. Shipped, not fetched: the app runs offline.
_COMMON_LIST = Path(__file__).with_name("common-passwords.txt.gz")

# No look-alikes (0/O, 1/l/I): the admin reads the temporary password out or copies it by hand.
_TEMP_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
TEMP_LENGTH = 14


@functools.cache
def _common() -> frozenset[str]:
    with gzip.open(_COMMON_LIST, "rt", encoding="utf-8") as fh:
        return frozenset(line.strip() for line in fh if line.strip())


def password_problem(password: str, username: str) -> str | None:
    """Why `password` may not be used by `username` (a Vietnamese message), or None."""
    if len(password) < MIN_LENGTH:
        return f"Mật khẩu phải có ít nhất {MIN_LENGTH} ký tự."
    folded = password.casefold()
    name = username.strip().casefold()
    if name and name in folded:
        return "Mật khẩu không được chứa tên đăng nhập."
    if folded in _common():
        return "Mật khẩu này quá phổ biến, dễ bị đoán; hãy chọn mật khẩu khác."
    return None


def temporary_password(username: str) -> str:
    """A random password an admin gives `username` once; drawn again in the rare case a short
    username turns up inside it."""
    while True:
        password = "".join(secrets.choice(_TEMP_ALPHABET) for _ in range(TEMP_LENGTH))
        if password_problem(password, username) is None:
            return password
