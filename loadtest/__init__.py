"""`make loadtest`: a load and fault test against gunicorn with production settings (issue 12)."""
