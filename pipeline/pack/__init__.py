"""Packs: one locale's page and audio in, a reproducible zip with a README in that
language and a manifest out; and ``verify``, which checks a pack against its manifest."""
