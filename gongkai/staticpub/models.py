from django.db import models
from django.utils.translation import gettext_lazy as _


class DirtyPage(models.Model):
    """A public page whose published file is out of date. Written in the transaction of the
    change; removed once the file was rewritten from what the app answers now, unless the page
    was marked again meanwhile (queued_at moved)."""

    # The decoded URL path, as nginx's $uri sees it: "/gk/dongcheng/", "/xinxi/<索引号>".
    path = models.CharField(_("页面路径"), max_length=400, unique=True)
    queued_at = models.DateTimeField(_("标记时间"), db_index=True)

    class Meta:
        verbose_name = _("待发布页面")
        verbose_name_plural = _("待发布页面")

    def __str__(self) -> str:
        return self.path
