"""The error workbook holds whatever a hostile upload carried: it never fails to be written."""
from __future__ import annotations

import io
from types import SimpleNamespace

import openpyxl

from imports import error_workbook


def _row(cells, message, column=0):
    return SimpleNamespace(row=7, data={"cells": cells, "message": message, "column": column})


def test_characters_a_workbook_cannot_hold_are_replaced_not_fatal():
    sheets = [{"sheet": "DS/xã:[1]?", "columns": ["Họ\x01 tên", "=SUM(A1)"]}]
    rows = {0: [_row(["Y\x00 Blô", "+84 912"], "Tên «Y\x00 Blô» sai\x07")]}
    wb = openpyxl.load_workbook(io.BytesIO(error_workbook.build(sheets, rows)))
    ws = wb.worksheets[0]
    assert ws.title == "DS_xã__1__"
    assert [c.value for c in ws[1]] == ["Họ\ufffd tên", "=SUM(A1)", "Lỗi"]
    message = "Tên «Y\ufffd Blô» sai\ufffd"
    assert [c.value for c in ws[2]] == ["Y\ufffd Blô", "+84 912", f"Dòng 7: {message}"]
    assert ws["B1"].data_type == "s" and ws["A2"].comment.text == message


def test_a_sheet_without_a_name_gets_one():
    wb = openpyxl.load_workbook(io.BytesIO(error_workbook.build([{"sheet": "??"}], {})))
    assert wb.sheetnames == ["Không có lỗi"]
    wb = openpyxl.load_workbook(io.BytesIO(error_workbook.build(
        [{"sheet": None}], {0: [_row(["A"], "sai")]})))
    assert wb.sheetnames == ["Danh sách"]
