from django.urls import path

from gongkai.archives import views

app_name = "archives"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/download/", views.download, name="download"),
]
