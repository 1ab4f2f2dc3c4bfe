from pathlib import Path

from app.storage import load_records


def build_report(folder: Path) -> str:
    """Three helpers deep: build_report -> load_records -> read_record_sync -> read_text."""
    records = load_records(folder)
    total = sum(record["value"] for record in records)
    return f"{len(records)} records, total {total}"
