from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "hyrkoll.audit"
    label = "audit"
