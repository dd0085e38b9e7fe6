"""Reading level: a translated Document in, a report out (per document, section and
sentence, by the formulas valid for each language), offline, cached by content,
printed as a table, JSON or an HTML report."""
