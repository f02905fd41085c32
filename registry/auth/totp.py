"""Optional TOTP two-factor login for admins (pyotp), with one-time recovery codes.

The secret is kept in user.totp_secret; of the recovery codes only SHA-256 hashes are kept
(user.totp_recovery): they are random and long, so a fast hash is as safe as a slow one."""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets

import pyotp

from models import User
from registry.auth import throttle
from registry.core.rules import RuleViolation

ISSUER = "Sổ đội ngũ"
RECOVERY_COUNT = 10
BAD_CODE = "Mã xác thực không đúng hoặc đã được dùng."
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # nothing to misread (no 0/o, 1/l/i)


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str) -> str:
    """The otpauth:// URI an authenticator app takes (typed in or from a QR code)."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def enabled(user: User) -> bool:
    return bool(user.totp_secret)


def _normalise(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def _hash(code: str) -> str:
    return hashlib.sha256(_normalise(code).encode()).hexdigest()


def new_recovery_codes() -> list[str]:
    return ["-".join("".join(secrets.choice(_ALPHABET) for _ in range(5)) for _ in range(2))
            for _ in range(RECOVERY_COUNT)]


def _totp_ok(secret: str, code: str, user_id: int | None) -> bool:
    """A current code (one step of clock drift allowed), each accepted once: a code seen
    over a shoulder or replayed from a log is refused."""
    code = _normalise(code)
    if len(code) != 6 or not code.isdigit():
        return False
    totp = pyotp.TOTP(secret)
    for drift in (0, -1, 1):
        moment = totp.timecode(dt.datetime.now(dt.UTC)) + drift
        if secrets.compare_digest(totp.generate_otp(moment), code):
            key = f"totp-used/{user_id}/{moment}"
            # incr is atomic: of two parallel uses of one code only the first sees 1.
            return throttle.limiter.storage.incr(key, 3 * totp.interval) == 1
    return False


def start(user: User, secret: str, code: str) -> list[str]:
    """Turn two-factor on with `secret` once `code` proves the app holds it; the recovery
    codes, to show once."""
    if enabled(user):
        raise RuleViolation("code", "Xác thực hai bước đã được bật.")
    if not _totp_ok(secret, code, user.id):
        raise RuleViolation("code", BAD_CODE)
    codes = new_recovery_codes()
    user.totp_secret = secret
    user.totp_recovery = [_hash(c) for c in codes]
    return codes


def stop(user: User, code: str) -> None:
    """Turn two-factor off, proved by a current code."""
    if not enabled(user) or not _totp_ok(user.totp_secret, code, user.id):
        raise RuleViolation("code", BAD_CODE)
    user.totp_secret = None
    user.totp_recovery = None


def second_factor(user: User, code: str) -> str | None:
    """How `code` proves the login: "totp", "recovery" (that code is used up), or None."""
    if not enabled(user):
        return None
    if _totp_ok(user.totp_secret, code, user.id):
        return "totp"
    digest = _hash(code)
    left = list(user.totp_recovery or [])
    if _normalise(code) and digest in left:
        left.remove(digest)
        user.totp_recovery = left  # a new list: the JSON column sees the change
        return "recovery"
    return None
