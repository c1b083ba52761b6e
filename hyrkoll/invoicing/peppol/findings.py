"""What is wrong with a Peppol document: a rule id, a message and where in the document."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    """One failed rule. ``location`` is an XPath-like path and/or ``line N``; ``document`` names the
    document in a .zip."""

    rule: str
    message: str
    location: str = ""
    document: str = ""

    def __str__(self) -> str:
        where = ", ".join(part for part in (self.document, self.location) if part)
        return f"[{self.rule}] {self.message}" + (f" ({where})" if where else "")

    def as_dict(self) -> dict[str, str]:
        location = " ".join(part for part in (self.document, self.location) if part)
        return {"rule": self.rule, "message": self.message, "location": location}


class DocumentRejected(Exception):
    """The document (or one in the .zip) is refused; nothing was stored."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("; ".join(str(finding) for finding in findings[:5]))
        self.findings = findings
