from django.apps import AppConfig


class AssignmentsConfig(AppConfig):
    name = "hyrkoll.assignments"
    label = "assignments"
