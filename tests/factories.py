"""Callable factories for tests (units by catalogue name, users, persons with appointments,
records) and the helpers several test modules share."""
from __future__ import annotations

import datetime as dt
import itertools
import re

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from models import (
    Activity,
    Appointment,
    Attendance,
    Commendation,
    Course,
    CourseKind,
    DeliveryForm,
    Discipline,
    DisciplineSystem,
    Gender,
    ImportBatch,
    Level,
    OrgLevel,
    Payment,
    PaymentKind,
    Person,
    Rate,
    Role,
    TrainingResult,
    Unit,
    User,
    UserRole,
    db,
)
from registry.roster.persons import set_name

PASSWORD = "mat-khau-thu-nghiem"
# A cheap hash keeps login-heavy tests fast; production uses werkzeug's default.
_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")
_seq = itertools.count(1)
# The ready-made lists (registry/lists/ready.py): every route taking a slug gets one of them.
READY_LISTS = ("bcv-du-tieu-chuan", "ttv-chua-boi-duong", "dang-ky-luat", "don-vi-chua-co-ttv",
               "de-nghi-dua-ra-khoi-danh-sach")
IMPORT_TABLES = frozenset({"import_batches", "import_rows", "import_files"})


class Factory:
    def __init__(self, session):
        self.s = session

    def unit(self, name: str) -> Unit:
        return self.s.execute(sa.select(Unit).where(Unit.name == name)
                              .order_by(Unit.id)).scalars().first()

    def user(self, username: str, role: UserRole, unit: str | Unit) -> User:
        unit = self.unit(unit) if isinstance(unit, str) else unit
        user = User(username=username, display_name=f"Người dùng {username}", role=role,
                    unit=unit, password_hash=_HASH)
        self.s.add(user)
        self.s.commit()
        return user

    def person(self, name: str, unit: str | Unit, *, role: Role = Role.TTV,
               level: Level = Level.CO_SO, start: dt.date = dt.date(2024, 1, 1),
               end: dt.date | None = None, **fields) -> Person:
        unit = self.unit(unit) if isinstance(unit, str) else unit
        person = Person(unit=unit, gender=fields.pop("gender", Gender.NAM), **fields)
        set_name(person, name)
        self.s.add(person)
        self.s.add(Appointment(person=person, role=role, level=level, unit=unit,
                               unit_name_snapshot=unit.name, start_date=start, end_date=end))
        self.s.commit()
        return person

    @staticmethod
    def cccd() -> str:
        return f"062{next(_seq):09d}"

    # Records (issue 3): each commits, like the roster factories above.

    def _save(self, obj):
        self.s.add(obj)
        self.s.commit()
        return obj

    def course(self, unit: str | Unit, *, name: str = "Bồi dưỡng nghiệp vụ tuyên truyền miệng",
               start: dt.date = dt.date(2025, 3, 10), end: dt.date | None = None,
               kind: CourseKind = CourseKind.BOI_DUONG, **fields) -> Course:
        unit = self.unit(unit) if isinstance(unit, str) else unit
        return self._save(Course(unit=unit, name=name, kind=kind, start_date=start,
                                 end_date=end or start, level=fields.pop("level", OrgLevel.HUYEN),
                                 form=fields.pop("form", DeliveryForm.TRUC_TIEP), **fields))

    def attend(self, person: Person, course: Course,
               result: TrainingResult | None = TrainingResult.HOAN_THANH, **fields) -> Attendance:
        return self._save(Attendance(person=person, course=course, result=result, **fields))

    def rate(self, role: Role, level: Level, kind: PaymentKind, amount: int,
             valid_from: dt.date = dt.date(2020, 1, 1), valid_to: dt.date | None = None,
             basis: str = "Nghị quyết 12/2024/NQ-HĐND") -> Rate:
        return self._save(Rate(role=role, level=level, kind=kind, amount=amount,
                               valid_from=valid_from, valid_to=valid_to, basis=basis))

    def discipline(self, person: Person, form: str = "khien_trach", *,
                   start: dt.date = dt.date(2025, 1, 1), until: dt.date | None = None,
                   system: DisciplineSystem = DisciplineSystem.DANG, **fields) -> Discipline:
        return self._save(Discipline(person=person, form=form, system=system,
                                     effective_from=start, effective_until=until, **fields))

    def commendation(self, person: Person, form: str = "giay_khen", year: int = 2024,
                     **fields) -> Commendation:
        return self._save(Commendation(person=person, form=form, year=year,
                                       issuer_level=fields.pop("issuer_level", OrgLevel.HUYEN),
                                       issuer=fields.pop("issuer", "Huyện ủy Đắk Hà"), **fields))

    def activity(self, person: Person, day: dt.date = dt.date(2025, 3, 5), *,
                 appointment: Appointment | None = None, topic: str = "Nghị quyết Đại hội",
                 **fields) -> Activity:
        appointment = appointment or person.appointments[0]
        return self._save(Activity(person=person, appointment=appointment, date=day, topic=topic,
                                   unit=fields.pop("unit", appointment.unit),
                                   form=fields.pop("form", DeliveryForm.TRUC_TIEP), **fields))

    def payment(self, person: Person, amount: int = 500_000, period: dt.date = dt.date(2025, 3, 1),
                kind: PaymentKind = PaymentKind.HO_TRO, **fields) -> Payment:
        unit = fields.pop("unit", person.unit)
        return self._save(Payment(person=person, unit=unit, period=period, kind=kind, amount=amount,
                                  **fields))

    # The team's work (issue 14).

    def document(self, unit: str | Unit, title: str = "Thông tin định hướng tháng 11",
                 issued_on: dt.date = dt.date(2026, 11, 2), **fields):
        from models import Document, DocumentKind

        unit = self.unit(unit) if isinstance(unit, str) else unit
        return self._save(Document(unit=unit, title=title, issued_on=issued_on,
                                   kind=fields.pop("kind", DocumentKind.DINH_HUONG),
                                   issuer=fields.pop("issuer", "Ban Tuyên giáo và Dân vận Tỉnh ủy"),
                                   **fields))

    def document_file(self, document, data: bytes = b"%PDF-1.4\n%test\n", *,
                      filename: str = "tai-lieu.pdf", content_type: str = "application/pdf"):
        import hashlib

        from models import StoredFile

        stored = StoredFile(filename=filename, content_type=content_type, size=len(data),
                            sha256=hashlib.sha256(data).hexdigest(), data=data)
        document.files.append(stored)
        return self._save(stored)

    def distribute(self, document, person: Person, sent_on: dt.date = dt.date(2026, 11, 3),
                   **fields):
        from models import Distribution

        return self._save(Distribution(document=document, person=person, sent_on=sent_on,
                                       **fields))

    def conference(self, unit: str | Unit, day: dt.date = dt.date(2026, 10, 15), *,
                   topic: str = "Hội nghị báo cáo viên tháng 10", **fields):
        from models import Conference

        unit = self.unit(unit) if isinstance(unit, str) else unit
        return self._save(Conference(unit=unit, date=day, topic=topic,
                                     level=fields.pop("level", OrgLevel.TINH),
                                     form=fields.pop("form", DeliveryForm.TRUC_TUYEN), **fields))

    def point(self, conference, unit: str | Unit, place: str = "Hội trường", **fields):
        from models import ConferencePoint

        unit = self.unit(unit) if isinstance(unit, str) else unit
        return self._save(ConferencePoint(conference=conference, unit=unit, place=place,
                                          **fields))

    def attend_conference(self, person: Person, conference, point=None, **fields):
        from models import ConferenceAttendance

        return self._save(ConferenceAttendance(conference=conference, person=person,
                                               point=point, **fields))

    def channel(self, unit: str | Unit, name: str = "Nhóm Zalo tuyên truyền", **fields):
        from models import Channel, ChannelPlatform

        unit = self.unit(unit) if isinstance(unit, str) else unit
        return self._save(Channel(unit=unit, name=name,
                                  platform=fields.pop("platform", ChannelPlatform.ZALO), **fields))

    def channel_count(self, channel, members: int = 120,
                      counted_on: dt.date = dt.date(2026, 6, 30)):
        from models import ChannelCount

        return self._save(ChannelCount(channel=channel, members=members, counted_on=counted_on))

    def channel_post(self, channel, day: dt.date = dt.date(2026, 9, 2), *, posts: int = 3,
                     reach: int | None = 450, topic: str = "Kỷ niệm Quốc khánh", **fields):
        from models import ChannelPost

        return self._save(ChannelPost(channel=channel, unit_id=channel.unit_id, date=day,
                                      posts=posts, reach=reach, topic=topic, **fields))

    def exemplary(self, unit: str | Unit, persons: list[Person] = (), *,
                  name: str = "Mô hình “Loa thôn bản”", year: int = 2026, **fields):
        from models import ExemplaryModel

        unit = self.unit(unit) if isinstance(unit, str) else unit
        return self._save(ExemplaryModel(unit=unit, name=name, year=year,
                                         persons=list(persons), **fields))

    def evaluation(self, person: Person, year: int = 2025, rating=None, **fields):
        from models import Evaluation, EvaluationRating

        return self._save(Evaluation(person=person, year=year,
                                     rating=rating or EvaluationRating.TOT, **fields))

    def attachment(self, person: Person, data: bytes = b"%PDF-1.4\n%scan\n", *, kind=None,
                   record=None, filename: str = "quyet-dinh.pdf",
                   content_type: str = "application/pdf"):
        """A file attached to `person`, or to one of their records (issue 15)."""
        import hashlib

        from models import Attachment, AttachmentKind, StoredFile

        stored = StoredFile(filename=filename, content_type=content_type, size=len(data),
                            sha256=hashlib.sha256(data).hexdigest(), data=data)
        return self._save(Attachment(
            person=person, file=stored, kind=kind or AttachmentKind.DECISION,
            record_table=record.__tablename__ if record is not None else None,
            record_id=record.id if record is not None else None))

    def token(self, user: User, *, read_only: bool = False, days: int | None = 30) -> str:
        """A personal access token of `user` (issue 16); returns the text to send."""
        from registry.api import tokens

        _token, plain = tokens.create(user, f"Khóa thử {next(_seq)}", read_only=read_only,
                                      days=days)
        self.s.commit()
        return plain

    def work_records(self, person: Person) -> dict[str, int]:
        """One row of every kind of the team's work around `person` (issue 14)."""
        doc = self.document(person.unit, title=f"Tài liệu của {person.unit.name}")
        conf = self.conference(person.unit, topic=f"Hội nghị của {person.unit.name}")
        point = self.point(conf, person.unit)
        channel = self.channel(person.unit)
        return {
            "document_id": doc.id, "file_id": self.document_file(doc).id,
            "distribution_id": self.distribute(doc, person).id,
            "conference_id": conf.id, "point_id": point.id,
            "conf_attendance_id": self.attend_conference(person, conf, point).id,
            "channel_id": channel.id, "channel_count_id": self.channel_count(channel).id,
            "channel_post_id": self.channel_post(channel).id,
            "exemplary_id": self.exemplary(person.unit, [person]).id,
            "evaluation_id": self.evaluation(person).id,
            "attachment_id": self.attachment(person, record=person.appointments[0]).id,
        }

    def records(self, person: Person) -> dict[str, int]:
        """One record of every kind for `person` (a course of their unit that they attended,
        a rate of their own): the ids the route tests need."""
        course = self.course(person.unit, name=f"Khóa học của {person.unit.name}")
        appt = person.appointments[0]
        rate = self.rate(appt.role, appt.level, PaymentKind.HO_TRO, 300_000 + person.id,
                         valid_from=dt.date(2000 + person.id, 1, 1),
                         valid_to=dt.date(2000 + person.id, 12, 31))
        return {"course_id": course.id, "attendance_id": self.attend(person, course).id,
                "commendation_id": self.commendation(person).id,
                "discipline_id": self.discipline(person, "phe_binh",
                                                 system=DisciplineSystem.BCV_TTV).id,
                "activity_id": self.activity(person).id,
                "payment_id": self.payment(person).id, "rate_id": rate.id,
                "list_id": self.saved_list(person.unit).id,
                **self.work_records(person)}

    def route_ids(self, person: Person) -> dict:
        """An id of every kind the routes take, all around `person`: their appointment and unit,
        an import batch of their unit, one record of every kind (`records`), a ready-made list, an
        account of their unit."""
        return {
            "person_id": person.id,
            "appointment_id": person.appointments[0].id,
            "unit_id": person.unit_id,
            "name": person.full_name,
            "batch_id": self.batch(person.unit).id,
            "transfer_id": self.transfer(person).id,
            "slug": READY_LISTS[person.id % len(READY_LISTS)],
            "job_id": self.reorganise_job().id,
            "user_id": self.user(f"acct-{person.id}", UserRole.VIEWER, person.unit).id,
            **self.records(person),
        }

    def reorganise_job(self, **fields):
        """A web preview of the reorganisation, still queued (the province's, admins' only)."""
        from models import ReorganiseJob

        return self._save(ReorganiseJob(day=dt.date(2025, 7, 1), dry_run=True, actor="test",
                                        state=fields.pop("state", "queued"), **fields))

    def saved_list(self, unit: str | Unit, name: str | None = None, **fields):
        """Saved qualification criteria owned by `unit` (issue 5)."""
        from models import SavedList

        unit = self.unit(unit) if isinstance(unit, str) else unit
        return self._save(SavedList(unit=unit, unit_id=unit.id,
                                    name=name or f"Danh sách của {unit.name}", **fields))

    def transfer(self, person: Person, unit: str | Unit | None = None, **fields):
        """A pending transfer request of `person` into `unit` (their own unit by default: the
        scoping matrix's request belongs wholly to one relation), with the file's values."""
        from models import TransferRequest, TransferStatus

        unit = self.unit(unit) if isinstance(unit, str) else (unit or person.unit)
        appt = person.appointments[0]
        return self._save(TransferRequest(
            unit_id=unit.id, from_unit_id=person.unit_id, person_id=person.id,
            requested_by="test", role=appt.role, level=appt.level,
            status=fields.pop("status", TransferStatus.PENDING),
            values={"full_name": person.full_name, "cccd": person.cccd, "unit": unit.name},
            **fields))

    def batch(self, unit: str | Unit, **fields):
        """An import batch of `unit` awaiting confirmation (no rows unless given)."""
        from models import ImportBatch, ImportStatus

        unit = self.unit(unit) if isinstance(unit, str) else unit
        batch = ImportBatch(unit_id=unit.id, actor="test",
                            file_name=fields.pop("file_name", "ds.xlsx"),
                            file_hash=f"{next(_seq):064d}", file_size=1,
                            status=fields.pop("status", ImportStatus.PREVIEWED),
                            meta={"error": None, "sheets": []},
                            counts={"new": 0, "update": 0, "unchanged": 0, "invalid": 0}, **fields)
        self.s.add(batch)
        self.s.commit()
        return batch


