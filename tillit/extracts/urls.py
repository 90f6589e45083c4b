from django.urls import path

from tillit.extracts import views

app_name = "extracts"
urlpatterns = [
    path("", views.orders, name="orders"),
    path("new/", views.new, name="new"),
    path("codebook/", views.book, name="codebook"),
    path("<id:pk>/", views.order, name="order"),
    path("<id:pk>/approve/", views.approve, name="approve"),
    path("<id:pk>/refuse/", views.refuse, name="refuse"),
    path("<id:pk>/produce/", views.produce, name="produce"),
    path("runs/<id:pk>/status/", views.status, name="status"),
    path("runs/<id:pk>/download/", views.download, name="download"),
]
