from django.urls import path

from facit.literature import views

app_name = "literature"
urlpatterns = [
    path("", views.review_list, name="review_list"),
    path("new/", views.review_create, name="review_create"),
    path("<slug:slug>/", views.review_detail, name="review_detail"),
    path("<slug:slug>/edit/", views.review_edit, name="review_edit"),
    path("<slug:slug>/searches/", views.search_add, name="search_add"),
    path("<slug:slug>/members/", views.member_add, name="member_add"),
    path("<slug:slug>/reasons/", views.reason_add, name="reason_add"),
    path("<slug:slug>/import/", views.import_upload, name="import_upload"),
    path("<slug:slug>/import/<int:pk>/", views.import_detail, name="import_detail"),
    path("<slug:slug>/import/<int:pk>/status/", views.import_status, name="import_status"),
    path("<slug:slug>/duplicates/", views.duplicates, name="duplicates"),
    path("<slug:slug>/duplicates/<int:pk>/", views.duplicate_decide, name="duplicate_decide"),
    path("<slug:slug>/screen/<str:stage>/", views.screen, name="screen"),
    path("<slug:slug>/screen/<str:stage>/undo/", views.decision_undo, name="decision_undo"),
    path("<slug:slug>/conflicts/<str:stage>/", views.conflict_list, name="conflicts"),
    path(
        "<slug:slug>/conflicts/<str:stage>/<int:pk>/",
        views.conflict_resolve,
        name="conflict_resolve",
    ),
    path("<slug:slug>/references/<int:pk>/", views.reference_detail, name="reference_detail"),
    path("<slug:slug>/references/<int:pk>/extract/", views.extract, name="extract"),
    path(
        "<slug:slug>/references/<int:pk>/fulltext/", views.fulltext_upload, name="fulltext_upload"
    ),
    path(
        "<slug:slug>/references/<int:pk>/fulltext.pdf",
        views.fulltext_download,
        name="fulltext_download",
    ),
    path("<slug:slug>/ranking/", views.ranking_refresh, name="ranking_refresh"),
    path("<slug:slug>/prisma/", views.prisma, name="prisma"),
    path("<slug:slug>/prisma.svg", views.prisma_download, name="prisma_svg"),
    path("<slug:slug>/export.<str:fmt>", views.export, name="export"),
]
