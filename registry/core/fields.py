"""Form fields for Vietnamese input: dd/mm/yyyy dates, partial birth dates, select helpers."""
from __future__ import annotations

import datetime as dt
import re

from markupsafe import Markup
from wtforms import Field, StringField
from wtforms.validators import ValidationError
from wtforms.widgets import html_params

from registry.core.dates import parse_month, parse_partial_date, parse_vn_date


def _parse_typed(valuelist, parse, message: str):
    """The typed text parsed, or None when blank; a ValueError names the text in `message`."""
    text = (valuelist[0] if valuelist else "").strip()
    if not text:
        return None
    try:
        return parse(text)
    except ValueError as exc:
        raise ValueError(message.format(text)) from exc


class VNDateField(StringField):
    """A date typed as dd/mm/yyyy; `.data` is a date or None."""

    def __init__(self, label=None, validators=None, *, not_future: bool = False, **kw):
        super().__init__(label, validators, render_kw={"placeholder": "dd/mm/yyyy"}, **kw)
        self.not_future = not_future

    def _value(self):
        if isinstance(self.data, dt.date):
            return self.data.strftime("%d/%m/%Y")
        return self.raw_data[0] if self.raw_data else ""

    def process_formdata(self, valuelist):
        self.data = None  # a bad entry must not leave the object's old date in place
        self.data = _parse_typed(
            valuelist, parse_vn_date, "Ngày «{}» không hợp lệ; hãy nhập theo dạng dd/mm/yyyy."
        )

    def post_validate(self, form, validation_stopped):
        if self.not_future and isinstance(self.data, dt.date) and self.data > dt.date.today():
            self.errors.append("Ngày này không được ở tương lai.")


class PartialDateField(Field):
    """A birth date: dd/mm/yyyy, mm/yyyy or yyyy; `.data` is (date, precision) or None."""

    widget = StringField.widget

    def __init__(self, label=None, validators=None, *, min_year=1900, **kw):
        super().__init__(label, validators, render_kw={"placeholder": "dd/mm/yyyy hoặc yyyy"}, **kw)
        self.min_year = min_year

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data:
            from registry.core.templating import vn_dob

            return vn_dob(*self.data)
        return ""

    def process_formdata(self, valuelist):
        self.data = None
        data = _parse_typed(
            valuelist,
            parse_partial_date,
            "Ngày sinh «{}» không hợp lệ; nhập dd/mm/yyyy, mm/yyyy hoặc yyyy.",
        )
        if data is None:
            return
        year = data[0].year
        if not (self.min_year <= year <= dt.date.today().year):
            raise ValueError(f"Năm sinh {year} không hợp lý.")
        self.data = data


