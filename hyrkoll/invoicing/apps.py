from django.apps import AppConfig


class InvoicingConfig(AppConfig):
    name = "hyrkoll.invoicing"
    label = "invoicing"
