"""The published annual reports on the public site, under /nianbao/."""

from django.urls import path

from gongkai.reports import views_public

app_name = "nianbao"
urlpatterns = [
    path("<slug:code>/<int:year>/", views_public.report, name="report"),
    path("<slug:code>/<int:year>/v<int:number>/", views_public.version, name="version"),
    path("<slug:code>/<int:year>/xiazai/<str:fmt>/", views_public.download, name="download"),
]
