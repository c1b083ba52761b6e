"""Swedish personal identity numbers (personnummer), kept only as keyed hashes.

Karens matching needs to know whether an offered consultant was employed by the region; it never
needs the number itself. The number is normalised to 12 digits (YYYYMMDDNNNN) and hashed with
HMAC-SHA256 under ``settings.PERSONAL_NUMBER_HASH_KEY``; only the hex digest is stored.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hyrkoll.lib.orgno import luhn_ok

_PATTERN = re.compile(r"^(\d{2})?(\d{6})[-+]?(\d{4})$")


def normalise(raw: str, today: datetime.date | None = None) -> str:
    """``YYMMDD-NNNN`` / ``YYYYMMDDNNNN`` → ``YYYYMMDDNNNN``; raises ValidationError if invalid."""
    text = raw.strip().replace(" ", "")
    match = _PATTERN.match(text)
    if not match:
        raise ValidationError(_("Not a personal identity number (YYYYMMDD-NNNN)."))
    century, short_date, tail = match.groups()
    if century is None:
        today = today or datetime.date.today()
        year = int(short_date[:2])
        # '+' marks someone aged 100 or more; otherwise the most recent matching century.
        century_value = (today.year // 100) * 100
        if century_value + year > today.year:
            century_value -= 100
        if "+" in text:
            century_value -= 100
        century = str(century_value // 100)
    full_date = century + short_date
    day = int(full_date[6:8])
    if day > 60:  # coordination number (samordningsnummer): day + 60
        day -= 60
    try:
        datetime.date(int(full_date[:4]), int(full_date[4:6]), day)
    except ValueError:
        raise ValidationError(_("The personal identity number has an impossible date.")) from None
    if not luhn_ok(short_date + tail):
        raise ValidationError(_("The personal identity number has a wrong check digit."))
    return full_date + tail


def keyed_hash(raw: str) -> str:
    """HMAC-SHA256 hex digest of the normalised number."""
    key = settings.PERSONAL_NUMBER_HASH_KEY.encode()
    return hmac.new(key, normalise(raw).encode(), hashlib.sha256).hexdigest()
