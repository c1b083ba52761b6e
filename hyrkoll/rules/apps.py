from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "hyrkoll.rules"
    label = "rules"
