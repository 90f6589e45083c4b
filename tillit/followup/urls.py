from django.urls import path

from tillit.followup import views

app_name = "followup"
urlpatterns = [
    path("clients/<id:pk>/", views.person, name="person"),
    path("cases/<id:pk>/close/", views.close, name="close"),
    path("cases/<id:pk>/reopen/", views.reopen, name="reopen"),
    path("followups/<id:pk>/", views.followup, name="followup"),
    path("followups/<id:pk>/try/", views.attempt, name="attempt"),
    path("followups/<id:pk>/link/", views.link_new, name="link_new"),
    path("l/<str:token>/", views.link, name="link"),
    path("table/", views.table, name="table"),
    path("table.csv", views.table_csv, name="table_csv"),
]
