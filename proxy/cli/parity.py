"""`strangler parity`: not written yet (see the open issues)."""
