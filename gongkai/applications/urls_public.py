"""Public pages of 依申请公开 under /yishenqing/ (namespace applications_public). The portal
links to applications_public:apply with an organ's code."""

from django.urls import path

from gongkai.applications import views_public as v

app_name = "applications_public"
urlpatterns = [
    path("", v.index, name="index"),
    path("chaxun/", v.status, name="status"),
    path("dengji/", v.register, name="register"),
    path("dengji/wenjian/<int:pk>/", v.register_file, name="register_file"),
    path("chaxun/zhaohui/", v.resend_code, name="resend_code"),
    path("chaxun/<str:number>/", v.status_detail, name="status_detail"),
    path("chaxun/<str:number>/buzheng/", v.correct, name="correct"),
    path("chaxun/<str:number>/pingjia/", v.rate, name="rate"),
    path("huizhi/<str:token>/", v.receipt, name="receipt"),
    path("wenshu/<int:letter_pk>/", v.letter_view, name="letter"),
    path("xiazai/<str:token>/", v.download, name="download"),
    path("<slug:unit_code>/shenqing/", v.apply, name="apply"),
]
