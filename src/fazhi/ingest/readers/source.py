"""Where the bytes come from: a path we open, or a binary file object the caller gives us.

Every reader needs to look at the start of the file and later read it again from the start, so the source must
be seekable; a non-seekable stream (a pipe, a socket) is first copied to an anonymous temporary file on disk, in
chunks, which keeps memory bounded whatever its size.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from typing import IO, Any

from .errors import UnusableFile

PathOrFile = str | os.PathLike[str] | IO[bytes]
_COPY_CHUNK = 1 << 20


class Source:
    """A seekable binary file plus what we know about it (its name, size, and whether we must close it)."""

    def __init__(self, file: IO[bytes], *, filename: str | None, owned: bool) -> None:
        self.file = file
        self.filename = filename
        self.owned = owned
        self.size = _size_of(file)

    @classmethod
    def open(cls, path_or_file: PathOrFile | Any, filename: str | None = None) -> Source:
        """Open a path (we own and close it) or adopt a binary file object (the caller keeps ownership)."""
        if isinstance(path_or_file, str | os.PathLike):
            path = os.fspath(path_or_file)
            try:
                handle: IO[bytes] = open(path, "rb")  # noqa: SIM115 - closed by Source.close()
            except IsADirectoryError as exc:
                raise UnusableFile(f"{path} 是一个目录，不是文件", reason="io") from exc
            except FileNotFoundError as exc:
                raise UnusableFile(f"找不到文件：{path}", reason="io") from exc
            except OSError as exc:
                raise UnusableFile(f"无法打开文件 {path}：{exc.strerror or exc}", reason="io") from exc
            return cls(handle, filename=filename or os.path.basename(path), owned=True)

        file = path_or_file
        if not hasattr(file, "read"):
            raise TypeError(f"open_table() needs a path or a binary file object, not {type(file).__name__}")
        if isinstance(file, io.TextIOBase) or isinstance(file.read(0), str):
            raise TypeError("open_table() needs a binary file object (opened with 'rb'), not a text stream")
        name = filename or _name_of(file)
        if _seekable(file):
            file.seek(0)
            return cls(file, filename=name, owned=False)
        spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by Source.close()
        try:
            shutil.copyfileobj(file, spool, _COPY_CHUNK)
            spool.seek(0)
        except BaseException:
            spool.close()
            raise
        return cls(spool, filename=name, owned=True)

    def head(self, size: int) -> bytes:
        """The first ``size`` bytes (fewer if the file is shorter); leaves the position at the start."""
        self.file.seek(0)
        data = self.file.read(size)
        self.file.seek(0)
        return data

    def close(self) -> None:
        if self.owned:
            self.file.close()


def _seekable(file: Any) -> bool:
    try:
        return bool(file.seekable()) if hasattr(file, "seekable") else False
    except (OSError, ValueError):
        return False


def _name_of(file: Any) -> str | None:
    name = getattr(file, "name", None)
    return os.path.basename(name) if isinstance(name, str) else None


def _size_of(file: IO[bytes]) -> int | None:
    try:
        position = file.tell()
        end = file.seek(0, os.SEEK_END)
        file.seek(position)
        return end
    except (OSError, ValueError):
        return None
