from django.urls import path

from gongkai.workdays import views

app_name = "workdays"
urlpatterns = [
    path("", views.index, name="index"),
    path("import/", views.import_notice, name="import"),
    path("day/", views.day_edit, name="day"),
]
