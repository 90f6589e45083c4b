from django.urls import path

from tillit.feedback import views

app_name = "feedback"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("meetings/<id:pk>/", views.meeting, name="meeting"),
    path("meetings/<id:pk>/paper/", views.paper, name="paper"),
    path("answer/", views.answer, name="answer"),
    path("answer/unlock/", views.unlock, name="unlock"),
    path("clients/<id:pk>/", views.person, name="person"),
    path("alerts/<id:pk>/close/", views.alert_close, name="alert_close"),
    path("l/<str:token>/", views.link, name="link"),
]
