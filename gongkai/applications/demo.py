"""Demo applications for 诸往镇 (step 300 of `gongkai demo`).

Last year's paper 台账 comes in through the ledger import (so the annual report has a year to
show); this year's cases walk the real actions with the demo accounts and are left in every state:
awaiting confirmation, registered, awaiting correction, assigned to a station, consulting a third
party, awaiting a fee, awaiting signature, signed, replied, archived, withdrawn, abandoned after a
correction notice, extended, due soon and overdue, plus a pending 行政复议. Dates are counted back
from today in working days. Each case is looked up by its description first, so running twice
adds nothing. Applicants and their identity numbers are invented (valid check digits)."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.applications import actions, importer, jobs
from gongkai.applications.models import Application, OrganSettings, Remedy
from gongkai.core.demo import DemoContext, step
from gongkai.lib.codes import uscc_check_char
from gongkai.lib.idcard import id_card_check_char
from gongkai.lib.tabular import Row, Table
from gongkai.workdays.calendar import WorkCalendar

logger = logging.getLogger(__name__)
ORGAN = "zhuwang"
BASIS = "《中华人民共和国政府信息公开条例》第三十六条"


def _id(body: str) -> str:
    return body + id_card_check_char(body)


PEOPLE = [
    ("王秀英", _id("37108319650412002")),
    ("刘建华", _id("37108319781103001")),
    ("张丽", _id("37108319900219002")),
    ("孙国强", _id("37108319720530001")),
    ("李桂兰", _id("37108319581127002")),
    ("赵志刚", _id("37108319850706001")),
]
COMPANY_CODE = "91371083MA3C" + "0D7K2"
COMPANY_CODE += uscc_check_char(COMPANY_CODE)


def workdays_ago(n: int, cal: WorkCalendar) -> datetime.date:
    """The day n working days before today (today itself when n is 0)."""
    day = timezone.localdate()
    while n > 0:
        day -= datetime.timedelta(days=1)
        if cal.is_workday(day):  # provisional in a year without a notice
            n -= 1
    return day


def _applicant(i: int, **extra: Any) -> dict[str, Any]:
    name, number = PEOPLE[i % len(PEOPLE)]
    data = {
        "applicant_type": "natural_person",
        "applicant_name": name,
        "id_doc_type": "id_card",
        "id_doc_number": number,
        "phone": f"1356311{i:04d}",
        "address": f"乳山市诸往镇{['西村', '东村', '南泊', '北泊', '诸往', '朱家庄'][i % 6]}村",
        "postcode": "264500",
        "provide_form": "paper",
        "delivery": "mail",
    }
    data.update(extra)
    return data


def _register(
    ctx: DemoContext, description: str, received: datetime.date, i: int, **extra: Any
) -> Application:
    receipt = actions.application_register(
        actor=ctx.user("reviewer"),
        organ=ctx.unit(ORGAN),
        channel=extra.pop("channel", "in_person"),
        received_date=received,
        **_applicant(i, description=description, **extra),
    )
    ctx.count("依申请公开申请")
    return receipt.application


def _reply(
    ctx: DemoContext, app: Application, decision: str, reasons: str = "", replied: bool = True
) -> None:
    actions.application_draft_reply(
        actor=ctx.user("drafter"),
        application=app,
        decision=decision,
        legal_basis=BASIS,
        reasons=reasons,
    )
    actions.application_sign_off(actor=ctx.user("leader"), application=app)
    if replied:
        actions.application_mark_replied(
            actor=ctx.user("drafter"),
            application=app,
            reply_date=timezone.localdate(),
            delivery="mail",
        )


def _cases(ctx: DemoContext, cal: WorkCalendar) -> list[tuple[str, Callable[[], Any]]]:
    today = timezone.localdate()
    organ = ctx.unit(ORGAN)
    drafter, head = ctx.user("drafter"), ctx.user("head")

    def online() -> None:
        actions.application_submit_online(
            organ=organ,
            **_applicant(
                0,
                email="wangxiuying@example.com",
                delivery="email",
                description="本村2025年农村低保对象名单及补助标准",
            ),
        )
        ctx.count("依申请公开申请")

    def registered() -> None:
        _register(ctx, "诸往镇2025年秸秆禁烧专项资金使用情况", workdays_ago(1, cal), 1)

    def correction() -> None:
        app = _register(ctx, "关于我家房屋的那个文件", workdays_ago(3, cal), 2, channel="letter")
        actions.application_request_correction(
            actor=drafter,
            application=app,
            period_end=today + datetime.timedelta(days=14),
            items="请写明所需文件的名称、文号或者形成时间、所涉村庄等能够指向特定政府信息的描述。",
        )

    def assigned() -> None:
        app = _register(ctx, "西村土地流转合同备案情况", workdays_ago(4, cal), 3)
        actions.application_assign(
            actor=ctx.user("reviewer"),
            application=app,
            department=ctx.unit("zhuwang-agri"),
            assignee=ctx.user("station"),
        )

    def consulting() -> None:
        app = _register(ctx, "乳山市某养殖场环评批复及验收材料", workdays_ago(6, cal), 4)
        actions.application_consult(
            actor=drafter,
            application=app,
            party="third_party",
            party_name="乳山市诸往镇某养殖有限公司",
            sent_date=workdays_ago(2, cal),
            question="申请人申请公开贵公司环评批复，是否同意公开？",
        )

    def fee() -> None:
        app = _register(ctx, "2020年以来全镇全部村级财务公开资料复印件", workdays_ago(5, cal), 5)
        actions.application_fee_notice(
            actor=drafter, application=app, method="per_page", quantity=150
        )

    def sign_off() -> None:
        app = _register(ctx, "诸往镇2019年集体林权改革档案", workdays_ago(8, cal), 0)
        actions.application_draft_reply(
            actor=drafter,
            application=app,
            decision="3.4.1",
            legal_basis="条例第三十六条第（四）项",
            reasons="经检索，本机关未制作或获取该政府信息。",
        )

    def signed() -> None:
        app = _register(ctx, "诸往镇2025年度财政预算", workdays_ago(9, cal), 1)
        _reply(ctx, app, "3.1", replied=False)

    def replied() -> None:
        app = _register(
            ctx,
            "诸往镇美丽乡村建设项目招标结果",
            workdays_ago(12, cal),
            0,
            applicant_type="commercial",
            applicant_name="乳山市某建筑工程有限公司",
            id_doc_type="",
            id_doc_number="",
            credit_code=COMPANY_CODE,
        )
        _reply(ctx, app, "3.1")

    def archived() -> None:
        app = _register(ctx, "某村民宅基地审批档案（含他人身份信息）", workdays_ago(15, cal), 2)
        _reply(
            ctx, app, "3.3.4", reasons="该信息涉及第三方个人隐私，公开会对第三方合法权益造成损害。"
        )
        actions.application_archive(actor=drafter, application=app)
        actions.remedy_record(
            actor=drafter,
            organ=organ,
            kind=Remedy.Kind.RECONSIDERATION,
            filed_date=today,
            body="乳山市人民政府",
            application=app,
        )

    def withdrawn() -> None:
        app = _register(ctx, "2024年度诸往镇征兵工作经费", workdays_ago(7, cal), 3)
        actions.application_withdraw(
            actor=drafter,
            application=app,
            withdrawal_date=workdays_ago(2, cal),
            reason="申请人已从其他渠道获取",
        )

    def abandoned() -> None:
        received = workdays_ago(30, cal)
        app = _register(ctx, "那个补贴的事", received, 4)
        actions.application_request_correction(
            actor=drafter,
            application=app,
            notice_date=workdays_ago(28, cal),
            period_end=workdays_ago(15, cal),
            items="请写明所需信息的名称或内容。",
        )
        jobs.expire()

    def extended() -> None:
        app = _register(ctx, "全镇2023—2025年农田水利工程建设运营资料", workdays_ago(14, cal), 5)
        ext = actions.application_extend(
            actor=drafter,
            application=app,
            days=15,
            reason="所需信息涉及三个年度、多个站所，需要汇总整理",
        )
        actions.application_extend_approve(actor=head, extension=ext)

    def due_soon() -> None:
        _register(ctx, "诸往镇2025年社会救助资金发放明细", workdays_ago(18, cal), 1)

    def overdue() -> None:
        _register(ctx, "诸往镇敬老院运营补助资金情况", workdays_ago(22, cal), 2, channel="oral")

    return [
        ("本村2025年农村低保对象名单及补助标准", online),
        ("诸往镇2025年秸秆禁烧专项资金使用情况", registered),
        ("关于我家房屋的那个文件", correction),
        ("西村土地流转合同备案情况", assigned),
        ("乳山市某养殖场环评批复及验收材料", consulting),
        ("2020年以来全镇全部村级财务公开资料复印件", fee),
        ("诸往镇2019年集体林权改革档案", sign_off),
        ("诸往镇2025年度财政预算", signed),
        ("诸往镇美丽乡村建设项目招标结果", replied),
        ("某村民宅基地审批档案（含他人身份信息）", archived),
        ("2024年度诸往镇征兵工作经费", withdrawn),
        ("那个补贴的事", abandoned),
        ("全镇2023—2025年农田水利工程建设运营资料", extended),
        ("诸往镇2025年社会救助资金发放明细", due_soon),
        ("诸往镇敬老院运营补助资金情况", overdue),
    ]


def _ledger_rows(year: int) -> list[Row]:
    """Last year's 台账: what an office brings over from Excel."""
    rows = [
        ("01-08", "当面", "自然人", "王秀英", "2024年低保名单", "予以公开", "01-20", ""),
        ("03-15", "邮寄", "自然人", "刘建华", "土地征收补偿标准", "3.1", "04-02", ""),
        (
            "05-06",
            "网上",
            "商业企业",
            "乳山市某农业科技有限公司",
            "农业补贴申报条件",
            "3.1",
            "05-21",
            "",
        ),
        (
            "06-18",
            "当面",
            "自然人",
            "张丽",
            "某次会议的讨论记录",
            "属于四类过程性信息",
            "07-08",
            "",
        ),
        (
            "08-02",
            "平信",
            "自然人",
            "孙国强",
            "镇政府办公楼建设全部资料",
            "部分公开",
            "08-29",
            "120",
        ),
        (
            "10-09",
            "网上",
            "法律服务机构",
            "山东某律师事务所",
            "某执法案卷",
            "属于行政执法案卷",
            "10-30",
            "",
        ),
        ("11-20", "当面", "自然人", "李桂兰", "本村道路硬化项目", "撤回", "11-25", ""),
        (
            "12-22",
            "邮寄",
            "自然人",
            "赵志刚",
            "2020年村级换届资料",
            "本机关不掌握相关政府信息",
            f"{year + 1}-01-12",
            "",
        ),
    ]
    today = timezone.localdate().isoformat()
    out = []
    for line, (received, channel, kind, name, what, outcome, concluded, fee) in enumerate(
        rows, start=2
    ):
        # "MM-DD" is in the ledger's year; a full date (carried into this year) stays as it is.
        concluded_date = f"{year}-{concluded}" if len(concluded) == 5 else concluded
        if concluded_date > today:  # not concluded yet: the row stays open
            outcome, concluded_date = "", ""
        out.append(
            Row(
                line,
                {
                    "unit": ORGAN,
                    "received_date": f"{year}-{received}",
                    "channel": channel,
                    "applicant_type": kind,
                    "applicant_name": name,
                    "description": what,
                    "outcome": outcome,
                    "concluded_date": concluded_date,
                    "fee_yuan": fee,
                },
            )
        )
    return out


