#!/bin/sh
# One PostgreSQL role per service, owning only its own schema (least privilege): tosei_intake
# owns schema intake, and so on. No service can read or change another's schema, create
# schemas, or connect to any other database. Run once by the postgres image on a new volume
# (docker-compose.yml mounts it into /docker-entrypoint-initdb.d), or by hand on any server:
#
#   PGHOST=... PGUSER=<admin> POSTGRES_DB=tosei TOSEI_INTAKE_DB_PASSWORD=... sh service-roles.sh
#
# It is safe to run again: existing roles get the password given now. Passwords come from
# TOSEI_<SERVICE>_DB_PASSWORD and end up in a URL, so use URL-safe ones (openssl rand -hex 32).
# `tosei replay` builds a schema anew, so run it with an administrator's URL, not a service's.
set -eu

: "${POSTGRES_DB:?the database the services share (tosei)}"
admin="${POSTGRES_USER:-${PGUSER:-postgres}}"
services="${TOSEI_SERVICES:-intake caseflow seminar resilience requests console}"

for service in $services; do
  variable="TOSEI_$(echo "$service" | tr '[:lower:]' '[:upper:]')_DB_PASSWORD"
  eval "password=\${$variable:-}"
  if [ -z "$password" ]; then
    echo "service-roles.sh: set $variable (the password of role tosei_$service)" >&2
    exit 1
  fi
  psql -v ON_ERROR_STOP=1 -q --username "$admin" --dbname "$POSTGRES_DB" \
    -v role="tosei_$service" -v schema="$service" -v password="$password" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'role')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L',
              :'role', :'password') \gexec
SELECT format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', :'schema', :'role') \gexec
SELECT format('ALTER SCHEMA %I OWNER TO %I', :'schema', :'role') \gexec
SELECT format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), :'role') \gexec
SQL
done

# Nobody else connects to the platform's database; only the owner creates in its public schema.
psql -v ON_ERROR_STOP=1 -q --username "$admin" --dbname "$POSTGRES_DB" <<'SQL'
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database()) \gexec
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
echo "service-roles.sh: roles for $services ready in $POSTGRES_DB"
