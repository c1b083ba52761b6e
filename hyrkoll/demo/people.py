"""Invented people and the ASCII forms of their names (usernames, e-mail addresses)."""

from __future__ import annotations

import random
import re

from hyrkoll.demo.data import FEMALE_FIRST_NAMES, LAST_NAMES, MALE_FIRST_NAMES

_ASCII = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u", "æ": "ae", "ø": "o"})


def ascii_slug(text: str, separator: str = "") -> str:
    """Lower-case ASCII words joined by ``separator``: ``"Läkarbemanning Norr"`` → ``"lakarbemanningnorr"``."""
    words = re.findall(r"[a-z0-9]+", text.lower().translate(_ASCII))
    return separator.join(words)


def random_person(rng: random.Random, female_share: float = 0.5) -> tuple[str, str]:
    """A (first name, last name) pair from common Swedish names; combinations are random."""
    names = FEMALE_FIRST_NAMES if rng.random() < female_share else MALE_FIRST_NAMES
    return rng.choice(names), rng.choice(LAST_NAMES)


class EmailBook:
    """Hands out ``first.last@domain`` addresses, numbering duplicates (``first.last2@domain``)."""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def address(self, first: str, last: str, domain: str) -> str:
        local = f"{ascii_slug(first)}.{ascii_slug(last)}"
        candidate, number = f"{local}@{domain}", 1
        while candidate in self._used:
            number += 1
            candidate = f"{local}{number}@{domain}"
        self._used.add(candidate)
        return candidate