@step(300, name="applications.cases")
def applications(ctx: DemoContext) -> None:
    organ = ctx.unit(ORGAN)
    OrganSettings.objects.get_or_create(
        organ=organ,
        defaults={
            "number_prefix": "ZW",
            "reconsideration_body": "乳山市人民政府",
            "court": "乳山市人民法院",
        },
    )
    OrganSettings.objects.get_or_create(organ=ctx.unit("xiacun"), defaults={"number_prefix": "XC"})
    last_year = timezone.localdate().year - 1
    if not Application.objects.filter(organ=organ, imported=True).exists():
        table = Table("csv", list(importer.COLUMNS), [], rows=_ledger_rows(last_year))
        result = importer.import_rows(table, source="demo-ledger.csv")
        ctx.count("台账导入的申请", len(result.imported))
    cal = WorkCalendar()
    for description, build in _cases(ctx, cal):
        if Application.objects.filter(organ=organ, description=description).exists():
            continue
        try:
            with transaction.atomic():
                build()
        except ValidationError as exc:
            # Not expected on any day of the year (deadlines through a year without a notice
            # are provisional, tests/applications/test_demo_any_date.py): say so loudly.
            logger.error("demo application %r skipped: %s", description, exc.messages)


# Step 310, the letters of these cases, lives beside the letters module.
from gongkai.applications import demo_letters  # noqa: E402, F401
