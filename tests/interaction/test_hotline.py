import csv
import io

from django.urls import reverse
from django.utils import timezone

from gongkai.interaction import actions
from gongkai.interaction.models import HotlineCall
from tests.interaction.conftest import submit


def record(cast, **fields):
    data = {
        "called_at": timezone.now(),
        "topic": "低保申请",
        "summary": "询问低保申请材料",
        "answer": "告知需带身份证和户口本到社会事务办",
    }
    data.update(fields)
    return actions.hotline_record(actor=cast.drafter, unit=cast.zhuwang, **data)


def form(**overrides):
    data = {
        "unit": "",
        "called_at": "2026-11-20T09:30",
        "caller_type": "person",
        "caller_name": "",
        "caller_contact": "",
        "topic": "路灯",
        "summary": "路灯不亮",
        "answer": "已转农业站",
        "follow_up_note": "",
        "application_number": "",
        "letter_number": "",
    }
    data.update(overrides)
    return data


def test_a_call_is_recorded_on_the_page(client, cast):
    client.force_login(cast.drafter)
    response = client.post(
        reverse("interaction:hotline_new"), form(unit=cast.zhuwang.pk, follow_up_needed="on")
    )
    assert response.status_code == 302
    call = HotlineCall.objects.get()
    assert call.recorded_by == cast.drafter
    assert call.follow_up_needed and not call.follow_up_done
    assert timezone.localtime(call.called_at).strftime("%Y-%m-%d %H:%M") == "2026-11-20 09:30"


def test_a_call_can_be_linked_to_a_letter_of_the_organ_only(client, cast):
    mine = submit(cast.zhuwang).letter
    theirs = submit(cast.other_township).letter
    client.force_login(cast.drafter)
    ok = client.post(
        reverse("interaction:hotline_new"), form(unit=cast.zhuwang.pk, letter_number=mine.number)
    )
    assert ok.status_code == 302
    assert HotlineCall.objects.get().letter == mine
    refused = client.post(
        reverse("interaction:hotline_new"), form(unit=cast.zhuwang.pk, letter_number=theirs.number)
    )
    assert "找不到编号" in refused.content.decode()
    assert HotlineCall.objects.count() == 1


def test_a_call_can_be_linked_to_an_application(client, cast):
    from gongkai.applications import actions as app_actions

    receipt = app_actions.application_register(
        actor=cast.drafter,
        organ=cast.zhuwang,
        channel="in_person",
        received_date=timezone.localdate(),
        applicant_type="natural_person",
        applicant_name="张三",
        id_doc_type="id_card",
        id_doc_number="11010519491231002X",
        phone="13812345678",
        email="",
        address="诸往镇",
        description="危房改造名单",
        provide_form="paper",
        delivery="mail",
    )
    number = receipt.application.number
    client.force_login(cast.drafter)
    ok = client.post(
        reverse("interaction:hotline_new"), form(unit=cast.zhuwang.pk, application_number=number)
    )
    assert ok.status_code == 302
    assert HotlineCall.objects.get().application == receipt.application
    client.force_login(cast.other_drafter)
    refused = client.post(
        reverse("interaction:hotline_new"),
        form(unit=cast.other_township.pk, application_number=number),
    )
    assert "找不到编号" in refused.content.decode()


def test_follow_up_done_needs_follow_up_needed(client, cast):
    client.force_login(cast.drafter)
    response = client.post(
        reverse("interaction:hotline_new"), form(unit=cast.zhuwang.pk, follow_up_done="on")
    )
    assert response.status_code == 200
    assert "需要回访" in response.content.decode()
    assert not HotlineCall.objects.exists()


def test_editing_marks_the_follow_up_done_and_is_audited(client, cast):
    from gongkai.audit.models import AuditEntry

    call = record(cast, follow_up_needed=True)
    client.force_login(cast.drafter)
    data = form(
        unit=cast.zhuwang.pk,
        topic="低保申请",
        follow_up_needed="on",
        follow_up_done="on",
        follow_up_note="已电话告知办理结果",
    )
    assert client.post(reverse("interaction:hotline_edit", args=[call.pk]), data).status_code == 302
    call.refresh_from_db()
    assert call.follow_up_done and call.follow_up_done_at is not None
    assert AuditEntry.objects.filter(
        action="interaction.hotline_update", object_id=str(call.pk)
    ).exists()


def test_the_list_filters_and_a_sibling_township_sees_nothing(client, cast):
    record(cast, topic="低保申请", follow_up_needed=True)
    record(cast, topic="路灯维修", summary="路灯不亮", answer="已转农业站")
    client.force_login(cast.drafter)
    url = reverse("interaction:hotline_list")
    page = client.get(url, {"follow_up": "open"}).content.decode()
    assert "低保申请" in page and "路灯维修" not in page
    page = client.get(url, {"q": "路灯"}).content.decode()
    assert "路灯维修" in page and "低保申请" not in page
    assert (
        "共 0 条"
        in client.get(url, {"date_from": "2000-01-01", "date_to": "2000-01-02"}).content.decode()
    )
    assert client.get(url, {"date_from": "not-a-date"}).status_code == 200
    client.force_login(cast.other_drafter)
    page = client.get(url).content.decode()
    assert "低保申请" not in page and "路灯维修" not in page
    call = HotlineCall.objects.first()
    assert client.get(reverse("interaction:hotline_edit", args=[call.pk])).status_code == 404


def test_the_csv_export_opens_in_excel_and_defuses_formulas(client, cast):
    record(cast, topic='=HYPERLINK("http://x")', caller_name="李四")
    client.force_login(cast.drafter)
    response = client.get(reverse("interaction:hotline_export"))
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][0] == "来电时间"
    assert rows[1][3].startswith("'=")
    assert "李四" not in text  # the caller's name stays out of exports
