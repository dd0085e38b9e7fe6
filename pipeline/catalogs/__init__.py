"""Catalogs: a Document in, gettext catalogs out, and back.

Extraction (Document → ``.pot``), merging into each locale's ``.po`` as GNU
``msgmerge`` does, PO reading (strict) and writing (GNU wrapping), status counts,
``.mo`` compilation, the interface strings (``ui``) and the translated Document
(Document × Catalog)."""
