"""Reading Peppol documents safely: one XML document, or a .zip of them.

Before the parser sees a byte, a document is refused if it is larger than
``settings.PEPPOL_MAX_DOCUMENT_BYTES`` (10 MB), is not UTF-8 (Peppol requires UTF-8; this also keeps
the byte scan below honest) or declares a DOCTYPE or an ENTITY anywhere – so an XXE or an entity
expansion ("billion laughs") is never expanded. The parser itself resolves no entities, loads no DTD,
uses no network and keeps libxml2's limits (no ``huge_tree``); the tree is refused deeper than
``MAX_DEPTH``. A .zip holds at most ``settings.PEPPOL_MAX_ZIP_MEMBERS`` members, only ``.xml`` files,
not encrypted, at most ``settings.PEPPOL_MAX_ZIP_BYTES`` uncompressed in all; each member is read with
a bounded read, so a zip bomb (sizes that lie, or a huge ratio) stops at the limit.
"""

from __future__ import annotations

import io
import re
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _
from lxml import etree

from hyrkoll.invoicing.peppol.findings import DocumentRejected, Finding

MAX_DEPTH = 40
_DEFAULT_DOCUMENT_BYTES = 10 * 1024 * 1024
_DEFAULT_ZIP_MEMBERS = 200
_DEFAULT_ZIP_BYTES = 50 * 1024 * 1024
_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_FORBIDDEN = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def max_document_bytes() -> int:
    return int(getattr(settings, "PEPPOL_MAX_DOCUMENT_BYTES", _DEFAULT_DOCUMENT_BYTES))


def max_zip_members() -> int:
    return int(getattr(settings, "PEPPOL_MAX_ZIP_MEMBERS", _DEFAULT_ZIP_MEMBERS))


def max_zip_bytes() -> int:
    return int(getattr(settings, "PEPPOL_MAX_ZIP_BYTES", _DEFAULT_ZIP_BYTES))


def _is_zip(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def is_peppol_upload(data: bytes, filename: str) -> bool:
    """An .xml or .zip file, or – without one of the table extensions – content that looks like XML.
    An Excel workbook (a zip too) is not one."""
    name = filename.lower()
    if name.endswith((".xml", ".zip")):
        return True
    if name.endswith((".csv", ".txt", ".tsv", ".xlsx")):
        return False
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return True
    return _is_zip(data) and b"[Content_Types].xml" not in data[:4096] and b"xl/" not in data[:4096]


def documents(data: bytes, filename: str) -> list[tuple[str, bytes]]:
    """The documents of an upload: ``[(name, bytes)]`` – one, or the members of a .zip."""
    if _is_zip(data) or filename.lower().endswith(".zip"):
        return _zip_members(data, filename)
    if len(data) > max_document_bytes():
        raise DocumentRejected(
            [
                Finding(
                    "HYRKOLL-XML-01", _("The document is larger than %(mb)d MB.") % _mb(max_document_bytes())
                )
            ]
        )
    return [(filename, data)]


def _mb(limit: int) -> dict[str, int]:
    return {"mb": max(1, limit // (1024 * 1024))}


def _zip_members(data: bytes, filename: str) -> list[tuple[str, bytes]]:
    def refuse(message: str, member: str = "") -> DocumentRejected:
        return DocumentRejected([Finding("HYRKOLL-ZIP-01", message, document=member or filename)])

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise refuse(_("The file is not a readable .zip archive.")) from None
    members = [info for info in infos if not info.is_dir()]
    if not members:
        raise refuse(_("The .zip archive holds no documents."))
    if len(members) > max_zip_members():
        raise refuse(_("The .zip archive holds more than %(count)d files.") % {"count": max_zip_members()})
    for info in members:
        if not info.filename.lower().endswith(".xml"):
            raise refuse(_("Only .xml documents may be in the .zip archive."), info.filename)
        if info.flag_bits & 0x1:
            raise refuse(_("Encrypted members are not accepted."), info.filename)
    budget = max_zip_bytes()
    if sum(info.file_size for info in members) > budget:
        raise refuse(_("The documents are larger than %(mb)d MB uncompressed.") % _mb(budget))
    result = []
    for info in members:
        limit = min(max_document_bytes(), budget)
        try:
            with archive.open(info) as member:
                content = member.read(limit + 1)  # never more than the limit, whatever the header says
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError):
            raise refuse(_("The member cannot be read."), info.filename) from None
        if len(content) > limit:
            raise refuse(_("The document is larger than %(mb)d MB.") % _mb(limit), info.filename)
        budget -= len(content)
        result.append((info.filename, content))
    return result


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
    )


def parse(data: bytes, name: str = "") -> etree._ElementTree:
    """The document's tree, or :class:`DocumentRejected` with what is wrong."""

    def refuse(rule: str, message: str, location: str = "") -> DocumentRejected:
        return DocumentRejected([Finding(rule, message, location, name)])

    if len(data) > max_document_bytes():
        raise refuse(
            "HYRKOLL-XML-01", _("The document is larger than %(mb)d MB.") % _mb(max_document_bytes())
        )
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4]:
        raise refuse("HYRKOLL-XML-02", _("The document must be encoded in UTF-8."))
    declared = _DECLARATION.match(data.removeprefix(b"\xef\xbb\xbf"))
    if declared and declared.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8"):
        raise refuse("HYRKOLL-XML-02", _("The document must be encoded in UTF-8."))
    if _FORBIDDEN.search(data):
        raise refuse(
            "HYRKOLL-XML-03",
            _("DOCTYPE and ENTITY declarations are not allowed (no DTDs or entities in Peppol documents)."),
        )
    try:
        tree = etree.parse(io.BytesIO(data), _parser())
    except etree.XMLSyntaxError as error:
        message = _("The document is not well-formed XML: %(error)s") % {"error": error.msg}
        raise refuse("HYRKOLL-XML-04", message, f"line {error.lineno}" if error.lineno else "") from None
    if tree.docinfo.doctype:  # belt and braces: the byte scan above should have caught it
        raise refuse("HYRKOLL-XML-03", _("DOCTYPE declarations are not allowed."))
    depth = 0
    for event, element in etree.iterwalk(tree, events=("start", "end")):
        if isinstance(element, etree._Entity):
            raise refuse(
                "HYRKOLL-XML-03", _("Entity references are not allowed."), f"line {element.sourceline}"
            )
        depth += 1 if event == "start" else -1
        if depth > MAX_DEPTH:
            raise refuse(
                "HYRKOLL-XML-05",
                _("The document is nested deeper than %(depth)d levels.") % {"depth": MAX_DEPTH},
                f"line {element.sourceline}",
            )
    return tree
