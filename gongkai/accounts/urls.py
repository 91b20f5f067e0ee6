from django.urls import path

from gongkai.accounts import admin_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("login/two-step/", views.two_factor_view, name="two_factor"),
    path("me/two-step/", views.two_factor_manage_view, name="two_factor_manage"),
    path("me/two-step/codes/", views.two_factor_codes_view, name="two_factor_codes"),
    path("me/", views.profile_view, name="profile"),
    path("me/password/", views.password_change_view, name="password_change"),
    path("tokens/<int:pk>/revoke/", views.token_revoke_view, name="token_revoke"),
    path("units/", admin_views.unit_list, name="unit_list"),
    path("units/new/", admin_views.unit_create, name="unit_create"),
    path("units/<int:pk>/", admin_views.unit_edit, name="unit_edit"),
    path("users/", admin_views.user_list, name="user_list"),
    path("users/new/", admin_views.user_create, name="user_create"),
    path("users/<int:pk>/", admin_views.user_detail, name="user_detail"),
    path("users/<int:pk>/password/", admin_views.user_set_password, name="user_set_password"),
    path("users/<int:pk>/unlock/", admin_views.user_unlock, name="user_unlock"),
    path(
        "users/<int:pk>/two-step/reset/",
        admin_views.user_two_factor_reset,
        name="user_two_factor_reset",
    ),
    path("users/<int:pk>/roles/", admin_views.role_grant, name="role_grant"),
    path("users/<int:pk>/roles/<int:role_pk>/revoke/", admin_views.role_revoke, name="role_revoke"),
]
