from django.urls import path

from tillit.bam import views

app_name = "bam"
urlpatterns = [
    path("clients/<id:pk>/", views.person_moments, name="person"),
    path("clients/<id:pk>/patterns/", views.patterns, name="patterns"),
    path("cases/<id:pk>/new/", views.moment_new, name="moment_new"),
    path("moments/<id:pk>/", views.board, name="board"),
    path("moments/<id:pk>/board/", views.board_mode, name="board_mode"),
    path("moments/<id:pk>/edit/", views.moment_edit, name="moment_edit"),
    path("moments/<id:pk>/notes/", views.note_add, name="note_add"),
    path("mine/", views.mine, name="mine"),
    path("mine/new/", views.mine_new, name="mine_new"),
]