def count(model, **where) -> int:
    """How many rows of `model` have these column values (all rows without any)."""
    stmt = sa.select(sa.func.count(model.id))
    for key, value in where.items():
        stmt = stmt.where(getattr(model, key) == value)
    return db.session.execute(stmt).scalar()


def latest_batch() -> ImportBatch:
    return db.session.execute(
        sa.select(ImportBatch).order_by(ImportBatch.id.desc())).scalars().first()


def dump(exclude=frozenset()) -> bytes:
    """Every row of every table but those named in `exclude`, in primary-key order, as bytes."""
    out = []
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            if table.name in exclude:
                continue
            rows = conn.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
            out.append(f"{table.name}:{[tuple(r) for r in rows]!r}")
    return "\n".join(out).encode()


def fill_route(rule, ids: dict) -> str:
    """The URL of a URL-map `rule`, its arguments taken from `ids` (see Factory.route_ids)."""
    missing = [a for a in rule.arguments if a not in ids]
    assert not missing, f"cannot fill {missing} of {rule.rule}: add them to Factory.route_ids()"
    url = rule.rule
    for arg in rule.arguments:
        url = url.replace(f"<int:{arg}>", str(ids[arg])).replace(f"<{arg}>", str(ids[arg]))
    return url


def settings_form(client) -> dict:
    """The settings form as the page renders it (every field with its current value)."""
    html = client.get("/settings").get_data(as_text=True)
    data = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if name and ('type="checkbox"' not in tag or " checked" in tag):
            data[name.group(1)] = value.group(1) if value else ""
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html):
        chosen = re.search(r'<option value="([^"]*)" selected', body)
        data[name] = chosen.group(1) if chosen else ""
    return {k: v for k, v in data.items() if k != "csrf_token"}
