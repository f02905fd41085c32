"""The hub of the team's work: one page, and the tabs that lead from each kind of work to the
others (templates/_macros/work_tabs.html)."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template

bp = Blueprint("work", __name__)

# (endpoint, tab label, what the hub says of it), in the order of Directive 30's plan.
TABS = (
    ("activities.index", "Buổi báo cáo",
     "Các buổi tuyên truyền miệng, người nghe theo hình thức, chủ đề, đơn vị và tháng."),
    ("channels.index", "Kênh trực tuyến",
     "Nhóm Zalo, nhóm Facebook, fanpage, trang tin: số thành viên, bài đăng và lượt tiếp cận."),
    ("documents.index", "Cung cấp thông tin",
     "Thông tin định hướng, thông báo nội bộ, tài liệu, đề cương: gửi cho ai, ai đã nhận."),
    ("conferences.index", "Hội nghị báo cáo viên",
     "Hội nghị hằng tháng, các điểm cầu, báo cáo viên dự và vắng."),
    ("exemplary.index", "Mô hình, điển hình",
     "Mô hình hay, điển hình tiên tiến được công nhận."),
    ("evaluations.index", "Đánh giá hằng năm",
     "Xếp loại từng người theo năm, bên cạnh số liệu hoạt động của họ."),
    ("reports.period", "Sơ kết, tổng kết",
     "Báo cáo một kỳ của một đơn vị, so với kỳ trước cùng độ dài; tải xlsx hoặc in."),
)


@bp.app_context_processor
def _work_tabs():
    return {"work_tabs": [tab for tab in TABS if tab[0] in current_app.view_functions]}


@bp.route("/work")
def index():
    return render_template("work/index.html")
