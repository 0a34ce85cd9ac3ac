# Placeholder routes so the site navigation resolves; the directory app replaces them.
from django.urls import path
from django.views.generic import TemplateView

app_name = "directory"
urlpatterns = [
    path("search/", TemplateView.as_view(template_name="web/not_built.html"), name="search"),
    path(
        "referral-guide/",
        TemplateView.as_view(template_name="web/not_built.html"),
        name="referral_guide",
    ),
]