class _SelectWidget:
    """Render a <select> from (value, label) pairs; multiple when the field says so."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        if field.multiple:
            kwargs["multiple"] = True
        chosen = {str(v) for v in field.selected_values()}
        options = [] if field.multiple else [Markup('<option value="">%s</option>') % field.blank]
        if getattr(field, "groups", None):
            options += _grouped_options(field, chosen)
        for value, label in [] if getattr(field, "groups", None) else field.choices or []:
            sel = Markup(" selected") if str(value) in chosen else ""
            options.append(Markup('<option value="%s"%s>%s</option>') % (value, sel, label))
        return Markup("<select %s>%s</select>") % (
            Markup(html_params(name=field.name, **kwargs)),
            Markup("").join(options),
        )


def _grouped_options(field, chosen: set[str]) -> list:
    """<optgroup>s of `field.groups` [(key, label, [(value, label)])]: a value may sit in several
    groups; it is selected once, in the group `field.group` names (else its first group)."""
    keys = [key for key, _label, items in field.groups if chosen & {str(v) for v, _ in items}]
    pick = field.group if getattr(field, "group", None) in keys else (keys or [None])[0]
    out = []
    for key, label, items in field.groups:
        inner = Markup("").join(
            Markup('<option value="%s"%s>%s</option>') % (
                value, Markup(" selected") if key == pick and str(value) in chosen else "", text)
            for value, text in items)
        out.append(Markup('<optgroup label="%s" data-group="%s">%s</optgroup>')
                   % (label, key, inner))
    return out


class CodeSelectField(Field):
    """A select of codes; the empty choice means None; a forged value gets a Vietnamese error."""

    widget = _SelectWidget()
    multiple = False

    def __init__(self, label=None, validators=None, *, choices=None, blank="— chọn —", **kw):
        super().__init__(label, validators, **kw)
        self.choices = choices or []
        self.blank = blank

    def selected_values(self) -> list:
        return [] if self.data in (None, "") else [self.data]

    def process_data(self, value):
        self.data = getattr(value, "value", value)

    def process_formdata(self, valuelist):
        self.data = (valuelist[0] if valuelist else "") or None

    def pre_validate(self, form):
        allowed = {str(v) for v, _ in self.choices}
        if any(str(v) not in allowed for v in self.selected_values()):
            raise ValidationError("Giá trị được chọn không hợp lệ.")


class CheckboxListWidget:
    """A long multiple choice as a list of checkboxes (no Ctrl+click list box): one labelled box
    per choice, in a group static/js/unit-picker.js can filter by typing."""

    def __call__(self, field, **kwargs):
        chosen = {str(v) for v in field.selected_values()}
        boxes = Markup("").join(
            Markup('<label><input type="checkbox" name="%s" value="%s"%s> %s</label>') % (
                field.name, value, Markup(" checked") if str(value) in chosen else "", label)
            for value, label in field.choices or [])
        kwargs.pop("aria-invalid", None)
        return Markup('<div %s>%s</div>') % (
            Markup(html_params(id=field.id, role="group", class_="unit-checks",
                               **{"aria-label": field.label.text})), boxes)


class MultiCodeSelectField(CodeSelectField):
    multiple = True

    def selected_values(self) -> list:
        return list(self.data or [])

    def process_data(self, value):
        self.data = list(value or [])

    def process_formdata(self, valuelist):
        self.data = [v for v in valuelist if v]


# Marks a field as one the user must fill (the form macro's asterisk) without the `required`
# HTML attribute that wtforms' own flag adds: the server, not the browser, explains what is missing.
MANDATORY = {"mandatory": True}


def not_blank(message: str):
    def _check(form, field):
        if not (field.data or "").strip():
            raise ValidationError(message)

    _check.field_flags = MANDATORY
    return _check


def required(message: str):
    """A choice must be made (a select, or at least one box). Not wtforms' DataRequired: that
    one also flags the field `required` and drops the field's earlier errors."""
    def _check(form, field):
        if not field.data:
            raise ValidationError(message)

    _check.field_flags = MANDATORY
    return _check


_MONEY = re.compile(r"^\d{1,3}([.,]\d{3})+$|^\d+$")


class MoneyField(StringField):
    """A whole amount of đồng: "1200000", "1.200.000" or "1 200 000 đ"; `.data`: int or None."""

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return f"{self.data:,}".replace(",", ".") if isinstance(self.data, int) else ""

    def process_formdata(self, valuelist):
        self.data = None
        text = re.sub(r"\s", "", (valuelist[0] if valuelist else "").lower())
        text = re.sub(r"(đồng|đ)$", "", text)
        if not text:
            return
        if not _MONEY.match(text):
            raise ValueError("Số tiền phải là số nguyên đồng, ví dụ 1.200.000.")
        self.data = int(re.sub(r"[.,]", "", text))
        if self.data <= 0:
            raise ValueError("Số tiền phải lớn hơn 0.")


class PositiveIntField(StringField):
    """A whole number greater than zero, with a Vietnamese message; `.data` is an int or None."""

    def __init__(self, label=None, validators=None, *, maximum: int = 10**9, **kw):
        super().__init__(label, validators, **kw)
        self.maximum = maximum

    def _value(self):
        return self.raw_data[0] if self.raw_data else ("" if self.data is None else str(self.data))

    def process_formdata(self, valuelist):
        self.data = None
        text = (valuelist[0] if valuelist else "").strip().replace(".", "")
        if not text:
            return
        if not text.isdigit() or not 0 < int(text) <= self.maximum:
            raise ValueError(f"Phải là số nguyên từ 1 đến {self.maximum:,}.".replace(",", "."))
        self.data = int(text)


class MonthField(StringField):
    """A month typed as mm/yyyy; `.data` is the first day of that month or None."""

    def __init__(self, label=None, validators=None, **kw):
        super().__init__(label, validators, render_kw={"placeholder": "mm/yyyy"}, **kw)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.data.strftime("%m/%Y") if isinstance(self.data, dt.date) else ""

    def process_formdata(self, valuelist):
        self.data = None
        text = (valuelist[0] if valuelist else "").strip()
        if not text:
            return
        self.data = parse_month(text)
        if self.data is None:
            raise ValueError(f"Tháng «{text}» không hợp lệ; hãy nhập theo dạng mm/yyyy.")
