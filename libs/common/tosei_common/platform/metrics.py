"""Prometheus metrics of one service process, on one registry shared with FastStream.

The event pipeline (outbox, inbox, DLQ, consumers), the HTTP face (rate, errors and duration per
route template), and the standard process and Python collectors (memory, CPU, open files, start
time, garbage collection), so the alert rules in deploy/prometheus can see restarts and memory.
"""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    GCCollector,
    Histogram,
    PlatformCollector,
    ProcessCollector,
)

#: Why a consumer dead-letters a record (the ``reason`` label and the ``dlq_reason`` header).
DLQ_REASONS = ("invalid", "handler_failed", "transient_exhausted")

#: Request durations, in seconds: commands are tens of milliseconds, exports up to seconds.
HTTP_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


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
        self.consumer_records = Counter(
            "tosei_consumer_records",
            "Records whose offsets the consumer committed (handled, skipped or dead-lettered).",
            ["topic"],
            registry=r,
        )
        self.http_requests = Counter(
            "tosei_http_requests",
            "HTTP requests answered, by route template, method and status class (2xx … 5xx).",
            ["route", "method", "status"],
            registry=r,
        )
        self.http_duration = Histogram(
            "tosei_http_request_duration_seconds",
            "Time from a request's arrival to the end of its answer, by route template.",
            ["route", "method"],
            buckets=HTTP_BUCKETS,
            registry=r,
        )
        self.info = Gauge(
            "tosei_service_info", "The service this process runs.", ["service"], registry=r
        )
        self.info.labels(service=service).set(1)
        # process_* (memory, CPU, start time: restarts), python_info and python_gc_*.
        ProcessCollector(registry=r)
        PlatformCollector(registry=r)
        GCCollector(registry=r)

    def expect_consumed(self, topics: Iterable[str]) -> None:
        """Create the consumer's counters at 0 for every topic it reads, before anything happens.

        A counter series born at 1 hides its first increment from ``increase()``: the alert on
        the first dead letter after a start would never fire.
        """
        for topic in topics:
            self.consumer_records.labels(topic=topic)
            for reason in DLQ_REASONS:
                self.dlq_messages.labels(topic=topic, reason=reason)
