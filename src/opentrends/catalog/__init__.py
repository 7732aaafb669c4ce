"""One tidy row per model: the taxonomy of labels, curation (corrections, aliases), the tidy schema, `select`, and one loader per source."""
