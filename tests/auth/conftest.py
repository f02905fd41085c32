"""Fixtures of the login tests: the throttle as production sets it."""
from pathlib import Path

import pytest

from registry.core.config import defaults


@pytest.fixture
def real_limits(app):
    """The login limits of a real install (the suite's client logs in too often for them)."""
    real = {k: v for k, v in defaults(Path(app.instance_path)).items() if k.startswith("LOGIN_")}
    saved = {k: app.config[k] for k in real}
    app.config.update(real)
    yield real
    app.config.update(saved)


def from_addr(addr: str) -> dict:
    """Test-client keywords for a request from client address `addr`."""
    return {"environ_base": {"REMOTE_ADDR": addr}}
