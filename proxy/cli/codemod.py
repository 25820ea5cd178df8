"""`strangler codemod`: not written yet (see the open issues)."""
