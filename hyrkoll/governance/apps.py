from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "hyrkoll.governance"
    label = "governance"
