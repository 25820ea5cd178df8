"""One rule per file; `codemods.flask.registry` lists them in the order they run."""
