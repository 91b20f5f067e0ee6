from typing import cast

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "gongkai.audit"
    label = "audit"
    verbose_name = "审计日志"

    def ready(self) -> None:
        from gongkai.core.navigation import NavEntry, register

        # Lazy, so the menu shows the label in the language of each request.
        label = cast(str, _("审计日志"))
        register(NavEntry(label=label, url_name="audit:list", perm="audit.view", order=900))
