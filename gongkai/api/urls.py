from django.urls import path

from gongkai.api.main import api

urlpatterns = [path("", api.urls)]
