"""Bottom layer: errors (one root), paths (nothing else types a path), atomic writes, CSV text and required columns, numbers in sentences, sentences from templates."""
