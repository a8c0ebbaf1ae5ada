"""Writing a submission's files to the file store (``MEDIA_ROOT``) all or nothing.

A store that refuses a write — full, read-only, gone — must leave neither a half-written file nor the files the
same submission wrote before it: the records are rolled back by the caller's transaction, and this removes the
files. Every service that stores uploads writes them inside :func:`all_or_nothing`::

    with transaction.atomic(), all_or_nothing() as written:
        written.append(target)              # the name about to be written, so a partial file is removed too
        name = default_storage.save(target, content)
        written.append(name)

An ``OSError`` inside the block removes what ``written`` names and raises ``StorageUnavailable`` (a clear Chinese
message, HTTP 503), which rolls the transaction back.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.core.files.storage import Storage, default_storage

from .errors import StorageUnavailable

logger = logging.getLogger(__name__)


@contextmanager
def all_or_nothing(storage: Storage | None = None) -> Iterator[list[str]]:
    written: list[str] = []
    try:
        yield written
    except OSError as exc:
        delete_quietly(written, storage)
        logger.error("file store refused a write, nothing kept: %s", exc)
        raise StorageUnavailable() from exc


def delete_quietly(names: Iterable[str], storage: Storage | None = None) -> None:
    """Remove ``names`` from the store, logging (not raising) what cannot be removed."""
    store = storage or default_storage
    for name in dict.fromkeys(n for n in names if n):
        try:
            store.delete(name)
        except OSError:
            logger.warning("could not remove %s after a failed save", name)
