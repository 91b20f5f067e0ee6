from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "gongkai.dashboard"
    label = "dashboard"
    verbose_name = "统计看板"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy

        from gongkai.core import navigation

        navigation.register(
            navigation.NavEntry(gettext_lazy("统计看板"), "dashboard:index", "unit.view", order=80)
        )
