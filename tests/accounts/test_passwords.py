"""The password rules: one function, used by the web and the CLI."""
import pytest
import sqlalchemy as sa

from models import User
from registry.auth.passwords import MIN_LENGTH, password_problem, temporary_password


@pytest.mark.parametrize("password, fragment", [
    ("ngan-qua", "ít nhất 10 ký tự"),
    ("123456789", "ít nhất 10 ký tự"),
    ("1234567890", "quá phổ biến"),
    ("QWERTYUIOP", "quá phổ biến"),          # compared case-insensitively
    ("Password123", "quá phổ biến"),
    ("dakha-2025-xyz", "tên đăng nhập"),
    ("Mua-DAKHA-thang7", "tên đăng nhập"),   # containing it, whatever the case
])
def test_each_refusal(password, fragment):
    assert fragment in password_problem(password, "dakha")


def test_accepted():
    assert password_problem("suoi-Dak-Bla chieu thu bay", "dakha") is None
    assert password_problem("x" * MIN_LENGTH + "q7", "") is None


def test_temporary_passwords_pass_the_rules_and_differ():
    drawn = {temporary_password("ab") for _ in range(50)}
    assert len(drawn) == 50
    assert all(password_problem(p, "ab") is None for p in drawn)


@pytest.mark.parametrize("password, fragment", [
    ("ngan", "ít nhất 10 ký tự"),
    ("iloveyou123", "quá phổ biến"),
    ("cb9-mat-khau-cb9", "tên đăng nhập"),
])
def test_cli_create_user_refuses(app, ctx, password, fragment):
    result = app.test_cli_runner().invoke(
        args=["create-user", "cb9", "--name", "Cán bộ 9", "--unit", "Huyện Sa Thầy"],
        input=f"{password}\n{password}\n")
    assert result.exit_code != 0 and fragment in result.output
    assert ctx.execute(sa.select(User).where(User.username == "cb9")).first() is None
