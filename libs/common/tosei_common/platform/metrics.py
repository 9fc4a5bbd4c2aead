"""Prometheus metrics of the event pipeline, on one registry per service shared with FastStream."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge


class PipelineMetrics:
    """Outbox, inbox, DLQ and consumer figures of one service process."""

    def __init__(self, service: str, registry: CollectorRegistry | None = None) -> None:
        self.service = service
        self.registry = registry or CollectorRegistry()
        r = self.registry
        self.outbox_backlog = Gauge(
            "tosei_outbox_backlog",
            "Outbox rows not yet acknowledged by the broker.",
            registry=r,
        )
        self.outbox_oldest_age = Gauge(
            "tosei_outbox_oldest_age_seconds",
            "Age of the oldest unpublished outbox row (0 when none).",
            registry=r,
        )
        self.outbox_published = Counter(
            "tosei_outbox_published",
            "Outbox rows the relay published and marked.",
            ["topic"],
            registry=r,
        )
        self.outbox_publish_failures = Counter(
            "tosei_outbox_publish_failures",
            "Outbox rows the broker did not acknowledge (they are retried).",
            registry=r,
        )
        self.relay_leader = Gauge(
            "tosei_outbox_relay_leader",
            "1 when this process holds the relay leadership of its schema.",
            registry=r,
        )
        self.inbox_processed = Counter(
            "tosei_inbox_processed",
            "Events handled and recorded in the inbox.",
            ["type"],
            registry=r,
        )
        self.inbox_duplicates = Counter(
            "tosei_inbox_duplicates",
            "Redelivered events found in the inbox and skipped.",
            ["topic"],
            registry=r,
        )
        self.events_ignored = Counter(
            "tosei_events_ignored",
            "Records on subscribed topics that this service does not handle.",
            ["topic", "reason"],
            registry=r,
        )
        self.dlq_messages = Counter(
            "tosei_dlq_messages",
            "Events sent to a dead-letter topic.",
            ["topic", "reason"],
            registry=r,
        )
        self.handler_retries = Counter(
            "tosei_handler_retries",
            "Handler attempts that failed and were retried.",
            ["type"],
            registry=r,
        )
        self.consumer_lag = Gauge(
            "tosei_consumer_lag",
            "Records on the broker not yet consumed, per partition.",
            ["topic", "partition"],
            registry=r,
        )
        self.idempotent_replays = Counter(
            "tosei_idempotent_replays",
            "Commands repeated with the same Idempotency-Key and answered from the record.",
            registry=r,
        )
        self.ready = Gauge(
            "tosei_ready",
            "1 when the dependency answers (readiness follows the database alone).",
            ["dependency"],
            registry=r,
        )
        self.info = Gauge(
            "tosei_service_info", "The service this process runs.", ["service"], registry=r
        )
        self.info.labels(service=service).set(1)
