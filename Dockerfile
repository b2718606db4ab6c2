# The dashboard in a container. Saved datasets go to PostgreSQL (SSE_DASH_DATABASE_URL) when deployed; without it
# they go to a SQLite file under /data, which only suits a single container with a volume.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 SSE_DASH_DATA_DIR=/data
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
RUN useradd --create-home --uid 10001 dashboard && mkdir -p /data && chown dashboard /data
USER dashboard

EXPOSE 8501
# The script health check runs app.py once: it proves the app works and warms its caches before traffic arrives.
HEALTHCHECK --interval=30s --timeout=20s --start-period=60s --start-interval=2s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/script-health-check')"
CMD ["python", "-m", "streamlit", "run", "app.py", "--server.address=0.0.0.0", "--server.port=8501", "--server.headless=true"]
