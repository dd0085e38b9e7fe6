"""Tests of pipeline/termbase/."""
