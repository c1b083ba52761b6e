"""Forecast of hired and own personnel cost and the share, per region and for the nation (issue 14)."""
