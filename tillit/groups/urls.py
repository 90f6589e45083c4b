from django.urls import path

from tillit.groups import views

app_name = "groups"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/", views.group_new, name="new"),
    path("<int:pk>/", views.group_detail, name="group"),
    path("members/<int:pk>/leave/", views.member_leave, name="member_leave"),
    path("attendance/<int:pk>/check/", views.session_check, name="session_check"),
]
