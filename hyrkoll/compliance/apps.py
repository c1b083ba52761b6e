from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "hyrkoll.compliance"
    label = "compliance"
