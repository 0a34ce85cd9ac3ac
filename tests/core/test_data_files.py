"""Data files are read once per process, not on every request."""

from __future__ import annotations

from django.utils import translation

from facit.directory import views as directory_views


def test_the_urgent_case_note_is_read_from_the_data_file_once(monkeypatch):
    reads = []
    real = directory_views.SERVICES_FILE

    class Counting:
        def read_text(self, *args, **kwargs):
            reads.append(1)
            return real.read_text(*args, **kwargs)

    directory_views._urgent_entry.cache_clear()
    monkeypatch.setattr(directory_views, "SERVICES_FILE", Counting())
    with translation.override("en"):
        first = directory_views._urgent_note()
    with translation.override("sv"):
        second = directory_views._urgent_note()
    directory_views._urgent_entry.cache_clear()
    assert len(reads) == 1
    assert first is not None and first["text"].startswith("In urgent cases")
    assert second is not None and second["text"].startswith("I akuta fall")
    assert first["sources"] == second["sources"]
    assert first["sources"]
