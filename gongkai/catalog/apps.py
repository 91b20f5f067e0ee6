from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "gongkai.catalog"
    label = "catalog"
    verbose_name = "主动公开"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy

        from gongkai.catalog import timeliness, workbench
        from gongkai.core import navigation
        from gongkai.core import workbench as core_workbench
        from gongkai.workdays.calendar import on_calendar_changed

        core_workbench.register(workbench.provider, order=20)
        navigation.register(
            navigation.NavEntry(
                gettext_lazy("主动公开"), "catalog:item_list", "unit.view", order=20
            )
        )
        # An imported holiday notice moves the due dates of items still in review.
        on_calendar_changed(timeliness.on_calendar_changed)
