"""Demo data of interaction: 诸往镇's mayor's mailbox with letters in every state, hotline calls
(the seed's 6366000) and reading-point visits. Idempotent: each letter is found again by its
form token, each call by its topic, each visit by what was sought."""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core.demo import DemoContext, step
from gongkai.interaction import actions
from gongkai.interaction.models import (
    HotlineCall,
    Letter,
    LetterStatus,
    MailboxSettings,
    ReadingVisit,
)
from gongkai.interaction.publication import proposed_public_version

logger = logging.getLogger(__name__)

ORGAN = "zhuwang"
INTRO = (
    "镇长信箱受理群众对本镇工作的意见、建议和诉求，来信直接送达镇长。\n"
    "一般事项 5 个工作日内答复；需要部门办理的，转交部门限期办结。\n"
    "涉及诉讼、仲裁、行政复议等法定途径的事项，请按相应程序办理。"
)

# key, days ago, writer, subject, content, what happens, reply
LETTERS = [
    (
        "demo-letter-01",
        40,
        ("刘桂兰", "13605451001", ""),
        "诸往村村西路灯不亮",
        "我是诸往村村民刘桂兰，村西头到小学那段路的路灯坏了一个多月，孩子们晚上放学很不安全，"
        "希望镇上尽快安排维修。我的电话13605451001。",
        "publish",
        "刘桂兰您好：经镇村建办现场查看，该路段 3 盏路灯线路老化，已于本周全部更换修复。"
        "如再有问题，请拨打镇政府电话 0631-6366000。感谢您对我镇工作的关心！",
    ),
    (
        "demo-letter-02",
        25,
        ("孙志刚", "", "sunzg@example.com"),
        "建议增加到乳山城区的公交班次",
        "早上 7 点前只有一班车去城区，上班的人都赶不上，建议增加早班车。",
        "publish",
        "您好！您反映的情况已转市交通运输局研究。自下月起，诸往至城区线路工作日增开 6:40 班次。",
    ),
    (
        "demo-letter-03",
        12,
        ("王建华", "13806312002", ""),
        "果园灌溉用水问题",
        "今年天旱，我们村果园灌溉用水紧张，想问问镇上有没有抗旱的补助政策。",
        "answer",
        "王建华您好：今年镇政府安排了抗旱应急资金，补助打井和节水灌溉设备，"
        "请携带身份证到镇农业站登记，农业站电话 0631-6366000。",
    ),
    (
        "demo-letter-04",
        6,
        ("赵丽", "13963102003", ""),
        "苹果树病虫害防治指导",
        "我家苹果树叶子发黄，怀疑是病虫害，希望农业站能派技术员来看看。",
        "forward",
        "",
    ),
    (
        "demo-letter-05",
        1,
        ("陈明", "13780612004", "chenming@example.com"),
        "村里垃圾清运不及时",
        "村口垃圾箱好几天才清运一次，天热了味道很大，请督促处理。",
        "receive",
        "",
    ),
    (
        "demo-letter-06",
        3,
        ("某公司", "4008001234", ""),
        "优惠办理各类证件",
        "专业代办各类证件，价格优惠，欢迎来电。",
        "spam",
        "",
    ),
]

CALLS = [
    (
        35,
        "person",
        "低保申请需要什么材料",
        "询问低保申请需要准备哪些材料、到哪里办理。",
        "告知需带户口本、身份证、收入证明，到镇社会事务办申请。",
        False,
    ),
    (
        20,
        "person",
        "政府信息公开申请怎么提交",
        "想了解某项补贴的发放名单，问怎样申请公开。",
        "告知可在网站“依申请公开”栏目在线提交，或到镇党政办现场填写申请表。",
        False,
    ),
    (
        9,
        "company",
        "企业用地审批进度",
        "某农业合作社询问设施农业用地备案进度。",
        "已记录，需向国土所核实后回复。",
        True,
    ),
    (2, "person", "路灯维修进度", "询问诸往村村西路灯何时修好。", "告知已修复。", False),
]

