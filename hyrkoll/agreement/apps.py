from django.apps import AppConfig


class AgreementConfig(AppConfig):
    name = "hyrkoll.agreement"
    label = "agreement"
