"""The source registry in data/sources/: its types, reading and validating it (JSON Schema), and writing new snapshots into it."""
