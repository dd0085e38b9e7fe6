"""``make bench``: the build's speed against the floor of speech synthesis (not a test)."""
