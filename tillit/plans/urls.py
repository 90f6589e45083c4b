from django.urls import path

from tillit.plans import views

app_name = "plans"
urlpatterns = [
    path("clients/<int:pk>/", views.person_plans, name="person"),
    path("<int:pk>/", views.plan_detail, name="plan"),
    path("<int:pk>/goals/", views.goal_add, name="goal_add"),
    path("goals/<int:pk>/", views.goal_edit, name="goal_edit"),
    path("goals/<int:pk>/steps/", views.step_add, name="step_add"),
    path("steps/<int:pk>/", views.step_edit, name="step_edit"),
    path("goals/<int:pk>/remove/", views.goal_remove, name="goal_remove"),
    path("steps/<int:pk>/remove/", views.step_remove, name="step_remove"),
    path("<int:pk>/participants/", views.participant_add, name="participant_add"),
    path("participants/<int:pk>/consent/", views.participant_consent, name="consent"),
    path("<int:pk>/reviews/", views.review_add, name="review_add"),
    path("<int:pk>/share/", views.plan_share, name="share"),
    path("<int:pk>/sign/", views.plan_sign, name="sign"),
    path("<int:pk>/new-version/", views.plan_new_version, name="new_version"),
    path("<int:pk>/pdf/", views.plan_pdf, name="pdf"),
    path("mine/", views.mine, name="mine"),
    path("mine/<int:pk>/", views.own, name="own"),
    path("mine/<int:pk>/answer/", views.respond, name="respond"),
    path("mine/<int:pk>/pdf/", views.own_pdf, name="own_pdf"),
]
