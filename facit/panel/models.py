"""Models of the panel domain."""
