"""SSE finance dashboard: data layer, transforms and chart builders (no Streamlit outside `ui`)."""

__version__ = "0.1.0"
