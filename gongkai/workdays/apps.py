from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "gongkai.workdays"
    label = "workdays"
    verbose_name = "工作日历"

    def ready(self) -> None:
        from gongkai.core.navigation import NavEntry, register

        # Every member of staff may look up the calendar and count a deadline.
        label = _("工作日历")  # lazy: translated per request
        register(NavEntry(label=label, url_name="workdays:index", perm=None, order=90))  # type: ignore[arg-type]
