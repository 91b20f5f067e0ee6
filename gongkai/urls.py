from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("staff/", include("gongkai.core.urls")),
    path("staff/accounts/", include("gongkai.accounts.urls")),
    path("staff/audit/", include("gongkai.audit.urls")),
    path("staff/workdays/", include("gongkai.workdays.urls")),
    path("staff/catalog/", include("gongkai.catalog.urls")),
    path("staff/applications/", include("gongkai.applications.urls_staff")),
    path("yishenqing/", include("gongkai.applications.urls_public")),
    path("staff/dashboard/", include("gongkai.dashboard.urls")),
    path("staff/reports/", include("gongkai.reports.urls")),
    path("staff/archives/", include("gongkai.archives.urls")),
    path("staff/inspection/", include("gongkai.inspection.urls")),
    path("staff/search/", include("gongkai.search.urls")),
    path("nianbao/", include("gongkai.reports.urls_public")),
    path("api/v1/", include("gongkai.api.urls")),
    path("", include("gongkai.interaction.urls")),
    path("", include("gongkai.portal.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
