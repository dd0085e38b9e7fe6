"""The handout's fonts subset without a copy of each whole font file in memory.

WeasyPrint 70 (pinned in ``pyproject.toml``) makes a ``Font`` for each face a PDF uses,
and the first thing it does is copy the face's whole file into a Python ``bytes``
(``get_hb_object_data`` of the HarfBuzz face), which the subset HarfBuzz makes from the
face itself replaces a moment later. For the Chinese handout those files are Noto Sans
CJK's collections, regular and bold: some 40 MB copied for every Chinese handout, to be
thrown away. The renderer's process peaked at 144 MiB for one Chinese handout (64 before
the PDF was written) and kept 108 MiB; with :func:`share_font_files`, 78 and 78.

:func:`share_font_files` has the ``Font`` take a read-only view of the bytes HarfBuzz
already holds (the file as fontconfig's face has it mapped), kept alive with the
``Font``, instead of the copy. Nothing else changes: HarfBuzz subsets the face as
before and WeasyPrint keeps the subset's bytes; a font that is not subset (no glyph
used, ``full_fonts``, a subset that failed) gets its copy after all, before WeasyPrint
writes it, so the PDF is the same byte for byte (the tests compare).
"""

from __future__ import annotations

import threading
import weakref
from types import ModuleType
from typing import Any

_MAKING = threading.local()
"""Per thread: the HarfBuzz blob of the ``Font`` being made (``blob``), while it is."""
_FILES: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()
"""Each ``Font`` whose data is a view: the HarfBuzz blob the view reads (released with
the ``Font``, or once its data is its own)."""
_SHARED = "_carepack_shares_font_files"
"""Set on WeasyPrint's ``Font`` class once :func:`share_font_files` adapted it."""


def _face_view(ffi: Any, harfbuzz: Any, hb_face: Any) -> tuple[Any, memoryview] | None:
    """The face's blob (a reference, released when collected) and a read-only view of
    its bytes, or ``None`` when HarfBuzz has no data for it."""
    blob = ffi.gc(harfbuzz.hb_face_reference_blob(hb_face), harfbuzz.hb_blob_destroy)
    length = ffi.new("unsigned int *")
    data = harfbuzz.hb_blob_get_data(blob, length)
    if data == ffi.NULL:
        return None
    return blob, memoryview(ffi.buffer(data, int(length[0]))).toreadonly()


def share_font_files(fonts: ModuleType) -> None:
    """Adapt ``weasyprint.pdf.fonts`` (``fonts``) as the module docstring says; once."""
    font_class = fonts.Font
    if getattr(font_class, _SHARED, False):
        return
    from weasyprint.text.ffi import ffi, harfbuzz

    copy_data = fonts.get_hb_object_data
    make, subset = font_class.__init__, font_class.subset

    def get_hb_object_data(hb_object: Any, ot_color: Any = None, glyph: Any = None) -> Any:
        if ot_color is None and getattr(_MAKING, "blob", False) is None:  # the new Font's face
            view = _face_view(ffi, harfbuzz, hb_object)
            if view is not None:
                _MAKING.blob, data = view
                return data
        return copy_data(hb_object, ot_color, glyph)

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        _MAKING.blob = None
        try:
            make(self, *args, **kwargs)
            if _MAKING.blob is not None:
                _FILES[self] = _MAKING.blob  # what the view reads, kept as long as it is
        finally:
            del _MAKING.blob

    def subset_then_own(self: Any, *args: Any, **kwargs: Any) -> None:
        subset(self, *args, **kwargs)
        if isinstance(self.file_content, memoryview):  # not subset: the copy after all
            self.file_content = self.file_content.tobytes()
        _FILES.pop(self, None)

    setattr(fonts, "get_hb_object_data", get_hb_object_data)  # noqa: B010  # the module is Any
    font_class.__init__ = init
    font_class.subset = subset_then_own
    setattr(font_class, _SHARED, True)
