# One image for the legacy example apps and the strangler front (docker-compose.yml picks the command).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY proxy ./proxy
COPY codemods ./codemods
COPY legacy_examples ./legacy_examples
COPY migrated ./migrated
COPY strangler.toml ./
RUN pip install --no-cache-dir '.[legacy]'
# The wheel holds the toolkit only: the example apps are imported from /app.
ENV PYTHONPATH=/app
# /app comes first on the path, and PYTHONDONTWRITEBYTECODE keeps imports from caching their
# bytecode: compile it once here, or every `strangler` call compiles the toolkit again.
RUN python -m compileall -q /app/proxy /app/codemods /app/legacy_examples /app/migrated
EXPOSE 8000 8001
CMD ["strangler", "serve", "--config", "/app/strangler.toml", "--host", "0.0.0.0", "--port", "8000"]
