from django.urls import path

from tillit.org import views

app_name = "org"
urlpatterns = [
    path("methods/", views.methods, name="methods"),
    path("sessions/", views.sessions, name="sessions"),
]
