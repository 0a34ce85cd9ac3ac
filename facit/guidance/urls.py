# Placeholder routes so the site navigation resolves; the guidance app replaces them.
from django.urls import path
from django.views.generic import TemplateView

app_name = "guidance"
urlpatterns = [
    path(
        "document-list/",
        TemplateView.as_view(template_name="web/not_built.html"),
        name="document_list",
    ),
]
