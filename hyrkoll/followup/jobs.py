"""Running uploaded imports in the background: a job queue kept in the database.

A file uploaded in the web app is stored (``CostImport.file``) with status QUEUED, and the upload
page shows its progress from then on. The worker, ``hyrkoll run_jobs``, claims queued imports one
at a time with a compare-and-set update (QUEUED → RUNNING where the status is still QUEUED; only
the process whose update changed exactly one row runs it, so two workers never run the same
import), runs the importer with a progress callback that writes ``lines``/``lines_done`` to the
row with ``update()``, and leaves the import DONE or REJECTED. An import that crashes is marked
REJECTED with the error; its transaction is rolled back, so nothing changed.

So that the demo works without a separate worker process, the upload view also starts
:func:`run_in_thread` for the new import when the setting ``FOLLOWUP_IMPORT_INLINE_THREAD`` is
true (default: true when ``DEBUG`` is on). The thread claims the import through the same
compare-and-set, so a worker running beside it cannot run it twice. Either way the database row
is the source of truth: the progress page only reads it. In production, run ``hyrkoll run_jobs
--loop`` as a service and leave the setting off. An import left RUNNING by a worker that died is
queued again with ``hyrkoll run_jobs --requeue-running`` (only when no worker is running).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hyrkoll.followup import importing
from hyrkoll.followup.models import CostImport, ImportStatus
from hyrkoll.organisation.models import Region

logger = logging.getLogger(__name__)


def inline_thread_enabled() -> bool:
    return bool(getattr(settings, "FOLLOWUP_IMPORT_INLINE_THREAD", settings.DEBUG))


def enqueue(
    actor: Any,
    upload: UploadedFile,
    *,
    kind: str,
    replace: bool,
    region: Region | None,
    definition_note: str = "",
) -> CostImport:
    """Store the uploaded file as a QUEUED import (``region``: a region user's own upload)."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    cost_import = CostImport(
        kind=kind,
        status=ImportStatus.QUEUED,
        region=region,
        created_by=actor,
        filename=(upload.name or "upload")[:255],
        sha256=digest.hexdigest(),
        replace=replace,
        definition_note=definition_note[:300],
    )
    cost_import.file.save(upload.name or "upload", upload, save=False)
    cost_import.save()
    return cost_import


def claim(import_id: int | None = None) -> CostImport | None:
    """Take the oldest queued import (or the given one) for this process; None if there is none."""
    queued = CostImport.objects.filter(status=ImportStatus.QUEUED)
    if import_id is not None:
        queued = queued.filter(pk=import_id)
    for pk in queued.order_by("created_at", "pk").values_list("pk", flat=True)[:20]:
        taken = CostImport.objects.filter(pk=pk, status=ImportStatus.QUEUED).update(
            status=ImportStatus.RUNNING, lines_done=0
        )
        if taken == 1:
            return CostImport.objects.get(pk=pk)
    return None


def _progress_writer(pk: int) -> importing.Progress:
    def write(done: int, total: int) -> None:
        CostImport.objects.filter(pk=pk).update(lines=total, lines_done=done)

    return write


def _stored_file(cost_import: CostImport) -> bytes | Path:
    """The uploaded file's path where the storage keeps files on disk (a large CSV file is then read
    where it lies), else its bytes."""
    try:
        return Path(cost_import.file.path)
    except NotImplementedError:  # a storage without local files
        with cost_import.file.open("rb") as stored:
            return stored.read()


def execute(cost_import: CostImport) -> CostImport:
    """Run a claimed (RUNNING) import to its end; never raises for a bad file or a crash."""
    pk = cost_import.pk
    try:
        data = _stored_file(cost_import)
        with translation.override(settings.LANGUAGE_CODE):
            importing.import_file(
                cost_import.kind,
                data,
                cost_import.filename,
                actor=cost_import.created_by,
                region=cost_import.region,
                progress=_progress_writer(pk),
                record=cost_import,
            )
    except Exception as error:  # a crash must not leave the import RUNNING
        logger.exception("Import %s failed", pk)
        with translation.override(settings.LANGUAGE_CODE):
            message = _("The import stopped with an error; nothing was changed (%(error)s).") % {
                "error": f"{type(error).__name__}: {error}"[:300]
            }
        CostImport.objects.filter(pk=pk).update(
            status=ImportStatus.REJECTED,
            finished_at=timezone.now(),
            errors=[{"row": None, "field": "", "value": "", "message": message}],
        )
    return CostImport.objects.get(pk=pk)


def run_next() -> CostImport | None:
    """Claim and run one queued import; None if the queue is empty."""
    cost_import = claim()
    return execute(cost_import) if cost_import is not None else None


def run_pending(limit: int | None = None) -> list[CostImport]:
    """Run queued imports until the queue is empty (or ``limit`` have run)."""
    done: list[CostImport] = []
    while limit is None or len(done) < limit:
        cost_import = run_next()
        if cost_import is None:
            break
        done.append(cost_import)
    return done


def requeue_running() -> int:
    """Queue again the imports left RUNNING by a worker that stopped (run when no worker runs)."""
    return CostImport.objects.filter(status=ImportStatus.RUNNING).update(
        status=ImportStatus.QUEUED, lines_done=0
    )


def run_in_thread(import_id: int) -> threading.Thread:
    """Run one queued import in a thread of this process (the demo's stand-in for a worker)."""

    def target() -> None:
        try:
            cost_import = claim(import_id)
            if cost_import is not None:
                execute(cost_import)
        finally:
            connections.close_all()  # this thread's connections only

    thread = threading.Thread(target=target, name=f"followup-import-{import_id}", daemon=True)
    thread.start()
    return thread


def start_inline_after_commit(import_id: int) -> None:
    """If enabled, run the import in a thread once the upload's transaction has committed."""
    if inline_thread_enabled():
        transaction.on_commit(lambda: run_in_thread(import_id))
