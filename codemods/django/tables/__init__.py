"""Django's fields and options as data: what each becomes (docs/mappings.md, "Django")."""
