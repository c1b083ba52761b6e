"""The event feed: what happened to an organisation's call-offs, offers, time reports, invoices and
decisions, in one list a system polls with a stable cursor (``GET /api/v1/events/``)."""
