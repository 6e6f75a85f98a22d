"""The Import page's way in: preview an uploaded file, then commit it as previewed.

The page holds bytes, not files; this module turns them into a file beside the store only
for the length of one import (:func:`dashboard.staging.save_upload`) and always removes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import store
from .staging import save_upload

if TYPE_CHECKING:
    from .importer import ImportResult, Progress


@dataclass
class Preview:
    """What importing an upload would do (a dry run's result), and the way to do it.

    It holds the uploaded bytes, never a file: :func:`preview` and :meth:`commit` each write
    them next to the store under a name of our own, import from there and delete that file
    before returning, whatever happens. A preview that is dropped leaves nothing on disk.
    """

    result: ImportResult
    name: str
    store_path: Path
    fmt: str = "auto"
    on_problem: str = "skip"
    on_duplicate: str = "skip"
    data: bytes = field(default=b"", repr=False)

    @property
    def blocked(self) -> bool:
        """True when the "cancel" policy would refuse the whole file."""
        return self.on_problem == "cancel" and self.result.problems_total > 0

    def commit(self, progress: Progress | None = None) -> ImportResult:
        """Import the upload as previewed; raises as :func:`import_file` does."""
        return _import_upload(
            self.data,
            self.name,
            self.store_path,
            dry_run=False,
            progress=progress,
            fmt=self.fmt,
            on_problem=self.on_problem,
            on_duplicate=self.on_duplicate,
        )


def preview(
    data: bytes,
    name: str,
    store_path: Path | None = None,
    *,
    fmt: str = "auto",
    on_problem: str = "skip",
    on_duplicate: str = "skip",
    progress: Progress | None = None,
) -> Preview:
    """Check an uploaded file (``name`` is the user's file name) without writing anything.

    Raises :class:`ImportFailed` (or a store error) as :func:`import_file` does; the
    upload's temporary file is gone either way.
    """
    store_path = Path(store_path or store.default_store_path())
    options = {"fmt": fmt, "on_problem": on_problem, "on_duplicate": on_duplicate}
    result = _import_upload(data, name, store_path, dry_run=True, progress=progress, **options)
    return Preview(result, name, store_path, data=data, **options)


def _import_upload(data: bytes, name: str, store_path: Path, **options) -> ImportResult:
    from . import importer  # the importer re-exports this module's names

    path = save_upload(store_path, name, data)
    try:
        return importer.import_file(path, store_path, file_name=name, **options)
    finally:
        path.unlink(missing_ok=True)
