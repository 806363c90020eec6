"""Small file helpers shared by the pipeline, the model code and training: atomic writes and file hashes.

Kept free of heavy imports (no pyarrow, no scikit-learn), so that loading the theme model for library use
(:func:`pipeline.themes.classify_themes`) does not pull in the rest of the pipeline.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path

__all__ = ["file_sha256", "write_atomic"]


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write text (UTF-8) or bytes to ``path`` through a temporary file beside it, flushed to disk, and a
    rename: a reader sees the old file or the new one, never half of one."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        if isinstance(data, bytes):
            with open(tmp, "wb") as fb:
                fb.write(data)
                fb.flush()
                os.fsync(fb.fileno())
        else:
            with open(tmp, "w", encoding="utf-8") as ft:
                ft.write(data)
                ft.flush()
                os.fsync(ft.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def file_sha256(path: str | os.PathLike[str]) -> str:
    """The sha256 of a file, read in 1 MiB chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
