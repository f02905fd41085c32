"""The access helpers on a real database: who is an admin, load-then-authorise, the subtree."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from werkzeug.exceptions import NotFound

from models import Commendation, Course, Payment, Person, Unit, UserRole
from registry.core import access
from registry.settings import service as settings_svc

PROVINCE, DISTRICT, COMMUNE, SIBLING = (
    "Tỉnh Kon Tum", "Huyện Đắk Hà", "Xã Đắk Hring", "Huyện Sa Thầy")


def _user_scope(make, role: UserRole, unit: str) -> access.Scope:
    return access.scope_for_user(make.user(f"{role.value}-{make.unit(unit).id}", role, unit))


# require_admin --------------------------------------------------------------------------------

@pytest.mark.parametrize(("role", "unit", "admin"), [
    (UserRole.ADMIN, PROVINCE, True),
    (UserRole.ADMIN, DISTRICT, True),  # the role makes the admin, not the unit
    (UserRole.OFFICER, PROVINCE, False),  # an officer of the province's own unit is not one
    (UserRole.VIEWER, PROVINCE, False),
    (UserRole.OFFICER, DISTRICT, False),
])
def test_admin_is_the_admin_role(make, role, unit, admin):
    scope = _user_scope(make, role, unit)
    assert access.is_admin(scope) is admin
    with access.scoped(scope):
        assert access.is_admin() is admin
        if admin:
            access.require_admin()
        else:
            with pytest.raises(access.AccessDenied):
                access.require_admin()


def test_cli_scopes_of_the_province_or_none_are_admin(make):
    assert access.is_admin(access.scope_for_unit(make.unit(PROVINCE)))
    assert not access.is_admin(access.scope_for_unit(make.unit(DISTRICT)))
    with access.scoped(None):
        access.require_admin()


def test_settings_service_refuses_a_non_admin(make):
    with access.scoped(_user_scope(make, UserRole.OFFICER, PROVINCE)), \
            pytest.raises(access.AccessDenied):
        settings_svc.save({"training_window_months": 6})


@pytest.mark.parametrize("url", ["/settings", "/units/new", "/units/merge", "/rates/new"])
def test_admin_pages_answer_403_to_others_and_open_to_admins(make, client, login, url):
    make.user("officer", UserRole.OFFICER, PROVINCE)
    make.user("admin", UserRole.ADMIN, PROVINCE)
    login("officer")
    assert client.get(url).status_code == 403
    assert "Thiết lập" not in client.get("/").get_data(as_text=True)
    client.get("/logout")
    login("admin")
    assert client.get(url).status_code == 200
    assert "Thiết lập" in client.get("/").get_data(as_text=True)


# get_writable_or_404 ----------------------------------------------------------------------------

@pytest.fixture
def people(make):
    return {name: make.person(f"Người {name} Thử", name).id
            for name in (PROVINCE, DISTRICT, COMMUNE, SIBLING)}


def test_writable_rows_of_the_subtree_load(make, people):
    with access.scoped(_user_scope(make, UserRole.OFFICER, DISTRICT)):
        for name in (DISTRICT, COMMUNE):
            assert access.get_writable_or_404(Person, people[name]).id == people[name]
        unit = make.unit(COMMUNE)
        assert access.get_writable_or_404(Unit, str(unit.id)) is unit


@pytest.mark.parametrize("ident", ["abc", "0", "-1", str(2**63), None])
def test_malformed_ids_are_404(make, ident):
    with access.scoped(_user_scope(make, UserRole.ADMIN, PROVINCE)), pytest.raises(NotFound):
        access.get_writable_or_404(Person, ident)


def test_rows_outside_the_subtree_are_404_not_403(make, people):
    with access.scoped(_user_scope(make, UserRole.OFFICER, DISTRICT)):
        for name in (PROVINCE, SIBLING):
            with pytest.raises(NotFound):
                access.get_writable_or_404(Person, people[name])
        with pytest.raises(NotFound):
            access.get_writable_or_404(Unit, make.unit(PROVINCE).id)


def test_visible_rows_a_viewer_or_a_lower_unit_may_not_write_are_403(make, people):
    with access.scoped(_user_scope(make, UserRole.VIEWER, DISTRICT)), \
            pytest.raises(access.AccessDenied):
        access.get_writable_or_404(Person, people[DISTRICT])
    course = make.course(PROVINCE)  # open to the district below, written only by its organiser
    with access.scoped(_user_scope(make, UserRole.OFFICER, DISTRICT)):
        assert access.get_scoped_or_404(Course, course.id).id == course.id
        with pytest.raises(access.AccessDenied):
            access.get_writable_or_404(Course, course.id)


def test_a_persons_rows_are_written_by_the_persons_unit(make, people, ctx):
    """A payment booked at another unit still belongs to the person's unit."""
    person = ctx.get(Person, people[DISTRICT])
    elsewhere = make.unit(SIBLING)
    payment = make.payment(person, unit=elsewhere)
    commendation = make.commendation(person)
    with access.scoped(_user_scope(make, UserRole.OFFICER, DISTRICT)):
        assert access.get_writable_or_404(Payment, payment.id).id == payment.id
        assert access.get_writable_or_404(Commendation, commendation.id).id == commendation.id
    with access.scoped(_user_scope(make, UserRole.OFFICER, SIBLING)), pytest.raises(NotFound):
        access.get_writable_or_404(Payment, payment.id)


# in_subtree -------------------------------------------------------------------------------------

def _ids_in(session, unit: Unit | None) -> set[int]:
    stmt = sa.select(Person.id).where(access.in_subtree(Person.unit_id, unit))
    return set(session.execute(stmt).scalars())


def test_subtree_holds_the_unit_and_those_below(make, people, ctx):
    assert _ids_in(ctx, make.unit(DISTRICT)) == {people[DISTRICT], people[COMMUNE]}
    assert _ids_in(ctx, make.unit(COMMUNE)) == {people[COMMUNE]}
    assert _ids_in(ctx, make.unit(PROVINCE)) == set(people.values())


def test_no_unit_is_an_empty_subtree(people, ctx):
    assert people
    assert _ids_in(ctx, None) == set()
