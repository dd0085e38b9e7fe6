"""The termbase: one glossary per language, and the terms it finds in catalogs.

``locales/<lang>/glossary.tbx`` (TBX, read and written with translate-toolkit's TBX
storage, as Weblate and CAT tools exchange glossaries) and/or ``glossary.csv``: source
terms with their approved translation, admitted variants, forbidden variants, part of
speech and a note. :mod:`.glossary` reads and writes the files, :mod:`.match` finds terms
in text (word boundaries, English plurals) and annotates PO entries, :mod:`.report`
counts how terms are used and proposes new ones."""
