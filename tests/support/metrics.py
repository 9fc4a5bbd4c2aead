"""Reading a Prometheus registry the way a scrape would."""

from __future__ import annotations

from prometheus_client import CollectorRegistry


def metric_total(registry: CollectorRegistry, name: str) -> float:
    """The sum of every sample called ``name`` (all label sets)."""
    return sum(
        sample.value
        for metric in registry.collect()
        for sample in metric.samples
        if sample.name == name
    )
