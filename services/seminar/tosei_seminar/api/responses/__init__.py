"""What the API answers, as pydantic models built from the domain's objects, with Japanese
labels next to the codes people read: one module per kind of answer."""
