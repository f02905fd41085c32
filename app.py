"""Sổ đội ngũ: the application factory."""
from __future__ import annotations

from pathlib import Path

from flask import Flask


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: defaults, then instance/config.py, then `test_config`."""
    app = Flask(__name__, instance_relative_config=True)
    instance = Path(app.instance_path)

    from registry.core import config

    app.config.update(config.defaults(instance))
    app.config.from_pyfile("config.py", silent=True)
    if test_config:
        app.config.update(test_config)
    app.config["SESSION_COOKIE_SECURE"] = config.cookie_secure(app.config)
    db_file = config.sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"])
    if instance.exists() or (db_file and db_file.startswith(str(instance))):
        config.make_private(instance)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config.secret_key(instance)
    if db_file:
        config.private_sqlite(db_file)

    _init_extensions(app)
    _register(app)
    return app


def _init_extensions(app: Flask) -> None:
    from flask_migrate import Migrate

    from models import db
    from registry.auth import throttle
    from registry.auth import views as auth
    from registry.core import access, audit, data_version, jobs, params, security

    db.init_app(app)
    Migrate(app, db, directory=str(Path(__file__).parent / "migrations"), render_as_batch=True)
    with app.app_context():
        _tune_sqlite(db.engine)
        data_version.init_engine(db.engine)
    params.init_app(app)  # first: no hook may meet a NUL
    auth.init_app(app)
    throttle.init_app(app)
    access.init_app(app)
    audit.init_app(app)
    security.init_app(app)
    jobs.init_app(app)


def _tune_sqlite(engine) -> None:
    """WAL and a busy timeout let several workers share one SQLite file; the rest is speed."""
    if engine.dialect.name != "sqlite":
        return
    from sqlalchemy import event

    from registry.core.config import SQLITE_BUSY_TIMEOUT_MS

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        # Under WAL, NORMAL cannot corrupt the database and a crashed process loses nothing;
        # a power cut may lose the last transactions, an accepted trade for commits that wait
        # for no fsync.
        cur.execute("PRAGMA synchronous=NORMAL")
        # 16 MiB of page cache instead of 2 (taken only as pages are used): with the default, a
        # 20,000-person import spilled its index pages mid-transaction and read them back, a
        # quarter of each INSERT's cost; more than 16 saved nothing more there.
        cur.execute("PRAGMA cache_size=-16384")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()


def _register(app: Flask) -> None:
    from registry.accounts import views as accounts
    from registry.api import setup as api_setup
    from registry.attachments import views as attachments
    from registry.audit import views as audit
    from registry.auth import two_factor
    from registry.auth import views as auth
    from registry.bulk import views as bulk
    from registry.channels import views as channels
    from registry.cli import group as cli
    from registry.conferences import views as conferences
    from registry.core import errors, templating
    from registry.dashboard import views as dashboard
    from registry.documents import views as documents
    from registry.evaluations import views as evaluations
    from registry.exemplary import views as exemplary
    from registry.exports import views as exports
    from registry.importing import views as importing
    from registry.lists import views as lists
    from registry.payments import views as payments
    from registry.records import activities, commendations, disciplines
    from registry.reorganise import views as reorganise
    from registry.reports import views as reports
    from registry.roster import appointments
    from registry.roster import views as roster
    from registry.settings import views as settings
    from registry.terms import views as terms
    from registry.training import views as training
    from registry.transfers import views as transfers
    from registry.units import views as units
    from registry.units import village_views as villages
    from registry.work import views as work

    for bp in (auth.bp, dashboard.bp, roster.bp, appointments.bp, units.bp, villages.bp,
               training.bp, payments.bp, commendations.bp, disciplines.bp, activities.bp,
               settings.bp, importing.bp, exports.bp, lists.bp, reports.bp, transfers.bp):
        app.register_blueprint(bp)
    app.register_blueprint(terms.bp)
    app.register_blueprint(reorganise.bp)
    app.register_blueprint(accounts.bp)
    app.register_blueprint(audit.bp)
    app.register_blueprint(two_factor.bp)
    for bp in (work.bp, documents.bp, conferences.bp, channels.bp, exemplary.bp,
               evaluations.bp, bulk.bp, attachments.bp):
        app.register_blueprint(bp)
    errors.init_app(app)
    api_setup.init_app(app)
    cli.init_app(app)
    templating.init_app(app)
