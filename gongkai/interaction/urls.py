"""Public pages under /hudong/ (互动交流), staff pages under /staff/interaction/.

The portal links to the public ones by name: interaction:index, interaction:mailbox_write
(unit_code), interaction:mailbox_status, interaction:letters_public, interaction:letter_public.
"""

from django.urls import path

from gongkai.interaction import views_logs, views_public, views_staff

app_name = "interaction"
urlpatterns = [
    # public
    path("hudong/", views_public.index, name="index"),
    path("hudong/xinxiang/", views_public.letters_public, name="letters_public"),
    path("hudong/xinxiang/<int:pk>/", views_public.letter_public, name="letter_public"),
    path(
        "hudong/xinxiang/<int:pk>/fujian/",
        views_public.letter_public_attachment,
        name="letter_public_attachment",
    ),
    path("hudong/xinxiang/chaxun/", views_public.mailbox_status, name="mailbox_status"),
    path(
        "hudong/xinxiang/chaxun/<int:pk>/pingjia/", views_public.mailbox_rate, name="mailbox_rate"
    ),
    path(
        "hudong/xinxiang/huizhi/<str:number>/", views_public.mailbox_receipt, name="mailbox_receipt"
    ),
    path(
        "hudong/xinxiang/<slug:unit_code>/xiexin/", views_public.mailbox_write, name="mailbox_write"
    ),
    # staff: letters
    path("staff/interaction/", views_staff.staff_home, name="staff_home"),
    path("staff/interaction/letters/", views_staff.staff_letters, name="staff_letters"),
    path("staff/interaction/letters/<int:pk>/", views_staff.staff_letter, name="staff_letter"),
    path(
        "staff/interaction/letters/<int:pk>/publication/",
        views_staff.staff_letter_publication,
        name="staff_letter_publication",
    ),
    path(
        "staff/interaction/letters/<int:pk>/attachment/",
        views_staff.staff_letter_attachment,
        name="staff_letter_attachment",
    ),
    path(
        "staff/interaction/letters/<int:pk>/<slug:action>/",
        views_staff.staff_letter_action,
        name="staff_letter_action",
    ),
    path("staff/interaction/settings/", views_staff.mailbox_settings, name="mailbox_settings"),
    # staff: hotline
    path("staff/interaction/hotline/", views_logs.hotline_list, name="hotline_list"),
    path("staff/interaction/hotline/new/", views_logs.hotline_edit, name="hotline_new"),
    path("staff/interaction/hotline/<int:pk>/", views_logs.hotline_edit, name="hotline_edit"),
    path("staff/interaction/hotline/export.csv", views_logs.hotline_export, name="hotline_export"),
    # staff: reading point
    path("staff/interaction/visits/", views_logs.visit_list, name="visit_list"),
    path("staff/interaction/visits/new/", views_logs.visit_edit, name="visit_new"),
    path("staff/interaction/visits/<int:pk>/", views_logs.visit_edit, name="visit_edit"),
    path("staff/interaction/visits/export.csv", views_logs.visit_export, name="visit_export"),
    path("staff/interaction/items/search/", views_logs.item_search, name="item_search"),
    path("staff/interaction/items/<int:pk>/chosen/", views_logs.item_chosen, name="item_chosen"),
]
