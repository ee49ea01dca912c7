# The KOR web app: gunicorn behind whitenoise for static files. Same lock file as `make`.
FROM python:3.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/opt/venv PATH=/opt/venv/bin:$PATH
RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext libpango-1.0-0 libpangoft2-1.0-0 \
      libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/* \
 && pip install --no-cache-dir uv

WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
# Build-time only: collectstatic and compilemessages need some key; the real one comes at run time.
RUN SECRET_KEY=build-only python manage.py compilemessages -v0 --ignore=/opt/venv \
 && SECRET_KEY=build-only python manage.py collectstatic --noinput -v0 \
 && useradd --system --home /app kor && mkdir -p /app/var && chown kor /app/var
USER kor
EXPOSE 8000
# Where it listens: gunicorn.conf.py (loopback only with BEHIND_PROXY=1 unless GUNICORN_BIND).
CMD ["gunicorn", "kor.wsgi", "--workers", "3", "--access-logfile", "-"]
