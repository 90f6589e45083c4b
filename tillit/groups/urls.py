from django.urls import path

from tillit.groups import views

app_name = "groups"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/", views.group_new, name="new"),
    path("<id:pk>/", views.group_detail, name="group"),
    path("members/<id:pk>/leave/", views.member_leave, name="member_leave"),
    path("attendance/<id:pk>/check/", views.session_check, name="session_check"),
]
