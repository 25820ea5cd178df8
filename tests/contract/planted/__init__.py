"""A legacy Flask app and its FastAPI twin, sharing one SQLite database, with planted differences.

Each planted difference is a switch of the twin (PLANTED_DIFFERENCES, comma-separated); with no
switch on, the twin answers exactly like the legacy app.
"""
