"""GET /api/v1/work/…: the team's work records of issue 14, read-only and scoped like the web
(the session's scoping criteria, registry.core.access): documents and their distribution,
BCV conferences with their points and attendance, online channels with their counts and posts,
exemplary models, yearly evaluations. Lists are paginated (page, per_page)."""
from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from models import (
    Channel,
    ChannelPost,
    Conference,
    ConferenceAttendance,
    Distribution,
    Document,
    Evaluation,
    ExemplaryModel,
    db,
)
from registry.api.schemas import PageArgs, PageMeta, ProblemSchema, UtcDateTime
from registry.core import access

blp = Blueprint("api_work", __name__, url_prefix="/work",
                description="Công tác của đội ngũ: cung cấp thông tin, hội nghị báo cáo viên, "
                            "kênh trực tuyến, mô hình điển hình, đánh giá hằng năm")

_TYPES = {int: fields.Integer, str: fields.String, bool: fields.Boolean, dt.date: fields.Date,
          dt.datetime: UtcDateTime}


def _field(column):
    try:
        python = column.type.python_type
    except NotImplementedError:  # a column type with no Python twin (JSON…): said as text
        python = str
    kind = _TYPES.get(python)
    if kind is None:
        kind = fields.String if issubclass(python, enum.Enum) else fields.Raw
    return kind(allow_none=column.nullable, required=not column.nullable)


def _columns(model, *, skip: tuple[str, ...] = ()) -> list[str]:
    return [c.key for c in sa.inspect(model).column_attrs
            if c.key not in skip and c.key != "version"]


def record_schema(model, name: str, **extra) -> type[Schema]:
    """A schema of the model's columns (enums as their code) plus `extra` fields."""
    table = sa.inspect(model).columns
    return Schema.from_dict({**{k: _field(table[k]) for k in _columns(model)}, **extra},
                            name=name)


def plain(obj, **extra) -> dict:
    out = {}
    for key in _columns(type(obj)):
        value = getattr(obj, key)
        out[key] = value.value if isinstance(value, enum.Enum) else value
    return {**out, **extra}


