"""The large-print handout: one locale's page, printed to a tagged PDF (PDF/UA-1)."""
