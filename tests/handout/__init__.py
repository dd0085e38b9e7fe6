"""Tests of pipeline/handout/."""
