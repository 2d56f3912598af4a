FROM python:3.11-slim-bookworm

# Pango for WeasyPrint, a CJK font so that PDFs render Chinese, Graphviz for the flowcharts.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk gettext graphviz \
 && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.lock ./
# Every line of the lock carries hashes, so pip checks each download against them.
RUN pip install --no-cache-dir --require-hashes -r requirements.lock
COPY . .
# The same settings the containers run with; the values are placeholders for this step only.
RUN DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=build-only-collectstatic-not-a-real-key-0123456789abcdef \
    ALLOWED_HOSTS=build DATABASE_URL=sqlite:////tmp/build.sqlite3 REDIS_URL=redis://build SITE_URL=https://build \
    EMAIL_URL=consolemail:// python manage.py collectstatic --noinput

# The processes run as an unprivileged user: the code and static files stay root's, read-only
# to them; only the media volume is theirs.
RUN useradd --system --uid 10001 --create-home --home-dir /home/lianzheng lianzheng \
 && mkdir -p /data/media && chown lianzheng:lianzheng /data/media
USER lianzheng

ENV DJANGO_SETTINGS_MODULE=config.settings.production PORT=8000
EXPOSE 8000
CMD ["sh", "-c", "gunicorn config.wsgi --bind 0.0.0.0:${PORT} --workers 3 --no-control-socket --access-logfile -"]
