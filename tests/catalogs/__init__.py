"""Tests of pipeline/catalogs/."""
