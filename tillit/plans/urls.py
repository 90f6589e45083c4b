from django.urls import path

from tillit.plans import views

app_name = "plans"
urlpatterns = [
    path("clients/<id:pk>/", views.person_plans, name="person"),
    path("<id:pk>/", views.plan_detail, name="plan"),
    path("<id:pk>/goals/", views.goal_add, name="goal_add"),
    path("goals/<id:pk>/", views.goal_edit, name="goal_edit"),
    path("goals/<id:pk>/steps/", views.step_add, name="step_add"),
    path("steps/<id:pk>/", views.step_edit, name="step_edit"),
    path("goals/<id:pk>/remove/", views.goal_remove, name="goal_remove"),
    path("steps/<id:pk>/remove/", views.step_remove, name="step_remove"),
    path("<id:pk>/participants/", views.participant_add, name="participant_add"),
    path("participants/<id:pk>/consent/", views.participant_consent, name="consent"),
    path("<id:pk>/reviews/", views.review_add, name="review_add"),
    path("<id:pk>/share/", views.plan_share, name="share"),
    path("<id:pk>/sign/", views.plan_sign, name="sign"),
    path("<id:pk>/new-version/", views.plan_new_version, name="new_version"),
    path("<id:pk>/pdf/", views.plan_pdf, name="pdf"),
    path("mine/", views.mine, name="mine"),
    path("mine/<id:pk>/", views.own, name="own"),
    path("mine/<id:pk>/answer/", views.respond, name="respond"),
    path("mine/<id:pk>/pdf/", views.own_pdf, name="own_pdf"),
]
