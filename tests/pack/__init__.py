"""Tests of pipeline/pack/."""
