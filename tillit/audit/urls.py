from django.urls import path

from tillit.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.log_review, name="review"),
    path("emergency/<id:pk>/reviewed/", views.emergency_reviewed, name="emergency_reviewed"),
]
