from django.urls import path

from gongkai.inspection import views

app_name = "inspection"
urlpatterns = [
    path("", views.city, name="city"),
    path("export.xlsx", views.export_xlsx, name="export"),
    path("run/", views.run_now, name="run"),
    path("lists/", views.lists, name="lists"),
    path("<slug:code>/", views.scorecard, name="scorecard"),
]
