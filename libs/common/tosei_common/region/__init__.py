"""The regional kernel: what the five municipalities' programmes share as a domain — fiscal
years and eras, the municipalities, Japanese text as people type it, and the spreadsheets the
council reads. Pure Python: it imports nothing of the platform."""
