"""Login throttling (Flask-Limiter): limits per client address and per (client, account),
and growing delays for a client that keeps failing on one account.

Counters live where every worker and machine sees them: Redis when REDIS_URL names one, else
the database (registry.auth.rate_store). Nothing here ever refuses a client that has not failed
itself: an attacker can slow their own guesses, never lock the real user out."""
from __future__ import annotations

import math
import time

from flask import current_app, request
from flask_limiter import Limiter, RequestLimit

from registry.auth import rate_store

THROTTLED_MESSAGE = "Quá nhiều lần đăng nhập; hãy thử lại sau {seconds} giây."
FAIL_WINDOW_S = 3600  # failures are remembered for an hour


def client_addr() -> str:
    # The same address the audit keeps (behind a proxy, ProxyFix makes it the client's).
    return request.remote_addr or "unknown"


def typed_username() -> str:
    """The account a login form names, as the counters know it (the form allows 80)."""
    return (request.form.get("username") or "").strip().casefold()[:80]


def _client_account_key() -> str:
    return f"{client_addr()}|{typed_username()}"


limiter = Limiter(key_func=client_addr, strategy="fixed-window")


def storage_uri(config) -> str:
    return config.get("REDIS_URL") or f"{rate_store.SCHEME}://"


def init_app(app) -> None:
    app.config.setdefault("RATELIMIT_STORAGE_URI", storage_uri(app.config))
    limiter.init_app(app)


def seconds_until(epoch: float) -> int:
    return max(1, math.ceil(epoch - time.time()))


def login_limits(on_breach):
    """A decorator: a login step limited on POST per client address and per (client, account),
    counted before the password is checked, so parallel attempts cannot pass the limit.
    `on_breach(limit)` answers a refused request."""
    client = limiter.limit(lambda: current_app.config["LOGIN_LIMIT_CLIENT"],
                           methods=["POST"], on_breach=on_breach)
    account = limiter.limit(lambda: current_app.config["LOGIN_LIMIT_ACCOUNT"],
                            key_func=_client_account_key, methods=["POST"],
                            on_breach=on_breach)
    return lambda view: client(account(view))


def breach_wait(limit: RequestLimit) -> int:
    return seconds_until(limit.reset_at)


# Growing delays: a client failing on an account must wait before its next try there, twice as
# long after each failure. Keys are per (client, account), so they never slow anyone else.

def _fail_key(addr: str, username: str) -> str:
    return f"login-fail/{addr}/{username}"


def _wait_key(addr: str, username: str) -> str:
    return f"login-wait/{addr}/{username}"


def _account_key(username: str) -> str:
    return f"login-account/{username}"


def next_delay(failures: int, account_failures: int, *, base: int, cap: int,
               ceiling: int) -> int:
    """Seconds a client must wait after its `failures`-th failure on an account. The first one
    is free (a typo); then base, 2×base, 4×base… up to `cap`. An account past `ceiling`
    failures in the window (from anyone) is under attack: each failing client waits `cap` at
    once. Clients that have not failed are never slowed."""
    if account_failures > ceiling:
        return cap
    if failures < 2:
        return 0
    return min(cap, base * 2 ** (failures - 2))


def wait_seconds(addr: str, username: str) -> int:
    """How long the client must still wait before trying this account again (0: go)."""
    storage, key = limiter.storage, _wait_key(addr, username)
    if not storage.get(key):
        return 0
    return seconds_until(storage.get_expiry(key))


def record_failure(addr: str, username: str) -> int:
    """Count a failed password for (client, account); return the delay now imposed."""
    storage, config = limiter.storage, current_app.config
    failures = storage.incr(_fail_key(addr, username), FAIL_WINDOW_S)
    account_failures = storage.incr(_account_key(username), FAIL_WINDOW_S)
    delay = next_delay(failures, account_failures, base=config["LOGIN_DELAY_BASE_S"],
                       cap=config["LOGIN_DELAY_MAX_S"], ceiling=config["LOGIN_ACCOUNT_CEILING"])
    if delay:
        storage.incr(_wait_key(addr, username), delay)
    return delay


def record_success(addr: str, username: str) -> None:
    storage = limiter.storage
    storage.clear(_fail_key(addr, username))
    storage.clear(_wait_key(addr, username))


# The second step (a TOTP code): a client gets a few tries per password, then starts over.
CODE_TRIES = 5
CODE_WINDOW_S = 900


def _code_key(addr: str, user_id: int) -> str:
    return f"login-code/{addr}/{user_id}"


def record_code_failure(addr: str, user_id: int) -> None:
    limiter.storage.incr(_code_key(addr, user_id), CODE_WINDOW_S)


def code_tries_left(addr: str, user_id: int) -> int:
    return max(0, CODE_TRIES - limiter.storage.get(_code_key(addr, user_id)))
