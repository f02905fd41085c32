"""Online channels: the list with its period totals, a channel's page with its member counts
and online activity, and their forms."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user

from models import Channel, ChannelPlatform, ChannelPost
from registry.channels import listing
from registry.channels import service as svc
from registry.channels.forms import ChannelForm, CountForm, PostForm
from registry.core import access
from registry.core.commit import commit_or_show
from registry.core.crud import ConfirmForm, confirm_button, delete_button, form_page, form_unit
from registry.units.service import writable_unit_choices

bp = Blueprint("channels", __name__)


@bp.route("/channels")
def index():
    f = listing.ChannelFilter.from_args(request.args)
    lines = listing.channels(f)
    return render_template("channels/index.html", f=f, lines=lines,
                           units=writable_unit_choices(), platforms=ChannelPlatform,
                           actives=listing.ACTIVE, posts=sum(x.posts for x in lines),
                           reach=sum(x.reach for x in lines))


def _channel_form(channel: Channel | None) -> ChannelForm:
    form = ChannelForm(obj=channel)
    form.unit_id.choices = writable_unit_choices()
    unit = channel.unit if channel else current_user.unit
    form.admin_person_id.choices = _with_current(svc.people_choices(unit),
                                                 channel.admin_person if channel else None)
    if not form.is_submitted():
        form.unit_id.data = str(unit.id)
        form.admin_person_id.data = str(channel.admin_person_id or "") if channel else None
    return form


def _with_current(choices: list, person) -> list:
    """The choices, and the person already chosen even when no longer among them."""
    if person is not None and all(pid != person.id for pid, _ in choices):
        return [(person.id, f"{person.full_name} – {person.unit.name}"), *choices]
    return choices


@bp.route("/channels/new", methods=["GET", "POST"])
def create():
    access.require_writer()
    form = _channel_form(None)
    return form_page(form, lambda: svc.create_channel(form.channel_data(), form_unit(form)),
                     "Đã thêm kênh.", lambda c: url_for("channels.detail", channel_id=c.id),
                     "channels/form.html", channel=None)


@bp.route("/channels/<int:channel_id>")
def detail(channel_id: int):
    channel = access.get_scoped_or_404(Channel, channel_id)
    return _detail(channel, CountForm(formdata=None))


def _detail(channel: Channel, count_form: CountForm):
    return render_template("channels/detail.html", channel=channel, count_form=count_form,
                           confirm=ConfirmForm())


@bp.route("/channels/<int:channel_id>/edit", methods=["GET", "POST"])
def edit(channel_id: int):
    channel = access.get_writable_or_404(Channel, channel_id)
    form = _channel_form(channel)
    return form_page(form, lambda: svc.update_channel(channel, form.channel_data(),
                                                      form_unit(form)),
                     "Đã lưu kênh.", url_for("channels.detail", channel_id=channel.id),
                     "channels/form.html", channel=channel)


@bp.route("/channels/<int:channel_id>/counts", methods=["POST"])
def add_count(channel_id: int):
    channel = access.get_writable_or_404(Channel, channel_id)
    form = CountForm()
    if form.validate_on_submit() and commit_or_show(
            form, lambda: svc.add_count(channel, form.counted_on.data, form.members.data),
            "Đã ghi số thành viên.", conflict=svc.DUPLICATE_COUNT):
        return redirect(url_for("channels.detail", channel_id=channel.id))
    return _detail(channel, form)


@bp.route("/channels/<int:channel_id>/counts/<int:channel_count_id>/delete", methods=["POST"])
def delete_count(channel_id: int, channel_count_id: int):
    channel = access.get_writable_or_404(Channel, channel_id)
    count = next((c for c in channel.counts if c.id == channel_count_id), None)
    if count is None:
        abort(404)
    return confirm_button(lambda: svc.delete_count(channel, count), "Đã xóa số thành viên.",
                          url_for("channels.detail", channel_id=channel.id))


def _post_page(channel: Channel, post: ChannelPost | None):
    form = PostForm(obj=post)
    form.person_id.choices = _with_current(svc.people_choices(channel.unit),
                                           post.person if post else None)
    if post is not None and not form.is_submitted():
        form.person_id.data = str(post.person_id or "")
    return form_page(form, lambda: svc.save_post(channel, form.post_data(), post),
                     "Đã lưu hoạt động trên kênh.",
                     url_for("channels.detail", channel_id=channel.id),
                     "channels/post_form.html", channel=channel, post=post)


def _post_or_404(channel: Channel, post_id: int) -> ChannelPost:
    post = access.get_scoped_or_404(ChannelPost, post_id)
    if post.channel_id != channel.id:
        abort(404)
    return post


@bp.route("/channels/<int:channel_id>/posts/new", methods=["GET", "POST"])
def create_post(channel_id: int):
    return _post_page(access.get_writable_or_404(Channel, channel_id), None)


@bp.route("/channels/<int:channel_id>/posts/<int:channel_post_id>/edit",
          methods=["GET", "POST"])
def edit_post(channel_id: int, channel_post_id: int):
    channel = access.get_writable_or_404(Channel, channel_id)
    return _post_page(channel, _post_or_404(channel, channel_post_id))


@bp.route("/channels/<int:channel_id>/posts/<int:channel_post_id>/delete", methods=["POST"])
def delete_post(channel_id: int, channel_post_id: int):
    channel = access.get_writable_or_404(Channel, channel_id)
    post = _post_or_404(channel, channel_post_id)
    return confirm_button(lambda: svc.delete_post(post), "Đã xóa hoạt động trên kênh.",
                          url_for("channels.detail", channel_id=channel.id))


# Last: the scoping test opens routes in this order, and the channel's counts and posts go
# with it.
@bp.route("/channels/<int:channel_id>/delete", methods=["POST"])
def delete(channel_id: int):
    channel = access.get_writable_or_404(Channel, channel_id)
    return delete_button(lambda: svc.delete_channel(channel), f"Đã xóa kênh {channel.name}.",
                         url_for("channels.index"),
                         url_for("channels.detail", channel_id=channel.id))
