"""Models of the guidance domain."""
