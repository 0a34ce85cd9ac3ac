from django.urls import path

from facit.directory import views

app_name = "directory"
urlpatterns = [
    path("search/", views.search, name="search"),
    path("services/<str:service_id>/", views.service_detail, name="service_detail"),
    path("services/<str:service_id>/edit/", views.service_edit, name="service_edit"),
    path("services/<str:service_id>/verify/", views.service_verify_view, name="service_verify"),
    path("my/", views.my_services, name="my_services"),
    path("changes/", views.change_list, name="change_list"),
    path("changes/<int:change_id>/decide/", views.change_decide, name="change_decide"),
    path("hsds-import/", views.hsds_import_view, name="hsds_import"),
    path("barnahus/", views.barnahus_list, name="barnahus_list"),
    path("barnahus/<slug:barnahus_id>/", views.barnahus_detail, name="barnahus_detail"),
    path("referral-guide/", views.referral_guide, name="referral_guide"),
    path("referral-guide/duty-to-report/", views.duty_text_edit, name="duty_text_edit"),
]
