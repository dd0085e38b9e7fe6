"""Tests of pipeline/source/."""
