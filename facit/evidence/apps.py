from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "facit.evidence"
    label = "evidence"
