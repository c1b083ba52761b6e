from django.apps import AppConfig


class ConsultantsConfig(AppConfig):
    name = "hyrkoll.consultants"
    label = "consultants"
