"""Tests of pipeline/readability/."""
