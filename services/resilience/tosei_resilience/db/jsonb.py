"""JSON as the plan's jsonb columns hold it: Japanese kept readable, not escaped."""

from __future__ import annotations

import json
from typing import Any


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
