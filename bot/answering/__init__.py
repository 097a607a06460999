"""Answering layer: the one answer model, built once, and its text renderings."""
