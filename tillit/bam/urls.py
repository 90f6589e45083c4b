from django.urls import path

from tillit.bam import views

app_name = "bam"
urlpatterns = [
    path("clients/<int:pk>/", views.person_moments, name="person"),
    path("clients/<int:pk>/patterns/", views.patterns, name="patterns"),
    path("cases/<int:pk>/new/", views.moment_new, name="moment_new"),
    path("moments/<int:pk>/", views.board, name="board"),
    path("moments/<int:pk>/board/", views.board_mode, name="board_mode"),
    path("moments/<int:pk>/edit/", views.moment_edit, name="moment_edit"),
    path("moments/<int:pk>/notes/", views.note_add, name="note_add"),
    path("mine/", views.mine, name="mine"),
    path("mine/new/", views.mine_new, name="mine_new"),
]
