"""Response models (pydantic) and how the domain's records become them, by resource."""
