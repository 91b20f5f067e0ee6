import os
from typing import cast

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "gongkai.reports"
    label = "reports"
    verbose_name = "年度报告"

    def ready(self) -> None:
        from django.conf import settings

        from gongkai.audit import labels
        from gongkai.core import workbench
        from gongkai.core.navigation import NavEntry, register
        from gongkai.reports.rollup import parse_deadlines
        from gongkai.reports.workbench import report_queues

        # A mistyped deadline setting stops every command, `gongkai serve` included, with the
        # variable's name, instead of failing later on the roll-up page.
        parse_deadlines(
            settings.REPORT_DEADLINE_MONTH_DAY, raw=os.environ.get("REPORT_DEADLINE_MONTH_DAY")
        )
        # Lazy, so the menu shows the label in the language of each request.
        register(NavEntry(cast(str, _("年度报告")), "reports:index", "reports.edit", 70))
        workbench.register(report_queues, order=70)
        labels.register(
            {
                "reports.report_create": _("开始编写年度报告"),
                "reports.report_update": _("修改年度报告"),
                "reports.report_redraft": _("重新生成年度报告草稿"),
                "reports.report_acknowledge": _("确认年度报告核对提示"),
                "reports.report_finalise": _("年度报告定稿"),
                "reports.report_reopen": _("撤销年度报告定稿"),
                "reports.report_publish": _("发布年度报告"),
                "reports.report_start_correction": _("开始更正年度报告"),
                "reports.report_import": _("导入年度报告"),
            }
        )
