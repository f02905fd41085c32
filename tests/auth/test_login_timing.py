"""Unknown, inactive and real accounts: the same answer, after the same work."""
import statistics
import time

import pytest

from models import User, UserRole, db
from registry.auth.users import GENERIC_ERROR, authenticate
from tests.auth.conftest import from_addr

WRONG = "sai-mat-khau-nhe"


@pytest.fixture
def real_hash_user(make):
    """A user with a production-strength hash (the factories' is cheap on purpose)."""
    user = make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    user.set_password("mat-khau-that-su-dai")
    db.session.commit()
    return user


def _answer(client, username, password, addr):
    resp = client.post("/login", data={"username": username, "password": password},
                       **from_addr(addr))
    # The form echoes the typed name back; nothing else may differ.
    return resp.status_code, resp.get_data(as_text=True).replace(username, "NAME")


def test_unknown_inactive_and_wrong_password_answer_alike(client, make, real_limits):
    make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    make.user("nghi", UserRole.OFFICER, "Huyện Đắk Hà").active = False
    db.session.commit()
    wrong = _answer(client, "dakha", WRONG, "10.0.1.1")
    unknown = _answer(client, "khongco", WRONG, "10.0.1.2")
    inactive = _answer(client, "nghi", "mat-khau-thu-nghiem", "10.0.1.3")  # right password
    assert wrong[0] == 200 and GENERIC_ERROR in wrong[1]
    assert wrong == unknown == inactive
    assert "khóa" not in wrong[1]


def test_no_account_lock_message_after_many_failures(client, make, real_limits):
    make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    for i in range(8):  # each from its own address: the throttle stays out of the way
        status, body = _answer(client, "dakha", WRONG, f"10.0.2.{i}")
        assert status == 200 and GENERIC_ERROR in body and "khóa" not in body
    assert _answer(client, "dakha", "mat-khau-thu-nghiem", "10.0.2.99")[0] == 302


def _median_seconds(fn, tries=10) -> float:
    times = []
    for i in range(tries):
        start = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def test_unknown_users_take_as_long_as_real_ones(client, real_hash_user, real_limits):
    known = _median_seconds(lambda i: _answer(client, "dakha", WRONG, f"10.0.3.{i}"))
    unknown = _median_seconds(lambda i: _answer(client, "khongco", WRONG, f"10.0.4.{i}"))
    # Loose: the machine is shared. Before the dummy hash, unknown names answered ~30× faster.
    assert known / 2 < unknown < known * 2, (known, unknown)


def test_authenticate_checks_a_hash_for_unknown_names(ctx, real_hash_user):
    known = _median_seconds(lambda _: authenticate("dakha", WRONG), tries=5)
    unknown = _median_seconds(lambda _: authenticate("khongco", WRONG), tries=5)
    ctx.rollback()
    assert known / 2 < unknown < known * 2, (known, unknown)
    assert authenticate("khongco", WRONG).user is None


def test_a_wrong_password_only_counts_and_never_refuses_the_right_one(ctx, make):
    user = make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    for _ in range(20):
        assert authenticate("dakha", WRONG).error == GENERIC_ERROR
    ctx.commit()
    assert ctx.get(User, user.id).failed_logins == 20
    result = authenticate("dakha", "mat-khau-thu-nghiem")
    assert result.user is not None and result.user.failed_logins == 0