VISITS = [
    (30, "查阅2017年政府信息公开工作年度报告", 0),
    (15, "查阅本镇财政预算、决算信息", 6),
    (4, "查阅惠民补贴政策文件", 12),
]


def _at(days_ago: int, hour: int = 9) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 30)))


def _letter(ctx: DemoContext, spec) -> None:
    key, days_ago, (name, phone, email), subject, content, fate, reply = spec
    if Letter.objects.filter(idempotency_key=key).exists():
        return
    organ = ctx.unit(ORGAN)
    leader, drafter = ctx.user("leader"), ctx.user("drafter")
    letter = actions.letter_submit(
        unit=organ,
        writer_name=name,
        writer_phone=phone,
        writer_email=email,
        subject=subject,
        content=content,
        consent_publish=fate == "publish",
        idempotency_key=key,
    ).letter
    # Demo only: the letter arrived some days ago (the actions stamp "now").
    Letter.objects.filter(pk=letter.pk).update(received_at=_at(days_ago))
    letter.refresh_from_db()
    if fate == "spam":
        actions.letter_mark_spam(actor=drafter, letter=letter, note="广告")
    elif fate == "forward":
        actions.letter_forward(
            actor=drafter,
            letter=letter,
            to_unit=ctx.unit("zhuwang-agri"),
            note="请农业站派技术员上门查看并答复。",
        )
    elif fate in {"answer", "publish"}:
        actions.letter_answer(actor=leader, letter=letter, reply=reply)
        Letter.objects.filter(pk=letter.pk).update(answered_at=_at(days_ago - 3, 15))
        letter.refresh_from_db()
        if fate == "publish":
            actions.letter_publish(
                actor=leader, letter=letter, texts=proposed_public_version(letter)
            )
            Letter.objects.filter(pk=letter.pk).update(published_at=_at(days_ago - 4, 10))
    ctx.count("信箱来信")


@step(600, name="interaction.mailbox_hotline_reading_point")
def interaction(ctx: DemoContext) -> None:
    organ = ctx.unit(ORGAN)
    if not MailboxSettings.objects.filter(unit=organ).exists():
        actions.mailbox_configure(
            actor=None,
            unit=organ,
            is_open=True,
            title="镇长信箱",
            handler_role="leader",
            intro=INTRO,
        )
    for spec in LETTERS:
        try:
            with transaction.atomic():
                _letter(ctx, spec)
        except ValidationError as exc:
            # Only when today sits next to a year the calendar lacks (a forward's due date).
            logger.warning("demo letter %s skipped: %s", spec[0], exc.messages)
    drafter = ctx.user("drafter")
    for days_ago, caller_type, topic, summary, answer, follow_up in CALLS:
        if HotlineCall.objects.filter(unit=organ, topic=topic).exists():
            continue
        actions.hotline_record(
            actor=drafter,
            unit=organ,
            called_at=_at(days_ago, 10),
            caller_type=caller_type,
            topic=topic,
            summary=summary,
            answer=answer,
            follow_up_needed=follow_up,
        )
        ctx.count("热线来电")
    from gongkai.catalog.models import Item

    shown = list(Item.objects.published().filter(organ=organ).order_by("first_published_at")[:2])
    for days_ago, sought, pages in VISITS:
        if ReadingVisit.objects.filter(unit=organ, sought=sought).exists():
            continue
        actions.visit_record(
            actor=drafter,
            unit=organ,
            sought=sought,
            items=shown,
            visited_on=timezone.localdate() - datetime.timedelta(days=days_ago),
            copies_pages=pages,
        )
        ctx.count("查阅登记")
    if not Letter.objects.filter(unit=organ, status=LetterStatus.PUBLISHED).exists():
        logger.warning("demo: no published letter (the calendar may lack this year)")
