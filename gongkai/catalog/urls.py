"""Staff pages of the catalog under /staff/catalog/ (namespace "catalog").

`catalog:item_detail` (pk) is the item's page that e-mails and the workbench link to."""

from django.urls import path

from gongkai.catalog import (
    views,
    views_categories,
    views_edit,
    views_lifecycle,
    views_review,
    views_takedown,
)

app_name = "catalog"
urlpatterns = [
    path("", views.item_list, name="item_list"),
    path("new/", views_edit.item_create, name="item_create"),
    path("pick/", views.pick, name="pick"),
    path("pick/<int:pk>/", views.pick_chosen, name="pick_chosen"),
    path("withheld/", views_lifecycle.withheld, name="withheld"),
    path("rescan/", views_takedown.rescan_queue, name="rescan_queue"),
    path("check/", views_edit.check_draft, name="check_draft"),
    path("categories/", views_categories.category_list, name="categories"),
    path("categories/new/", views_categories.category_create, name="category_create"),
    path("categories/aliases/", views_categories.alias_list, name="aliases"),
    path(
        "categories/aliases/<int:pk>/delete/",
        views_categories.alias_delete,
        name="alias_delete",
    ),
    path("categories/<int:pk>/", views_categories.category_edit, name="category_edit"),
    path("categories/<int:pk>/move/", views_categories.category_move, name="category_move"),
    path("categories/<int:pk>/toggle/", views_categories.category_toggle, name="category_toggle"),
    path("<int:pk>/", views.item_detail, name="item_detail"),
    path("<int:pk>/edit/", views_edit.item_edit, name="item_edit"),
    path("<int:pk>/submit/", views_edit.item_submit, name="item_submit"),
    path("<int:pk>/secrecy/", views_review.review_secrecy, name="review_secrecy"),
    path("<int:pk>/office/", views_review.review_office, name="review_office"),
    path("<int:pk>/sign-off/", views_review.review_sign_off, name="review_sign_off"),
    path("<int:pk>/reject/", views_review.item_reject, name="item_reject"),
    path("<int:pk>/secret/", views_review.item_mark_secret, name="item_mark_secret"),
    path("<int:pk>/secret-handled/", views_review.item_secret_handled, name="secret_handled"),
    path("<int:pk>/withdraw/", views_lifecycle.item_withdraw, name="item_withdraw"),
    path("<int:pk>/take-down/", views_takedown.item_take_down, name="item_take_down"),
    path("<int:pk>/take-down/decide/", views_takedown.item_takedown_decide, name="takedown_decide"),
    path("<int:pk>/recall/", views_edit.item_recall, name="item_recall"),
    path(
        "<int:pk>/findings/<int:finding_pk>/clear/",
        views_takedown.finding_clear,
        name="finding_clear",
    ),
    path("<int:pk>/validity/", views_lifecycle.item_validity, name="item_validity"),
    path("<int:pk>/new-version/", views_lifecycle.item_new_version, name="item_new_version"),
    path("<int:pk>/reassess/", views_lifecycle.item_reassess, name="item_reassess"),
    path(
        "<int:pk>/files/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path(
        "<int:pk>/files/<int:attachment_pk>/confirm/",
        views_review.attachment_confirm,
        name="attachment_confirm",
    ),
]
