"""Small helpers that generated code imports to keep the legacy framework's behaviour."""
