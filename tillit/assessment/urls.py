from django.urls import path

from tillit.assessment import views

app_name = "assessment"
urlpatterns = [
    path("clients/<int:pk>/", views.person, name="person"),
    path("cases/<int:pk>/new/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("answers/<int:pk>/", views.area_save, name="area_save"),
    path("<int:pk>/share/", views.share, name="share"),
    path("<int:pk>/view/", views.view, name="view"),
    path("<int:pk>/finish/", views.finish, name="finish"),
    path("<int:pk>/instrument/", views.instrument, name="instrument"),
    path("mine/", views.mine, name="mine"),
    path("mine/answers/<int:pk>/", views.client_area_save, name="client_area_save"),
    path("mine/<int:pk>/view/", views.client_view, name="client_view"),
]
