from django.contrib.sitemaps.views import sitemap
from django.urls import path

from gongkai.portal import feeds, views, views_items, views_staff
from gongkai.portal.sitemaps import SITEMAPS

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("robots.txt", views.robots, name="robots"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": SITEMAPS, "template_name": "portal/sitemap.xml"},
        name="sitemap",
    ),
    path("yuyan/", views.language, name="language"),
    path("sousuo/", views_items.search, name="search"),
    path("mulu/", views.directory, name="directory"),
    path("gk/<slug:code>/", views.unit_home, name="unit_home"),
    path("gk/<slug:code>/zhinan/", views.guide, name="guide"),
    path("gk/<slug:code>/zhidu/", views.rules, name="rules"),
    path("gk/<slug:code>/zhidu/<int:pk>/", views.rule, name="rule"),
    path("gk/<slug:code>/mulu/", views.catalog_view, name="catalog"),
    path("gk/<slug:code>/nianbao/", views.reports, name="reports"),
    # The 索引号 goes into the path as it is, slashes included.
    path("xinxi/<path:index_number>", views_items.item, name="item"),
    path("dayin/<path:index_number>", views_items.item_print, name="item_print"),
    path("fujian/<int:pk>/", views_items.attachment, name="attachment"),
    path("rss/<slug:code>/", feeds.UnitFeed(), name="unit_feed"),
    path("rss/fenlei/<slug:code>/", feeds.CategoryFeed(), name="category_feed"),
    # staff
    path("staff/portal/", views_staff.index, name="staff_index"),
    path("staff/portal/<slug:code>/zhinan/", views_staff.guide_edit, name="staff_guide"),
    path("staff/portal/<slug:code>/zhidu/new/", views_staff.page_new, name="staff_page_new"),
    path("staff/portal/zhidu/<int:pk>/", views_staff.page_edit, name="staff_page_edit"),
    path("staff/portal/zhidu/<int:pk>/delete/", views_staff.page_delete, name="staff_page_delete"),
]
