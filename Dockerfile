FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# collectstatic needs settings, not a real secret or database: a throwaway key, kept nowhere.
RUN DJANGO_SECRET_KEY=$(python -c "import secrets; print(secrets.token_urlsafe(50))") \
    python manage.py collectstatic --no-input \
    && useradd --system --home /app app && chown -R app /app
USER app

EXPOSE 8000
# Without DJANGO_SECRET_KEY (a local try-out), a random key for this container run, shared by its workers.
CMD ["sh", "-c", "export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-$(python -c 'import secrets; print(secrets.token_urlsafe(50))')} && python manage.py migrate --no-input && python manage.py load_seed_data --if-empty && exec gunicorn -c spacediplo/gunicorn.conf.py spacediplo.wsgi --bind 0.0.0.0:8000 --access-logfile -"]
