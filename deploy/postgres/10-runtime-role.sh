#!/bin/sh
# First start of the database container (docker-entrypoint-initdb.d): the app's runtime role.
# POSTGRES_USER (kor) owns the tables and runs the migrations; kor_app is what the web app and
# the worker connect as. After every migrate, kor_app gets ordinary rights on the app's tables and
# only SELECT/INSERT on the audit log (kor/dbroles.py, DB_RUNTIME_ROLE).
set -eu
psql -v ON_ERROR_STOP=1 -v pw="${DB_APP_PASSWORD:-kor_app}" \
  --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
CREATE ROLE kor_app LOGIN PASSWORD :'pw';
SQL
