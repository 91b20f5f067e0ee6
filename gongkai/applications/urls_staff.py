"""Staff pages of 依申请公开 under /staff/applications/ (namespace applications)."""

from django.urls import path

from gongkai.applications import views_settings, views_staff

app_name = "applications"
urlpatterns = [
    path("", views_staff.case_list, name="case_list"),
    path("new/", views_staff.register, name="register"),
    path("settings/", views_settings.index, name="settings"),
    path("settings/<slug:code>/", views_settings.organ_view, name="settings_organ"),
    path(
        "settings/<slug:code>/templates/<slug:key>/",
        views_settings.template_edit,
        name="template_edit",
    ),
    path(
        "settings/<slug:code>/templates/<slug:key>/reset/",
        views_settings.template_reset,
        name="template_reset",
    ),
    path("<int:pk>/", views_staff.detail, name="detail"),
    path("<int:pk>/receipt/", views_staff.receipt, name="receipt"),
    path("<int:pk>/sign/", views_staff.sign, name="sign"),
    path("<int:pk>/preview/", views_staff.preview, name="preview"),
    path("<int:pk>/letters/<int:letter_pk>/", views_staff.letter_view, name="letter"),
    path(
        "<int:pk>/letters/<int:letter_pk>/docx/",
        views_staff.letter_download,
        name="letter_download",
    ),
    path("<int:pk>/files/<int:file_pk>/", views_staff.file_download, name="file"),
    path("<int:pk>/identity/", views_staff.identity_download, name="identity"),
    path("<int:pk>/identity-number/", views_staff.reveal_identity, name="reveal_identity"),
    path("<int:pk>/proof/", views_staff.proof_download, name="proof"),
    path("<int:pk>/<slug:name>/", views_staff.step, name="step"),
]
