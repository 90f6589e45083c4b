from django.urls import path

from tillit.survey import views

app_name = "survey"
urlpatterns = [
    path("", views.periods, name="periods"),
    path("periods/new/", views.period_new, name="period_new"),
    path("periods/<id:pk>/", views.period, name="period"),
    path("periods/<id:pk>/poster/", views.poster, name="poster"),
    path("periods/<id:pk>/form.pdf", views.paper_form, name="paper_form"),
    path("periods/<id:pk>/paper/", views.paper_entry, name="paper_entry"),
    path("results/", views.results, name="results"),
    path("results.csv", views.results_csv, name="results_csv"),
    # The client's page: public, the period's unguessable token in the URL.
    path("a/<str:token>/", views.answer, name="answer"),
]
