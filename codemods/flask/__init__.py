"""Flask -> FastAPI: the rules, in the order they run, and the Flask mapping tables."""
