"""The platform's one event catalogue: every event any service publishes, one module per service.

Importing this package registers every event type, so any consumer can validate any event.
Payloads carry no personal data: pseudonymous ids, municipality codes, categories, dates, counts.
"""

from tosei_common.catalogue import (  # noqa: F401  (registers the events)
    caseflow,
    intake,
    requests,
    resilience,
    seminar,
)
