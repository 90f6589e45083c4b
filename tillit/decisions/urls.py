from django.urls import path

from tillit.decisions import views

app_name = "decisions"
urlpatterns = [
    path("clients/<id:pk>/", views.person, name="person"),
    path("cases/<id:pk>/new/", views.new, name="new"),
    path("<id:pk>/", views.decision_detail, name="decision"),
    path("<id:pk>/edit/", views.edit, name="edit"),
    path("<id:pk>/sign/", views.sign, name="sign"),
    path("<id:pk>/discard/", views.discard, name="discard"),
    path("<id:pk>/replace/", views.replace, name="replace"),
    path("<id:pk>/told/", views.communicated, name="communicated"),
    path("<id:pk>/delay/", views.delay, name="delay"),
    path("<id:pk>/letter/", views.letter, name="letter"),
    path("units/<id:pk>/waiting/", views.waiting, name="waiting"),
    path("units/<id:pk>/ivo/", views.ivo, name="ivo"),
]
