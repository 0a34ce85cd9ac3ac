from django.urls import path

from facit.guidance import views

app_name = "guidance"
urlpatterns = [
    path("", views.document_list, name="document_list"),
    path("d/<uuid:doc_id>/", views.document_detail, name="document_detail"),
    path("d/<uuid:doc_id>/panel-changes/", views.panel_changes, name="panel_changes"),
    path("editor/", views.editor_home, name="editor_home"),
    path("editor/d/<uuid:doc_id>/", views.editor_document, name="editor_document"),
    path(
        "editor/d/<uuid:doc_id>/v/<int:number>/publish/",
        views.version_publish,
        name="version_publish",
    ),
    path("editor/d/<uuid:doc_id>/v/<int:number>/round/", views.round_new, name="round_new"),
    path("editor/d/<uuid:doc_id>/diff/<int:number>/", views.version_diff, name="version_diff"),
    path("editor/round/<uuid:round_id>/", views.round_manage, name="round_manage"),
    path("editor/round/<uuid:round_id>/close/", views.round_close, name="round_close"),
    path("editor/comment/<uuid:comment_id>/answer/", views.comment_answer, name="comment_answer"),
    path("editor/terminology/", views.terminology_check, name="terminology_check"),
    path("review/<uuid:round_id>/", views.round_review, name="round_review"),
    path("review/<uuid:round_id>/comment/", views.round_comment, name="round_comment"),
    path("review/<uuid:round_id>/accept/", views.round_accept, name="round_accept"),
    path("review/<uuid:round_id>/decline/", views.round_decline, name="round_decline"),
    path("comment/<uuid:comment_id>/", views.comment_detail, name="comment_detail"),
    path("comment/<uuid:comment_id>/follow-up/", views.comment_follow_up, name="comment_follow_up"),
]
