from typing import cast

from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "gongkai.dashboard"
    label = "dashboard"
    verbose_name = "统计看板"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy

        from gongkai.core import navigation

        # Lazy, so the menu shows the label in the language of each request.
        label = cast(str, gettext_lazy("统计看板"))
        navigation.register(navigation.NavEntry(label, "dashboard:index", "unit.view", order=80))
