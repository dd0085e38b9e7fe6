"""Tests of pipeline/audio/."""
