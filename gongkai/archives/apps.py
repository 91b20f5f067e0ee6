from typing import cast

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchivesConfig(AppConfig):
    name = "gongkai.archives"
    label = "archives"
    verbose_name = "档案移交"

    def ready(self) -> None:
        from gongkai.audit import labels
        from gongkai.core.navigation import NavEntry, register

        register(NavEntry(cast(str, _("档案移交")), "archives:index", "archives.transfer", 90))
        labels.register({"archives.transfer": _("移交档案")})
