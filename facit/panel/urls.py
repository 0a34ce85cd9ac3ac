from django.urls import path

from facit.panel import views

app_name = "panel"
urlpatterns = [
    path("", views.home, name="home"),
    path("safety/", views.safety, name="safety"),
    path("consent/<str:purpose>/give/", views.consent_give, name="consent_give"),
    path("consent/<str:purpose>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("pause/", views.pause, name="pause"),
    path("resume/", views.resume, name="resume"),
    path("leave/", views.leave, name="leave"),
    path("fees/", views.fees, name="fees"),
    path("aftercare/", views.aftercare, name="aftercare"),
    path("assess/<int:intervention_id>/", views.assess, name="assess"),
    path("coordinator/", views.coordinator_home, name="coordinator"),
    path("coordinator/m/<uuid:member_id>/", views.coordinator_member, name="coordinator_member"),
    path(
        "coordinator/m/<uuid:member_id>/record/",
        views.coordinator_member_action,
        name="coordinator_member_action",
    ),
    path("coordinator/consent-texts/", views.consent_texts, name="consent_texts"),
]
