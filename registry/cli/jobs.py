"""`flask run-jobs`: the background job consumer (big uploads), beside the web workers."""
from __future__ import annotations

import logging

import click
from flask import current_app

from registry.core.jobs import jobs_of


@click.command("run-jobs")
@click.option("--workers", type=int, default=None,
              help="Việc chạy song song (mặc định JOBS_WORKERS, 2).")
def run_jobs(workers):
    """Run the job consumer until stopped (Ctrl-C, SIGTERM); bin/start runs it."""
    from huey.consumer import Consumer

    import registry.importing.background  # noqa: F401 - registers its job

    logging.basicConfig(level=logging.INFO, format="%(asctime)s jobs %(levelname)s %(message)s")
    huey = jobs_of(current_app).huey
    # Threads: a job waits on the database much of the time, and the web workers keep the
    # other core. Periodic tasks: none.
    Consumer(huey, workers=workers or current_app.config["JOBS_WORKERS"],
             worker_type="thread", periodic=False).run()
