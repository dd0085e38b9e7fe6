"""Audio: a checked, translated Document in, spoken MP3 tracks out.

The spoken script, its normalization for listening (lexicons kept as data), the
phoneme lint, synthesis through pyttsx3 over espeak-ng, MP3 encoding with chapters,
and the track cache."""
