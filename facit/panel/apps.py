from django.apps import AppConfig


class PanelConfig(AppConfig):
    name = "facit.panel"
    label = "panel"
