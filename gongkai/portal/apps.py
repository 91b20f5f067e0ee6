from typing import cast

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "gongkai.portal"
    label = "portal"
    verbose_name = "门户"

    def ready(self) -> None:
        from gongkai.audit import labels
        from gongkai.catalog.publishing import on_item_changed
        from gongkai.portal import pagecache

        # After the search index's callback (search comes first in INSTALLED_APPS), so a
        # listing rebuilt after the bump already sees the index's new state.
        on_item_changed(pagecache.item_changed)
        pagecache.connect_signals()
        from gongkai.core.navigation import NavEntry, register

        # The disclosure office (公开办审核, 负责人) edits these; administrators, who may as
        # well (catalog.manage_categories), reach the page from the portal's staff links.
        # A lazy string (cast for the type checker): the menu follows each request's language.
        label = cast(str, _("公开栏目"))
        register(NavEntry(label, "portal:staff_index", "reports.edit", 60))
        labels.register(
            {
                "portal.guide_update": _("修改政府信息公开指南"),
                "portal.page_create": _("新建制度页面"),
                "portal.page_update": _("修改制度页面"),
                "portal.page_delete": _("删除制度页面"),
            }
        )
