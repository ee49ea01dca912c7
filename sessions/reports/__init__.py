"""PDF progress reports: one client, or a team over a period (see data.py, pdf.py, tasks.py)."""
