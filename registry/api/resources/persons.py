"""Persons: the roster's list with the web's filters and search (scoped, paginated), a person's
detail with their appointments and records, and adding or editing a person through the web's
form and services (registry.roster)."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import url_for
from flask_smorest import Blueprint
from sqlalchemy.orm import joinedload, selectinload

from models import Person, db
from registry.api import form_input, idempotency
from registry.api import person_schemas as ps
from registry.api.idempotency import idempotent
from registry.api.record_common import problems
from registry.core import access, figure_cache
from registry.core.crud import form_unit
from registry.roster import persons as svc
from registry.roster.choices import fill_appointment, fill_person
from registry.roster.forms import AppointmentForm, NewPersonForm, PersonForm
from registry.roster.query import RosterFilter, paginate_filtered

blp = Blueprint("api_persons", __name__, url_prefix="/persons",
                description="Hồ sơ báo cáo viên, tuyên truyền viên")

# The detail's records, one query per kind (the web page's loads, and the records it lists).
DETAIL_LOADS = (*svc.PAGE_LOADS, selectinload(Person.commendations),
                selectinload(Person.disciplines), selectinload(Person.activities),
                selectinload(Person.payments))
_ITEM_FIELDS = ("id", "full_name", "dob", "dob_precision", "gender", "ethnicity", "unit")
# The "Thêm người" form's first appointment, by the API's names.
_FIRST = {"role": "first_role", "level": "first_level", "start_date": "first_start",
          "decision_no": "first_decision_no", "decision_date": "first_decision_date"}
_FIRST_NAMES = {form: f"appointment.{api}" for api, form in _FIRST.items()}


@blp.route("")
@blp.arguments(ps.PersonListArgs, location="query")
@blp.response(200, ps.PersonPage)
@problems(blp, 401, 422)
def list_persons(args):
    """Danh sách như trang Danh sách đội ngũ, cùng bộ lọc và tìm kiếm, theo trang."""
    f = RosterFilter.from_args(ps.filter_args(args))
    if f.bad_day:  # a date the registry cannot count from (year 1): the web answers 400 too
        form_input.refuse(" ".join(f.problems), {"on": list(f.problems)})
    people, meta = _page(f, args["per_page"])
    day = f.day or dt.date.today()
    items = [{**{k: getattr(p, k) for k in _ITEM_FIELDS}, "active": p.active_appointments(day)}
             for p in people]
    return {"items": items, "meta": meta}


def _page(f: RosterFilter, per_page: int) -> tuple[list[Person], dict]:
    """The page's people and its meta. As on the web roster, a page without a search keeps its
    ids and count in the figure cache until the data changes (counting a district's list at
    100,000 people costs tens of milliseconds); searches vary without end and run afresh."""
    loaded: list[Person] = []

    def compute() -> dict:
        page = paginate_filtered(f, per_page)
        loaded.extend(page.items)
        return {"ids": [p.id for p in page.items],
                "meta": {"page": page.page, "per_page": page.per_page, "total": page.total,
                         "pages": page.pages}}

    if f.q.strip():
        found = compute()
    else:
        found = figure_cache.cached("api-persons-page", (
            access.scope_key(), dt.date.today().isoformat(), f.args(page=f.page), per_page),
            compute)
    if not loaded and found["ids"]:
        rows = db.session.execute(
            sa.select(Person).where(Person.id.in_(found["ids"]))
            .options(selectinload(Person.appointments), joinedload(Person.unit))).scalars()
        by_id = {p.id: p for p in rows}
        loaded = [by_id[i] for i in found["ids"] if i in by_id]
    return loaded, found["meta"]


@blp.route("/<int:person_id>")
@blp.etag
@blp.response(200, ps.PersonDetail)
@problems(blp, 401, 404)
def get_person(person_id: int):
    """Hồ sơ một người: mọi trường, các bổ nhiệm và các bản ghi (khen thưởng, kỷ luật, bồi
    dưỡng, hoạt động, chi trả)."""
    return access.get_scoped_or_404(Person, person_id, *DETAIL_LOADS)


@blp.route("", methods=["POST"])
@idempotent
@blp.doc(parameters=[idempotency.describe()])
@blp.arguments(ps.PersonCreate)
@blp.response(201, ps.PersonDetail)
@problems(blp, 401, 403, 404, 409, 422)
def create_person(data):
    """Thêm người (như biểu mẫu "Thêm người"), kèm bổ nhiệm đầu tiên nếu có."""
    access.require_writer()
    values = _person_values(data)
    for api, form_name in _FIRST.items():
        values[form_name] = (data.get("appointment") or {}).get(api)
    form = form_input.judged(NewPersonForm, values, fill=fill_person, names=_FIRST_NAMES)

    def create() -> Person:
        unit = form_unit(form)
        person = svc.create_person(form.person_data(), unit)
        if (first := form.appointment_data()) is not None:
            svc.add_appointment(person, first, unit)
        return person

    person = form_input.save(create, names={"level": "appointment.level"})
    return _reloaded(person.id), 201, {"Location": url_for("api_persons.get_person",
                                                           person_id=person.id)}


@blp.route("/<int:person_id>", methods=["PATCH"])
@blp.etag
@blp.arguments(ps.PersonPatch(partial=True))
@blp.response(200, ps.PersonDetail)
@problems(blp, 401, 403, 404, 409, 422)
def update_person(data, person_id: int):
    """Sửa hồ sơ (chỉ các trường gửi lên), cần If-Match với ETag vừa đọc."""
    person = access.get_scoped_or_404(Person, person_id, *DETAIL_LOADS)
    blp.check_etag(person, ps.PersonDetail)
    access.require_write(person.unit)
    values = {**_current(person), **_person_values(data)}
    form = form_input.judged(PersonForm, values, obj=person, fill=fill_person)
    form_input.save(lambda: svc.update_person(person, form.person_data(), unit=form_unit(form),
                                              expected_version=person.version))
    return _reloaded(person.id)


@blp.route("/<int:person_id>/appointments")
@blp.response(200, ps.AppointmentSchema(many=True))
@problems(blp, 401, 404)
def list_appointments(person_id: int):
    """Mọi bổ nhiệm của một người, mới nhất trước."""
    person = access.get_scoped_or_404(Person, person_id, *svc.PAGE_LOADS)
    return person.appointments


@blp.route("/<int:person_id>/appointments", methods=["POST"])
@idempotent
@blp.doc(parameters=[idempotency.describe()])
@blp.arguments(ps.AppointmentWrite)
@blp.response(201, ps.AppointmentSchema)
@problems(blp, 401, 403, 404, 409, 422)
def create_appointment(data, person_id: int):
    """Thêm bổ nhiệm (như biểu mẫu "Thêm bổ nhiệm")."""
    person = access.get_writable_or_404(Person, person_id)
    form = form_input.judged(AppointmentForm, data, fill=fill_appointment)
    appt = form_input.save(lambda: svc.add_appointment(person, form.appointment_data(),
                                                       form_unit(form)))
    return appt, 201, {"Location": url_for("api_appointments.get_appointment",
                                           appointment_id=appt.id)}


def _person_values(data: dict) -> dict:
    values = dict(data)
    if "dob" in values:
        values["dob"] = ps.dob_input(values["dob"])
    return values


def _current(person: Person) -> dict:
    """The person as the edit form shows them: a PATCH changes only what it sends."""
    values = {k: getattr(person, k) for k in svc.PERSON_FIELDS if k != "dob_precision"}
    values.update(full_name=person.full_name, unit_id=person.unit_id,
                  dob=ps.dob_text(person.dob, person.dob_precision))
    return values


def _reloaded(person_id: int) -> Person:
    """The person as GET answers it (the ETag of the answer is the one to send next)."""
    return access.get_scoped_or_404(Person, person_id, *DETAIL_LOADS)

