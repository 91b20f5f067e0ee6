"""The writer rates the answer to a mailbox letter once, after looking it up by number and
code; the dashboard and the annual report draft count the ratings with the applications'."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from gongkai.dashboard import queries as dashboard_queries
from gongkai.dashboard.scope import Scope
from gongkai.interaction import actions
from gongkai.reports.drafts import ratings_sentence
from tests.interaction.conftest import submit

URL = reverse("interaction:mailbox_status")


def test_the_writer_rates_the_answer_once(client, cast):
    submitted = submit(cast.zhuwang)
    letter = actions.letter_answer(actor=cast.leader, letter=submitted.letter, reply="路灯已修好。")
    page = client.post(URL, {"number": letter.number, "code": submitted.query_code})
    assert "评价这份答复" in page.content.decode()
    rate = reverse("interaction:mailbox_rate", args=[letter.pk])
    page = client.post(rate, {"rating": "satisfied", "comment": "很快"}).content.decode()
    assert "您的评价：满意" in page
    letter.refresh_from_db()
    assert letter.rating == "satisfied" and letter.rating_comment == "很快"
    client.post(rate, {"rating": "dissatisfied"})
    letter.refresh_from_db()
    assert letter.rating == "satisfied"
    client.force_login(cast.leader)
    staff_page = client.get(reverse("interaction:staff_letter", args=[letter.pk])).content.decode()
    assert "来信人评价：满意" in staff_page


def test_rating_needs_the_looked_up_letter_and_an_answer(client, cast):
    submitted = submit(cast.zhuwang)
    rate = reverse("interaction:mailbox_rate", args=[submitted.letter.pk])
    assert client.post(rate, {"rating": "satisfied"}).status_code == 302
    with pytest.raises(ValidationError):
        actions.letter_rate(letter=submitted.letter, rating="satisfied")


def test_ratings_reach_the_dashboard_and_the_report_draft(cast):
    letter = actions.letter_answer(
        actor=cast.leader, letter=submit(cast.zhuwang).letter, reply="已修好。"
    )
    actions.letter_rate(letter=letter, rating="mostly")
    year = timezone.localdate().year
    scope = Scope(key="", label="", unit_ids=(cast.zhuwang.pk,))
    months = dashboard_queries.ratings_by_month(scope, year)
    assert sum(c["mostly"] for c in months.values()) == 1
    assert "基本满意1件" in ratings_sentence(cast.zhuwang, year)
    assert ratings_sentence(cast.zhuwang, year - 1) == ""
