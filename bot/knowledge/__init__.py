"""Knowledge layer: the schema, loading, checking and importing the knowledge files."""
