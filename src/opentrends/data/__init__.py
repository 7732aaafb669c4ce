"""Resolve a pinned snapshot to verified local files (cache -> mirror -> Hub -> upstream URL), sha256, and what changed between snapshots."""
