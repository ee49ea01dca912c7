"""gunicorn's settings file (read from the working directory): where it listens.

See kor/serving.py: behind a proxy, only the loopback address unless GUNICORN_BIND says otherwise.
Command-line options (--workers, --bind) still override what is here.
"""

import os

from kor.serving import gunicorn_bind

bind = gunicorn_bind(os.environ)
