"""Checks: a locale's catalogs in, findings and a publishing verdict out.

Entry rules (plain functions in a list, as Babel's checkers), what they scan in a
string, findings with file and line, the disclaimer gate, and one locale checked
from end to end (the one path that ``build`` and ``check`` share)."""
