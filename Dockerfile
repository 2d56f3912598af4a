FROM python:3.11-slim-bookworm

# Pango for WeasyPrint, a CJK font so that PDFs render Chinese.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk gettext graphviz \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
RUN SECRET_KEY=build-only-collectstatic DJANGO_SETTINGS_MODULE=config.settings.local python manage.py collectstatic --noinput

ENV DJANGO_SETTINGS_MODULE=config.settings.production PORT=8000
EXPOSE 8000
CMD ["sh", "-c", "gunicorn config.wsgi --bind 0.0.0.0:${PORT} --workers 3 --no-control-socket --access-logfile -"]
