"""Background jobs: work that outlasts a web request (reading a big upload) runs in a consumer
process beside the web workers, through huey.

The queue is a SQLite file under instance/ (JOBS_SQLITE; one machine), or Redis when REDIS_URL
is set (several machines share it). It carries only a job's name and ids: what a job reads and
writes lives in the application database. `flask run-jobs` runs the consumer; each job runs in an
app context of its own, with a session of its own. With JOBS_IMMEDIATE (the tests) a job runs
at once, where it is enqueued, still in a context of its own.

A feature registers its jobs at import time (`@jobs.task`); the queue is made on first use, so
an app that never enqueues creates no queue file."""
from __future__ import annotations

import functools
import logging
from collections.abc import Callable

from flask import Flask, current_app
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey
from huey.signals import SIGNAL_INTERRUPTED

from models import db
from registry.core.config import private_sqlite

log = logging.getLogger(__name__)
QUEUE_NAME = "sodoingu"

# name -> (job, what to do when the consumer stops in the middle of it)
_TASKS: dict[str, tuple[Callable, Callable | None]] = {}


def task(*, on_interrupt: Callable | None = None):
    """Register a job: a function of JSON-able arguments. `on_interrupt(*args)`, if given, runs
    (in an app context) for a job the consumer was running when it was stopped."""

    def register(fn: Callable) -> Callable:
        _TASKS[_name(fn)] = (fn, on_interrupt)
        return fn

    return register


def _name(fn: Callable) -> str:
    return f"{fn.__module__}.{fn.__qualname__}"


def make_huey(config) -> Huey:
    """The queue the config names: in memory and immediate, Redis, or a SQLite file."""
    if config.get("JOBS_IMMEDIATE"):
        return MemoryHuey(QUEUE_NAME, immediate=True, results=False)
    if config.get("REDIS_URL"):
        return RedisHuey(QUEUE_NAME, url=config["REDIS_URL"], results=False)
    private_sqlite(config["JOBS_SQLITE"])  # the queued jobs name uploaded files
    return SqliteHuey(QUEUE_NAME, filename=config["JOBS_SQLITE"], results=False)


class Jobs:
    """One app's queue and its registered jobs, made on first use."""

    def __init__(self, app: Flask):
        self.app = app
        self._huey: Huey | None = None
        self._wrappers: dict[str, Callable] = {}

    @property
    def huey(self) -> Huey:
        if self._huey is None:
            self.use(make_huey(self.app.config))
        return self._huey

    def use(self, huey: Huey) -> None:
        """Register every job on `huey` and enqueue there from now on (tests swap queues)."""
        wrappers = {}
        for name, (fn, on_interrupt) in _TASKS.items():
            # huey prefixes the module: the queue names the job registry.importing.….read_batch
            wrappers[name] = huey.task(name=fn.__qualname__)(self._in_context(fn))
            if on_interrupt is not None:
                huey.signal(SIGNAL_INTERRUPTED)(self._interrupted(fn, on_interrupt))
        self._huey, self._wrappers = huey, wrappers

    def _in_context(self, fn: Callable) -> Callable:
        app = self.app

        @functools.wraps(fn)
        def run(*args):
            with app.app_context():
                try:
                    return fn(*args)
                finally:
                    db.session.remove()

        return run

    def _interrupted(self, fn: Callable, on_interrupt: Callable) -> Callable:
        def handler(_signal, task, *_rest):
            if (type(task).__module__, task.name) != (fn.__module__, fn.__qualname__):
                return
            self._in_context(on_interrupt)(*task.args)

        return handler

    def enqueue(self, fn: Callable, *args) -> None:
        self.huey  # noqa: B018 - made (and the jobs registered) on first use
        self._wrappers[_name(fn)](*args)


def init_app(app: Flask) -> None:
    app.extensions["jobs"] = Jobs(app)


def jobs_of(app: Flask | None = None) -> Jobs:
    return (app or current_app).extensions["jobs"]


def enqueue(fn: Callable, *args) -> None:
    """Run the registered job `fn(*args)` in the background (at once with JOBS_IMMEDIATE)."""
    jobs_of().enqueue(fn, *args)
