from django.urls import path

from facit.evidence import views
from facit.evidence.appraisal import views as appraisal_views

app_name = "evidence"
urlpatterns = [
    path("", views.evidence_map, name="map"),
    path("map/export.<str:fmt>", views.map_export, name="map_export"),
    path("map/studies/", views.map_studies, name="map_studies"),
    path("interventions/", views.intervention_list, name="intervention_list"),
    path("interventions/<slug:slug>/", views.intervention_detail, name="intervention_detail"),
    path("compare/", views.compare, name="compare"),
    path("levels/", views.level_rules, name="levels"),
    path("evaluations/<int:pk>/appraise/", appraisal_views.appraise, name="appraise"),
    path("evaluations/<int:pk>/extract/", appraisal_views.extract, name="extract"),
    path("drafts/", views.drafts, name="drafts"),
    path("interventions/<slug:slug>/edit/", views.intervention_edit, name="intervention_edit"),
]
