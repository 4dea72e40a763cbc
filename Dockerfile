# syntax=docker/dockerfile:1
# One image for both services and their schedulers; docker-compose.yml picks the command.

# --- GOV.UK Frontend and Swagger UI assets, installed from package-lock.json -------------------
FROM node:22-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# --- the Python application (Debian bookworm, as on the development and CI machines) ---------
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_NO_CACHE=1

# WeasyPrint's libraries (HarfBuzz subsetting keeps PDF rendering fast) and a font for documents.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN pip install --no-cache-dir uv==0.13.8

WORKDIR /app

# Dependencies first (cached until the lock changes), exactly as locked, without the dev group.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

COPY --from=assets /build/node_modules/govuk-frontend node_modules/govuk-frontend
COPY --from=assets /build/node_modules/swagger-ui-dist node_modules/swagger-ui-dist
COPY shared shared
COPY licensing_service licensing_service
COPY penalty_service penalty_service

RUN useradd --system --uid 10001 --no-create-home --home-dir /app app \
    && mkdir -p /app/instance \
    && chown app /app/instance
USER app

ENV PATH=/app/.venv/bin:$PATH \
    INSTANCE_DIR=/app/instance

EXPOSE 5001 5002
# docker-compose.yml sets the command of each service; this default serves the licensing service.
CMD ["gunicorn", "--no-control-socket", "--logger-class", "shared.access_log.RedactingLogger", "--workers", "2", "--bind", "0.0.0.0:5001", "licensing_service:create_app()"]
