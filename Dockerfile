FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

COPY requirements.txt .
RUN pip install -r requirements.txt

# .dockerignore keeps local environments, databases and .env out.
COPY . .
# collectstatic needs settings, not a real secret or database: a throwaway key, kept nowhere.
RUN DJANGO_SECRET_KEY=$(python -c "import secrets; print(secrets.token_urlsafe(50))") \
    python manage.py collectstatic --no-input \
    && useradd --system --home /app app && chown -R app /app
USER app

EXPOSE 8000
# Serving, and its database answering. The first start migrates and loads the seed data before gunicorn listens.
HEALTHCHECK --interval=10s --timeout=6s --start-period=120s --retries=3 CMD ["python", "-m", "spacediplo.healthcheck"]
# Migrate, load the seed data into an empty database, serve with gunicorn (the script says what happens without
# DJANGO_SECRET_KEY).
CMD ["sh", "scripts/container-start.sh"]
