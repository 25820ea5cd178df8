"""Mapping tables as data, one module per source library (docs/mappings.md)."""
