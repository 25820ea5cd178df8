"""flask_shop routes migrated to FastAPI (by hand for now; the codemods will regenerate them)."""
