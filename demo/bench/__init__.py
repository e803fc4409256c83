"""The benchmark behind `manage.py bench`: a scratch database, a synthetic dataset, and
timings of every page, the database's own floor, the import and the browser.

Nothing here touches the configured database: `scratch.scratch_database()` creates a
separate one with Django's test-database machinery (a temporary SQLite file, or
`<name>_bench` on PostgreSQL), points the default connection at it, and drops it afterwards.

The parts: `scratch` (the database), `dataset` (the synthetic rows), `timing` (targets,
median and p95), `pages`, `floor` (the dashboard's aggregates as raw SQL), `importing`,
`browser` (Chromium through Playwright, when installed), `run` (everything, as one report)
and `report` (the markdown table).
"""
