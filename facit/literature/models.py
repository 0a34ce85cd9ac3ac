"""Models of the literature domain."""
