from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "gongkai.audit"
    label = "audit"
    verbose_name = "审计日志"

    def ready(self) -> None:
        from gongkai.core.navigation import NavEntry, register

        register(NavEntry(label=_("审计日志"), url_name="audit:list", perm="audit.view", order=900))
