from __future__ import annotations

import csv
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

KEYS = {
    "records",
    "included",
    "wss95",
    "recall_at_10pct",
    "screened_to_95",
    "screened_to_100",
    "seconds",
}


@pytest.fixture
def labelled_csv(tmp_path):
    """An invented labelled dataset: 6 relevant records about one topic among 54 others."""
    path = tmp_path / "invented.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["record_id", "title", "abstract", "doi", "label_included"])
        for i in range(60):
            relevant = i % 10 == 0
            topic = (
                "school prevention lessons pupils" if relevant else f"unrelated topic {i} weather"
            )
            writer.writerow(
                [i, f"Invented {topic}", f"Invented abstract on {topic}", "", int(relevant)]
            )
    return path


def test_simulate_screening_prints_json_with_every_key(labelled_csv):
    out = StringIO()
    call_command("simulate_screening", str(labelled_csv), "--seed", "3", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert set(result) == KEYS
    assert result["records"] == 60 and result["included"] == 6
    assert 0 <= result["wss95"] <= 1 and 0 <= result["recall_at_10pct"] <= 1
    assert result["screened_to_95"] <= result["screened_to_100"] <= 60


def test_simulate_screening_refuses_a_file_without_labels(tmp_path):
    path = tmp_path / "no-labels.csv"
    path.write_text("title,abstract\nInvented,Invented\n", encoding="utf-8")
    with pytest.raises(CommandError, match="label_included"):
        call_command("simulate_screening", str(path), "--json", stdout=StringIO())
