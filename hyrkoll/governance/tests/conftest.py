"""The governance tests read messages in English: the client asks for English (as a browser
would), and code outside a request runs under English too. Swedish is tested elsewhere."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def english(client: Any) -> Iterator[None]:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield
