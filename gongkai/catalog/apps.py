from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "gongkai.catalog"
    label = "catalog"
    verbose_name = "主动公开"

    def ready(self) -> None:
        from gongkai.catalog import timeliness, workbench
        from gongkai.core import workbench as core_workbench
        from gongkai.workdays.calendar import on_calendar_changed

        core_workbench.register(workbench.provider, order=20)
        # An imported holiday notice moves the due dates of items still in review.
        on_calendar_changed(timeliness.on_calendar_changed)
