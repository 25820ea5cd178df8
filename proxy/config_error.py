"""The one error every reader of strangler.toml raises (the front, parity, the CLI)."""


class ConfigError(ValueError):
    """A configuration problem, already phrased for a person: file, line, key, what is wrong."""
