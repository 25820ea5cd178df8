"""FastAPI code produced from legacy_examples by the codemods (plus hand finishing)."""
