"""The ordering flow's fixtures (region A with every role, suppliers A and B) for the outbox tests."""

from hyrkoll.ordering.tests.conftest import flow  # noqa: F401
