# Production image for FundPortal (web, worker and beat share it). See docker-compose.yml.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 FUNDPORTAL_ENV=production
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext nodejs npm curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml constraints.txt package.json package-lock.json ./
RUN pip install --no-cache-dir -c constraints.txt '.[s3]' && npm ci --omit=dev --no-audit --no-fund
COPY . .
RUN DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=build PORTAL_URL=https://build.invalid \
    EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend python manage.py collectstatic --no-input -v0 \
    && python manage.py compilemessages --ignore=node_modules -v0
RUN useradd --create-home fundportal && mkdir -p /data/media && chown fundportal /data/media
USER fundportal
EXPOSE 8000
CMD ["gunicorn", "fundportal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
