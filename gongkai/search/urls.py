from django.urls import path

from gongkai.search import views

app_name = "search"
urlpatterns = [
    path("synonyms/", views.synonyms, name="synonyms"),
    path("synonyms/try/", views.synonym_try, name="synonym_try"),
    path("synonyms/<int:pk>/", views.synonym_edit, name="synonym_edit"),
    path("synonyms/<int:pk>/delete/", views.synonym_delete, name="synonym_delete"),
]
