"""The talking book: EPUB 3 with media overlays (text and audio in sync)."""
