from django.urls import path

from tillit.assessment import views

app_name = "assessment"
urlpatterns = [
    path("clients/<id:pk>/", views.person, name="person"),
    path("cases/<id:pk>/new/", views.start, name="start"),
    path("<id:pk>/", views.detail, name="detail"),
    path("answers/<id:pk>/", views.area_save, name="area_save"),
    path("<id:pk>/share/", views.share, name="share"),
    path("<id:pk>/view/", views.view, name="view"),
    path("<id:pk>/finish/", views.finish, name="finish"),
    path("<id:pk>/instrument/", views.instrument, name="instrument"),
    path("mine/", views.mine, name="mine"),
    path("mine/answers/<id:pk>/", views.client_area_save, name="client_area_save"),
    path("mine/<id:pk>/view/", views.client_view, name="client_view"),
]
