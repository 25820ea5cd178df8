"""Mapping tables as data, one module per source library (see MAPPINGS.md)."""
