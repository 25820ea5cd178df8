"""libcst codemods: legacy Flask/Django modules -> FastAPI routers and Pydantic schemas."""
