from django.urls import path

from gongkai.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.entry_list, name="list"),
    path("export.csv", views.export, name="export"),
    path("<int:pk>/", views.entry_detail, name="detail"),
]
