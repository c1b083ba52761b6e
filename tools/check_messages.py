"""Fail if the Swedish catalogue has untranslated or fuzzy entries, or its .mo is stale."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parent.parent / "hyrkoll" / "locale" / "sv" / "LC_MESSAGES" / "django.po"


def main() -> int:
    compiled = CATALOGUE.with_suffix(".mo")
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "django.mo"
        result = subprocess.run(
            ["msgfmt", "--check", "--statistics", "-o", str(fresh), str(CATALOGUE)],
            capture_output=True,
            text=True,
        )
        stats = result.stderr.strip()
        if result.returncode != 0:
            print(f"msgfmt failed: {stats}")
            return 1
        if "untranslated" in stats or "fuzzy" in stats:
            print(f"{CATALOGUE}: {stats} – translate every entry (make messages).")
            return 1
        if not compiled.exists() or compiled.read_bytes() != fresh.read_bytes():
            print(f"{compiled} is stale: run `make messages` and commit it.")
            return 1
    print(f"Swedish catalogue: {stats}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
