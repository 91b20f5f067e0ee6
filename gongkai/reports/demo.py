"""Demo annual reports (step 800 of `gongkai demo`, after the applications' ledger at 300).

- 诸往镇's 2017 report, the real one the seed describes, imported as a legacy (text-only) report
  and published with its original date (the text ships in gongkai/reports/fixtures/);
- 诸往镇's report for last year, computed from the applications demo ledger, written, checked,
  finalised and published by the office head;
- the role of disclosure-office head of 乳山市 for the city administrator (city-admin), who then
  sees the city roll-up.

Idempotent: a report that exists is left alone.
"""

from __future__ import annotations

from pathlib import Path

from django.utils import timezone

from gongkai.accounts import actions as account_actions
from gongkai.accounts.models import Role, RoleAssignment, User
from gongkai.core.demo import DemoContext, step
from gongkai.reports import actions, documents
from gongkai.reports.models import AnnualReport

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "zhuwang-2017-annual-report.txt"
ORGAN = "zhuwang"
CITY_LOGIN = "city-admin"

SECTION_5 = (
    "一是公开内容还不够全面，部分站所报送信息不够及时，个别信息超过规定期限公开。下一步，"
    "将把信息报送纳入站所年度考核，对照法定主动公开内容逐项梳理，做到应公开尽公开。\n\n"
    "二是政策解读形式比较单一，以文字解读为主。下一步，将采用图表、问答等群众易懂的形式，"
    "提高解读质量。\n\n"
    "三是工作人员业务水平有待提高。下一步，将组织信息员、保密审查员参加业务培训，"
    "熟悉依申请公开办理程序和答复规范，提高依法公开水平。"
)
# What the office records during the year for section 一 (国办公开办函〔2021〕30号).
WORK_ENTRIES = [
    ("management", "落实公开前保密审查，全年审查拟公开信息均经保密审查员签字"),
    ("management", "对本镇行政规范性文件开展清理，结果在政府信息公开专栏公布"),
    ("platform", "政府信息公开专栏按法定主动公开内容调整栏目，并在镇政府一楼设置查阅点"),
    ("training", "3月组织全镇信息员参加政务公开业务培训，32人参加"),
    ("training", "9月组织保密审查员学习《中华人民共和国保守国家秘密法》，12人参加"),
    ("assessment", "在全市政务公开工作考核中被评为良好等次"),
    ("evaluation", "通过镇长信箱和查阅点收集群众意见，未收到对政府信息公开工作的投诉"),
    ("accountability", "未发生因政府信息公开工作引起的责任追究"),
]
ENTERED = {
    "license": {"decisions": 36},
    "penalty": {"decisions": 4},
    "coercion": {"decisions": 0},
    "fee": {"amount_10k_yuan": "0"},
}
ENTERED_SOURCE = (
    "行政许可处理决定数取自镇便民服务中心审批台账；行政处罚、行政强制数取自镇综合行政执法办公室"
    "执法台账；本镇无行政事业性收费项目。"
)


def _city_office_head(ctx: DemoContext) -> None:
    """The city's administrator also heads the city's disclosure office in the demo, so one
    demo login sees the city roll-up."""
    city = ctx.unit("rushan")
    user = User.objects.filter(username=CITY_LOGIN).first()
    if (
        user is None
        or RoleAssignment.objects.filter(user=user, unit=city, role=Role.OFFICE_HEAD).exists()
    ):
        return
    account_actions.role_grant(actor=None, user=user, unit=city, role=Role.OFFICE_HEAD)


def _legacy_2017(ctx: DemoContext) -> None:
    organ = ctx.unit(ORGAN)
    if AnnualReport.objects.filter(unit=organ, year=2017).exists():
        return
    actions.import_legacy_text(
        actor=ctx.user("head"), unit=organ, raw=FIXTURE.read_text(encoding="utf-8"), year=2017
    )
    ctx.count("年度报告")


def _last_year(ctx: DemoContext) -> None:
    organ, head = ctx.unit(ORGAN), ctx.user("head")
    year = timezone.localdate().year - 1
    if AnnualReport.objects.filter(unit=organ, year=year).exists():
        return
    for kind, text in WORK_ENTRIES:
        actions.work_entry_add(actor=head, unit=organ, year=year, kind=kind, text=text)
    report = actions.report_create(actor=head, unit=organ, year=year)
    actions.report_update(
        actor=head,
        report=report,
        sections={"5": SECTION_5},
        entered=ENTERED,
        entered_source=ENTERED_SOURCE,
    )
    report.refresh_from_db()
    doc = documents.live_document(organ, year, report, with_drafts=False)
    for warning in documents.warnings_of(doc):
        actions.report_acknowledge(
            actor=head,
            report=report,
            rule=warning["rule"],
            cell=warning["cell"],
            message=warning["message"],
            note="已对照纸质台账和上年度报告核对，数字无误。",
        )
    actions.report_finalise(actor=head, report=report)
    actions.report_publish(actor=head, report=report)
    ctx.count("年度报告")


@step(800, name="reports.annual_reports")
def annual_reports(ctx: DemoContext) -> None:
    _city_office_head(ctx)
    _legacy_2017(ctx)
    _last_year(ctx)
