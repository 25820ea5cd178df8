"""strangler's runtime: the front proxy, route modes and store, shadow/diff, parity, the CLI."""

__version__ = "0.1.0"
