"""Staff pages of the annual report, under /staff/reports/."""

from django.urls import path

from gongkai.reports import views, views_admin, views_entries

app_name = "reports"
urlpatterns = [
    path("", views_admin.index, name="index"),
    path("import/", views_admin.import_view, name="import"),
    path("rollup/<slug:code>/<int:year>/", views_admin.rollup_view, name="rollup"),
    path("rollup/<slug:code>/<int:year>/json/", views_admin.rollup_json, name="rollup_json"),
    path("<slug:code>/<int:year>/", views.report, name="report"),
    path("<slug:code>/<int:year>/create/", views.create, name="create"),
    path("<slug:code>/<int:year>/edit/", views.edit, name="edit"),
    path("<slug:code>/<int:year>/redraft/", views.redraft, name="redraft"),
    path("<slug:code>/<int:year>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<slug:code>/<int:year>/finalise/", views.finalise, name="finalise"),
    path("<slug:code>/<int:year>/publish/", views.publish, name="publish"),
    path("<slug:code>/<int:year>/reopen/", views.reopen, name="reopen"),
    path("<slug:code>/<int:year>/correct/", views.correct, name="correct"),
    path("<slug:code>/<int:year>/export/<str:fmt>/", views.export, name="export"),
    path("<slug:code>/<int:year>/entries/", views_entries.entries, name="entries"),
    path(
        "<slug:code>/<int:year>/entries/<int:pk>/delete/",
        views_entries.entry_delete,
        name="entry_delete",
    ),
    path("<slug:code>/<int:year>/v<int:number>/", views.version_view, name="version"),
]
