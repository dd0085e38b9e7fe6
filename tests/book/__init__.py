"""Tests of pipeline/book/."""
