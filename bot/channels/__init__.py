"""Channel adapters: each turns its transport into calls of the core and renders the answer model."""
