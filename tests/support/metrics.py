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


def metric(text: str, name: str, **labels: str) -> float | None:
    """The value of the sample ``name`` with exactly ``labels`` in a /metrics answer."""
    from prometheus_client.parser import text_string_to_metric_families

    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return float(sample.value)
    return None
