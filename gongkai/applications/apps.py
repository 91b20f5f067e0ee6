from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "gongkai.applications"
    label = "applications"
    verbose_name = "依申请公开"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy

        from gongkai.applications import deadlines, workbench
        from gongkai.core import navigation
        from gongkai.core import workbench as core_workbench
        from gongkai.workdays.calendar import on_calendar_changed

        core_workbench.register(workbench.provider, order=30)
        navigation.register(
            navigation.NavEntry(
                gettext_lazy("依申请公开"), "applications:case_list", "unit.view", order=30
            )
        )
        # An imported holiday notice moves the reply deadlines of open applications.
        on_calendar_changed(deadlines.recompute_open_cases)
