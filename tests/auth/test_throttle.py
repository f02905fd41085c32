"""Login throttling: the shared counters, limits per client and per (client, account), growing
delays, and no lock-out of the real user by anyone else."""
import re
import threading
import time

import pytest
import sqlalchemy as sa

from models import AuditLog, RateLimit, User, UserRole, db
from registry.auth import throttle
from registry.auth.rate_store import DatabaseStorage
from tests.auth.conftest import from_addr
from tests.factories import PASSWORD

WRONG = "sai-mat-khau-nhe"


def _events(action: str) -> list[AuditLog]:
    db.session.expire_all()
    return list(db.session.execute(sa.select(AuditLog).where(
        AuditLog.entity == "security", AuditLog.action == action)).scalars())


def _post(client, username, password, addr="10.0.0.1"):
    return client.post("/login", data={"username": username, "password": password},
                       **from_addr(addr))


@pytest.fixture
def dakha(make):
    return make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")


# The storage ------------------------------------------------------------------------------

def test_storage_counts_expires_and_clears(ctx):
    store = DatabaseStorage()
    assert [store.incr("k", 60) for _ in range(3)] == [1, 2, 3]
    assert store.get("k") == 3 and store.get("other") == 0
    assert 58 < store.get_expiry("k") - time.time() <= 60
    ctx.execute(sa.update(RateLimit).values(expires_at=time.time() - 1))
    ctx.commit()
    assert store.get("k") == 0
    assert store.incr("k", 60) == 1  # an expired window starts again
    store.clear("k")
    assert store.get("k") == 0
    long_key = "x" * 400
    assert store.incr(long_key, 60) == 1 and store.get(long_key) == 1
    assert store.check()
    store.incr("old", 1)
    ctx.execute(sa.update(RateLimit).where(RateLimit.key == "old")
                .values(expires_at=time.time() - 3600))
    ctx.commit()
    assert store.prune() == 1
    assert store.reset() >= 1 and store.get(long_key) == 0


def test_storage_incr_is_atomic_across_threads(app):
    results, errors = [], []

    def worker():
        try:
            with app.app_context():
                results.append(DatabaseStorage().incr("parallel", 60))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(results) == list(range(1, 21))


def test_the_limiter_uses_the_database_unless_redis_is_named():
    assert throttle.storage_uri({"REDIS_URL": None}) == "registry+db://"
    assert throttle.storage_uri({"REDIS_URL": "redis://cache:6379/0"}) == "redis://cache:6379/0"


# Limits -------------------------------------------------------------------------------------

def test_a_client_over_its_limit_gets_429_in_vietnamese(client, ctx, real_limits):
    for i in range(10):  # a different name each time: only the per-client limit counts
        assert _post(client, f"khong-co-{i}", WRONG).status_code == 200
    resp = _post(client, "khong-co-10", WRONG)
    body = resp.get_data(as_text=True)
    assert resp.status_code == 429
    assert "Quá nhiều lần đăng nhập; hãy thử lại sau" in body and "giây." in body
    assert 0 < int(resp.headers["Retry-After"]) <= 60
    event = _events("throttled")[-1]
    assert event.after["username"] == "khong-co-10" and event.client_addr == "10.0.0.1"
    assert _post(client, "khong-co-11", WRONG, addr="10.0.0.2").status_code == 200


def test_one_client_gets_five_tries_per_account_a_minute(client, dakha, real_limits, app):
    app.config["LOGIN_DELAY_BASE_S"] = 0  # the per-account limit alone
    statuses = [_post(client, "dakha", WRONG).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    assert len(_events("login_failed")) == 5


def test_failures_make_the_same_client_wait_longer_each_time(client, dakha, real_limits,
                                                              app):
    app.config["LOGIN_DELAY_BASE_S"] = 30  # room for a slow machine between the requests
    assert _post(client, "dakha", WRONG).status_code == 200  # the first is free (a typo)
    assert _post(client, "dakha", WRONG).status_code == 200
    resp = _post(client, "dakha", PASSWORD)  # even the right password waits: not checked
    wait = re.search(r"thử lại sau (\d+) giây", resp.get_data(as_text=True))
    assert resp.status_code == 429 and 25 <= int(wait.group(1)) <= 30
    assert _events("throttled")[-1].after["reason"] == "delay"
    # Another client is not slowed by this one's failures.
    assert _post(client, "dakha", PASSWORD, addr="10.0.0.9").status_code == 302


def test_the_wait_over_the_right_password_logs_in_and_clears_the_count(client, dakha,
                                                                       real_limits):
    for _ in range(2):
        _post(client, "dakha", WRONG)
    db.session.execute(sa.update(RateLimit).where(RateLimit.key.like("login-wait/%"))
                       .values(expires_at=time.time() - 1))
    db.session.commit()
    assert _post(client, "dakha", PASSWORD).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, dakha.id).failed_logins == 0
    left = db.session.execute(sa.select(RateLimit.key).where(
        RateLimit.key.like("login-fail/10.0.0.1/%"))).scalars().all()
    assert left == []


def test_next_delay_doubles_up_to_the_cap_and_a_hot_account_slows_at_once():
    delays = [throttle.next_delay(n, n, base=1, cap=300, ceiling=30) for n in range(1, 12)]
    assert delays == [0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 300]
    assert throttle.next_delay(1, 31, base=1, cap=300, ceiling=30) == 300


# No lock-out ------------------------------------------------------------------------------

def test_fifty_wrong_passwords_from_one_client_never_lock_out_another(client, dakha,
                                                                      real_limits):
    statuses = [_post(client, "dakha", WRONG, addr="203.0.113.7").status_code
                for _ in range(50)]
    assert statuses.count(429) >= 45  # throttled almost at once
    assert _post(client, "dakha", PASSWORD, addr="203.0.113.7").status_code == 429
    resp = _post(client, "dakha", PASSWORD, addr="198.51.100.2")
    assert resp.status_code == 302
    assert client.get("/roster", **from_addr("198.51.100.2")).status_code == 200
    assert _events("login")[-1].client_addr == "198.51.100.2"


def test_many_attackers_only_slow_clients_that_fail(client, dakha, real_limits):
    for i in range(35):  # past the account's ceiling, from 35 addresses
        _post(client, "dakha", WRONG, addr=f"192.0.2.{i}")
    resp = _post(client, "dakha", WRONG, addr="192.0.2.200")  # a new failing client…
    assert resp.status_code == 200
    assert _post(client, "dakha", PASSWORD, addr="192.0.2.200").status_code == 429  # …waits
    assert _post(client, "dakha", PASSWORD, addr="192.0.2.201").status_code == 302


# Concurrency ------------------------------------------------------------------------------

def test_twenty_parallel_attempts_check_no_more_passwords_than_the_limit(app, dakha,
                                                                          real_limits):
    app.config["LOGIN_DELAY_BASE_S"] = 0
    statuses, barrier = [], threading.Barrier(20)

    def attempt():
        client = app.test_client()
        barrier.wait()
        statuses.append(_post(client, "dakha", WRONG).status_code)

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(statuses) == 20 and set(statuses) <= {200, 429}
    assert statuses.count(200) <= 5
    assert len(_events("login_failed")) == statuses.count(200)
