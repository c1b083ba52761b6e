from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "hyrkoll.organisation"
    label = "organisation"
