"""Topics declared in code and created at start-up, never auto-created by a client."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError

from tosei_common.platform.topics import Topic

log = logging.getLogger(__name__)

TOPIC_ALREADY_EXISTS = 36


class TopicSetupError(RuntimeError):
    """The broker refused to create a topic the platform needs."""


async def ensure_topics(
    bootstrap_servers: str, topics: Iterable[Topic], *, replication_factor: int = 1
) -> list[str]:
    """Create every topic that does not exist yet; return the names created.

    Topics that already exist are left alone, but a partition count that differs from the
    declaration is logged, because per-key order across a repartition is not preserved.
    """
    wanted = {t.name: t for t in topics}
    if not wanted:
        return []
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, request_timeout_ms=10_000)
    await admin.start()
    try:
        response = await admin.create_topics(
            [
                NewTopic(
                    t.name,
                    num_partitions=t.partitions,
                    replication_factor=replication_factor,
                    topic_configs={"retention.ms": str(t.retention_ms)},
                )
                for t in wanted.values()
            ]
        )
        created: list[str] = []
        existing: list[str] = []
        for name, code, message in response.topic_errors:
            if code == 0:
                created.append(name)
            elif code == TOPIC_ALREADY_EXISTS:
                existing.append(name)
            else:
                raise TopicSetupError(f"cannot create topic {name}: error {code} {message}")
        if existing:
            await _warn_on_partition_mismatch(admin, [wanted[n] for n in existing])
        return created
    finally:
        await admin.close()


async def _warn_on_partition_mismatch(admin: AIOKafkaAdminClient, topics: list[Topic]) -> None:
    try:
        described = await admin.describe_topics([t.name for t in topics])
    except KafkaError as exc:  # only a diagnostic: never block start-up on it
        log.warning("could not describe topics %s: %s", [t.name for t in topics], exc)
        return
    declared = {t.name: t.partitions for t in topics}
    for entry in described:
        actual = len(entry.get("partitions", []))
        if actual != declared[entry["topic"]]:
            log.warning(
                "topic %s has %d partitions, declared %d",
                entry["topic"],
                actual,
                declared[entry["topic"]],
            )
