from typing import cast

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionConfig(AppConfig):
    name = "gongkai.inspection"
    label = "inspection"
    verbose_name = "网站自查"

    def ready(self) -> None:
        from gongkai.audit import labels
        from gongkai.core import workbench
        from gongkai.core.navigation import NavEntry, register
        from gongkai.inspection import rules
        from gongkai.inspection.workbench import inspection_queues

        # A mistyped threshold stops every command with the variable's name.
        rules.current()
        register(NavEntry(cast(str, _("网站自查")), "inspection:city", "inspection.view", 75))
        workbench.register(inspection_queues, order=15)
        labels.register(
            {
                "inspection.column_type_set": _("设置栏目检查类型"),
                "inspection.column_type_clear": _("取消栏目检查"),
                "inspection.exact_name_add": _("添加领导姓名职务"),
                "inspection.exact_name_remove": _("删除领导姓名职务"),
                "inspection.wrong_form_add": _("添加错误写法"),
                "inspection.wrong_form_remove": _("删除错误写法"),
            }
        )
