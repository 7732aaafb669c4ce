"""Everything a reader sees: house style and `save()`, chart mechanics, embed snippets, the gallery, the report."""
