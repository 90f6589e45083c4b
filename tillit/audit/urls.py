from django.urls import path

from tillit.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.log_review, name="review"),
    path("emergency/<id:pk>/reviewed/", views.emergency_reviewed, name="emergency_reviewed"),
    path("sample/draw/", views.sample_draw, name="sample_draw"),
    path("sample/<id:pk>/", views.sample_mark, name="sample_mark"),
    path("lockouts/", views.lockouts, name="lockouts"),
    path("lockouts/lift/", views.lockout_lift, name="lockout_lift"),
]
