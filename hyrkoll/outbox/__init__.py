"""The outbox: every e-mail Hyrkoll sends, persisted and sent by the job worker (see ``services``)."""
