from django.urls import path

from gongkai.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:chart>.csv", views.download_csv, name="csv"),
]
