"""`strangler serve`: not written yet (see the open issues)."""
