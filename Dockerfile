# Recognito in a container: the wheel built from this checkout, installed into a venv,
# run by an unprivileged user with its SQLite data (or nothing, with PostgreSQL) in /data.
#
#   docker build -t recognito .
#   docker run -p 9229:9229 -v recognito-data:/data \
#     -v ./admin-credentials.toml:/etc/recognito/admin-credentials.toml:ro recognito
#
# Listening on 0.0.0.0, the server refuses to start with admin calls unauthenticated:
# make the credentials file first (`recognito credentials create --file
# admin-credentials.toml`), or, on a trusted network only, run with
# RECOGNITO_ADMIN_CREDENTIALS= (empty) and RECOGNITO_ALLOW_REMOTE_ADMIN=1.
# Every flag is also a RECOGNITO_<FLAG> variable (README: Configuration, Container).

FROM python:3.11.11-slim-bookworm AS build
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY recognito ./recognito
# the wheel carries the templates, static files and migrations (package-data)
RUN python -m pip install --no-cache-dir "build>=1.2,<2" \
    && python -m build --wheel --outdir /wheels \
    && python -m venv /opt/recognito \
    && /opt/recognito/bin/pip install --no-cache-dir /wheels/recognito-*.whl

FROM python:3.11.11-slim-bookworm
RUN groupadd --system --gid 10001 recognito \
    && useradd --system --uid 10001 --gid recognito --home-dir /data --no-create-home \
       --shell /usr/sbin/nologin recognito \
    && mkdir /data \
    && chown recognito:recognito /data
COPY --from=build /opt/recognito /opt/recognito
ENV PATH=/opt/recognito/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    RECOGNITO_DATA_DIR=/data \
    RECOGNITO_ADMIN_CREDENTIALS=/etc/recognito/admin-credentials.toml \
    RECOGNITO_LOG_FORMAT=json
USER recognito
WORKDIR /data
VOLUME ["/data"]
EXPOSE 9229
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:9229/health', timeout=4).status != 200)"]
CMD ["recognito", "serve", "--host", "0.0.0.0", "--port", "9229", "--data-dir", "/data"]
