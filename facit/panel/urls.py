# Placeholder routes so the site navigation resolves; the panel app replaces them.
from django.urls import path
from django.views.generic import TemplateView

app_name = "panel"
urlpatterns = [
    path("home/", TemplateView.as_view(template_name="web/not_built.html"), name="home"),
]
