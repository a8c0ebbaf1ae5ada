"""The one error a reader raises for a file it cannot use at all.

Everything that is wrong with a single row is a ``Row.problems`` entry instead, so one bad row never costs the rest
of the file. ``UnusableFile`` is a ``FazhiError`` so the API, the upload page and the command all turn it into the
same Chinese message without knowing about readers.
"""

from __future__ import annotations

from fazhi.core.errors import FazhiError


class UnusableFile(FazhiError):
    """The file is not a table we can read: empty, binary, unknown encoding, broken XLSX, wrong JSON shape...

    ``message`` is Chinese and tells the person who uploaded the file what to do; ``reason`` is a short stable
    tag for machines and tests (``empty``, ``binary``, ``encoding``, ``not_table``, ``header_only``, ``xlsx``,
    ``json``, ``zip``, ``io``, ``too_large``...).
    """

    status = 422
    code = "unusable_file"
    default_message = "文件无法使用"

    def __init__(self, message: str | None = None, *, reason: str = "unusable") -> None:
        super().__init__(message)
        self.reason = reason
