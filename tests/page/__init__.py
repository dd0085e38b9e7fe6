"""Tests of pipeline/page/."""
