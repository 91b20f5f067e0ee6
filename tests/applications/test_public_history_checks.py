"""The case history the applicant sees runs the same personal-data checks as published texts."""

import datetime

from gongkai.applications.actions import _base as base
from gongkai.lib.scan import masked_text


def test_a_personal_number_in_a_public_event_is_masked(cast, make_app):
    app = make_app(datetime.date(2025, 3, 3))
    event = base.event(
        app,
        "consultation",
        "向第三方张三（电话13806311234，身份证号370283199001011234）征求意见",
        public=True,
    )
    assert "13806311234" not in event.summary and "138****1234" in event.summary
    assert "3702831990****1234" in event.summary
    private = base.event(app, "note", "内部记录 13806311234")
    assert private.summary == "内部记录 13806311234"  # staff-only events keep their text


def test_masked_text_leaves_marks_and_ordinary_text():
    assert masked_text("机密★1年 本季度发放32万元") == "机密★1年 本季度发放32万元"
