"""Ordering pages: needs, decisions, call-offs and the supplier portal. Every change calls
``hyrkoll.ordering.workflow``; its refusals (``WorkflowError``) are shown to the user."""
