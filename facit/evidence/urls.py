from django.urls import path

from facit.evidence.appraisal import views as appraisal_views
from facit.evidence.gapmap import views as map_views
from facit.evidence.registry import views as registry_views

app_name = "evidence"
urlpatterns = [
    path("", map_views.evidence_map, name="map"),
    path("map/export.<str:fmt>", map_views.map_export, name="map_export"),
    path("map/studies/", map_views.map_studies, name="map_studies"),
    path("interventions/", registry_views.intervention_list, name="intervention_list"),
    path(
        "interventions/<slug:slug>/", registry_views.intervention_detail, name="intervention_detail"
    ),
    path("compare/", registry_views.compare, name="compare"),
    path("levels/", registry_views.level_rules, name="levels"),
    path("evaluations/<int:pk>/appraise/", appraisal_views.appraise, name="appraise"),
    path("evaluations/<int:pk>/extract/", appraisal_views.extract, name="extract"),
    path("drafts/", registry_views.drafts, name="drafts"),
    path(
        "interventions/<slug:slug>/edit/",
        registry_views.intervention_edit,
        name="intervention_edit",
    ),
]
