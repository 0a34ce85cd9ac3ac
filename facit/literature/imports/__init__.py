"""Importing reference files: parsers (formats/, pure), de-duplication, the import service."""