def page(stmt, args, row=plain) -> dict:
    args = {"page": max(1, args["page"]), "per_page": min(max(1, args["per_page"]), 500)}
    total = db.session.execute(sa.select(sa.func.count()).select_from(stmt.subquery())).scalar()
    items = db.session.execute(stmt.limit(args["per_page"])
                               .offset((args["page"] - 1) * args["per_page"])).scalars().all()
    return {"items": [row(x) for x in items],
            "meta": {"page": args["page"], "per_page": args["per_page"], "total": total,
                     "pages": max(1, -(-total // args["per_page"]))}}


def page_of(item: type[Schema], name: str) -> type[Schema]:
    return Schema.from_dict({"items": fields.List(fields.Nested(item), required=True),
                             "meta": fields.Nested(PageMeta, required=True)}, name=name)


def _person(obj) -> dict:
    return {"person_name": obj.person.full_name if obj.person else None}


PersonName = {"person_name": fields.String(allow_none=True)}
DocumentOut = record_schema(Document, "WorkDocument", unit=fields.String())
DistributionOut = record_schema(Distribution, "WorkDistribution", **PersonName)
ConferenceOut = record_schema(Conference, "WorkConference", unit=fields.String())
ConferencePointOut = record_schema(sa.inspect(Conference).relationships["points"].mapper.class_,
                                   "WorkConferencePoint", unit=fields.String())
ConferenceDetail = record_schema(Conference, "WorkConferenceDetail", unit=fields.String(),
                                 points=fields.List(fields.Nested(ConferencePointOut)))
AttendanceOut = record_schema(ConferenceAttendance, "WorkConferenceAttendance", **PersonName)
ChannelOut = record_schema(Channel, "WorkChannel", unit=fields.String())
ChannelCountOut = record_schema(sa.inspect(Channel).relationships["counts"].mapper.class_,
                                "WorkChannelCount")
ChannelDetail = record_schema(Channel, "WorkChannelDetail", unit=fields.String(),
                              counts=fields.List(fields.Nested(ChannelCountOut)))
ChannelPostOut = record_schema(ChannelPost, "WorkChannelPost", **PersonName)
ExemplaryOut = record_schema(ExemplaryModel, "WorkExemplary", unit=fields.String(),
                             person_ids=fields.List(fields.Integer()))
EvaluationOut = record_schema(Evaluation, "WorkEvaluation", **PersonName)


def _unit(obj) -> dict:
    return {"unit": obj.unit.name if obj.unit else None}


def _exemplary(m) -> dict:
    return plain(m, **_unit(m), person_ids=sorted(p.id for p in m.persons))


def _lists(path: str, name: str, title: str, schema, model, order, row=None):
    row = row or (lambda x: plain(x, **_unit(x)))

    def view(args):
        return page(sa.select(model).order_by(*order), args, row)
    view.__name__ = f"{name}_list"
    view.__doc__ = f"{title} trong phạm vi của tài khoản (phân trang)."
    blp.route(path)(blp.arguments(PageArgs, location="query")(
        blp.response(200, page_of(schema, f"{schema.__name__}Page"))(view)))


def _children(path: str, name: str, title: str, parent, child, fk: str, order, schema):
    def view(args, **kwargs):
        owner = access.get_scoped_or_404(parent, next(iter(kwargs.values())))
        stmt = sa.select(child).where(getattr(child, fk) == owner.id).order_by(*order)
        return page(stmt, args, lambda x: plain(x, **_person(x)))
    view.__name__ = f"{name}_list"
    view.__doc__ = f"{title} (phân trang)."
    blp.route(path)(blp.arguments(PageArgs, location="query")(
        blp.response(200, page_of(schema, f"{schema.__name__}Page"))(
            blp.alt_response(404, schema=ProblemSchema)(view))))


_lists("/documents", "documents", "Văn bản, tài liệu", DocumentOut, Document,
       (Document.issued_on.desc(), Document.id.desc()))
_lists("/conferences", "conferences", "Hội nghị báo cáo viên", ConferenceOut, Conference,
       (Conference.date.desc(), Conference.id.desc()))
_lists("/channels", "channels", "Kênh trực tuyến", ChannelOut, Channel, (Channel.name, Channel.id))
_lists("/exemplary", "exemplary", "Mô hình, điển hình", ExemplaryOut, ExemplaryModel,
       (ExemplaryModel.year.desc(), ExemplaryModel.id.desc()), _exemplary)
_lists("/evaluations", "evaluations", "Đánh giá hằng năm", EvaluationOut, Evaluation,
       (Evaluation.year.desc(), Evaluation.id.desc()), lambda e: plain(e, **_person(e)))
_children("/documents/<int:document_id>/distributions", "distributions",
          "Các lượt gửi văn bản đến BCV, TTV", Document,
          Distribution, "document_id", (Distribution.sent_on, Distribution.id), DistributionOut)
_children("/conferences/<int:conference_id>/attendance", "attendance",
          "Báo cáo viên dự, vắng hội nghị", Conference,
          ConferenceAttendance, "conference_id", (ConferenceAttendance.id,), AttendanceOut)
_children("/channels/<int:channel_id>/posts", "posts", "Bài đăng của kênh", Channel,
          ChannelPost, "channel_id",
          (ChannelPost.date.desc(), ChannelPost.id.desc()), ChannelPostOut)


@blp.route("/documents/<int:document_id>")
@blp.response(200, DocumentOut)
@blp.alt_response(404, schema=ProblemSchema)
def document(document_id):
    """Một văn bản, tài liệu (các lượt gửi: …/distributions)."""
    found = access.get_scoped_or_404(Document, document_id)
    return plain(found, **_unit(found))


@blp.route("/conferences/<int:conference_id>")
@blp.response(200, ConferenceDetail)
@blp.alt_response(404, schema=ProblemSchema)
def conference(conference_id):
    """Một hội nghị báo cáo viên với các điểm cầu (người dự: …/attendance)."""
    found = access.get_scoped_or_404(Conference, conference_id)
    return plain(found, **_unit(found), points=[plain(p, **_unit(p)) for p in found.points])


@blp.route("/channels/<int:channel_id>")
@blp.response(200, ChannelDetail)
@blp.alt_response(404, schema=ProblemSchema)
def channel(channel_id):
    """Một kênh trực tuyến với các lần đếm thành viên (bài đăng: …/posts)."""
    found = access.get_scoped_or_404(Channel, channel_id)
    return plain(found, **_unit(found), counts=[plain(c) for c in found.counts])


@blp.route("/exemplary/<int:exemplary_id>")
@blp.etag
@blp.response(200, ExemplaryOut)
@blp.alt_response(404, schema=ProblemSchema)
def exemplary(exemplary_id):
    """Một mô hình hay, điển hình tiên tiến."""
    return _exemplary(access.get_scoped_or_404(ExemplaryModel, exemplary_id))


@blp.route("/evaluations/<int:evaluation_id>")
@blp.etag
@blp.response(200, EvaluationOut)
@blp.alt_response(404, schema=ProblemSchema)
def evaluation(evaluation_id):
    """Một lượt đánh giá, xếp loại hằng năm."""
    found = access.get_scoped_or_404(Evaluation, evaluation_id)
    return plain(found, **_person(found))
