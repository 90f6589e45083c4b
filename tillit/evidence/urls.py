from django.urls import path

from tillit.evidence import views

app_name = "evidence"
urlpatterns = [
    path("", views.index, name="index"),
    path("continuity/", views.continuity, name="continuity"),
    path("continuity.csv", views.continuity_csv, name="continuity_csv"),
    path("continuity.xlsx", views.continuity_xlsx, name="continuity_xlsx"),
    path("caseload/", views.caseload, name="caseload"),
    path("caseload.csv", views.caseload_csv, name="caseload_csv"),
    path("caseload.xlsx", views.caseload_xlsx, name="caseload_xlsx"),
    path("alliance/", views.alliance, name="alliance"),
    path("alliance.csv", views.alliance_csv, name="alliance_csv"),
    path("alliance.xlsx", views.alliance_xlsx, name="alliance_xlsx"),
    path("mine/", views.mine, name="mine"),
    path("mine.csv", views.mine_csv, name="mine_csv"),
    path("mine.xlsx", views.mine_xlsx, name="mine_xlsx"),
]
