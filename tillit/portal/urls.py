from django.urls import path

from tillit.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login_view, name="login"),
    path("activate/", views.activate, name="activate"),
    path("entries/<id:pk>/comment/", views.comment, name="comment"),
    path("checks/", views.feedback, name="feedback"),
    path("readers/", views.readers, name="readers"),
    path("staff/clients/<id:pk>/code/", views.code_new, name="code_new"),
    path("staff/entries/<id:pk>/release/", views.release, name="release"),
]
