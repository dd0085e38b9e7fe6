"""Tests of pipeline/checks/."""
