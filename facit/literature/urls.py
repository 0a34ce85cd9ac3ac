# Placeholder routes so the site navigation resolves; the literature app replaces them.
from django.urls import path
from django.views.generic import TemplateView

app_name = "literature"
urlpatterns = [
    path(
        "review-list/", TemplateView.as_view(template_name="web/not_built.html"), name="review_list"
    ),
]
