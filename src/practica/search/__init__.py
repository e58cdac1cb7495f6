"""One search interface for every app (see backends.py)."""
