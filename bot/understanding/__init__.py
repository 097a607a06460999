"""Understanding layer: normalising chat text, matching procedures, deciding the intent."""
