from django.urls import path

from tillit.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login_view, name="login"),
    path("activate/", views.activate, name="activate"),
    path("entries/<int:pk>/comment/", views.comment, name="comment"),
    path("checks/", views.feedback, name="feedback"),
    path("readers/", views.readers, name="readers"),
    path("staff/clients/<int:pk>/code/", views.code_new, name="code_new"),
    path("staff/entries/<int:pk>/release/", views.release, name="release"),
]
