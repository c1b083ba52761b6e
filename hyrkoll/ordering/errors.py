"""The error an ordering step raises when it is not allowed.

A leaf module, so the assignment and compliance services can raise and catch the same class as the
ordering workflow without importing the workflow itself.
"""

from __future__ import annotations


class WorkflowError(Exception):
    """A step that is not allowed; the message is shown to the user."""
