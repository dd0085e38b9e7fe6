"""A short history of ``make bench`` runs: one JSON line per run, and the change since the last.

``output/bench/history.jsonl`` gets, for each run, its date, commit, whether it
was ``--quick``, the machine's load and every figure (seconds, ratios, peak
memory). The report compares the new figures with the last run's, naming that
run's commit, date and load (figures taken under load are not comparable).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipeline.fsutil import atomic_write_text


def entry(data: dict[str, Any]) -> dict[str, Any]:
    """What one run keeps in the history."""
    return {
        "generated": data["generated"],
        "commit": data["revision"]["commit"],
        "pipeline_changed": data["revision"]["pipeline_changed"],
        "quick": data["quick"],
        "load_average_1min": data["load_average_1min"],
        "seconds": data["seconds"],
        "ratios": {key: data[key] for key in data["targets"]},
        "peak_tree_pss_mb": data["peak_tree_pss_mb"],
    }


def last_entry(path: Path) -> dict[str, Any] | None:
    """The last run in the history, or None (no history, or its last line unreadable)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return None
    for line in reversed(lines):
        if line.strip():
            try:
                found: dict[str, Any] = json.loads(line)
            except json.JSONDecodeError:
                return None
            return found
    return None


def append(path: Path, record: dict[str, Any]) -> None:
    """Add ``record`` as the history's last line (the file is replaced whole, atomically)."""
    try:
        old = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        old = ""
    if old and not old.endswith("\n"):
        old += "\n"
    atomic_write_text(path, old + json.dumps(record, sort_keys=True) + "\n")


def _change(new: float, old: float) -> str:
    if old <= 0:
        return "(new)"
    return f"{100 * (new - old) / old:+6.1f} %"


def compare(new: dict[str, Any], old: dict[str, Any] | None) -> str:
    """The change of every figure since ``old`` (the last run), as a few lines of text."""
    if old is None:
        return "Change since the last run: none recorded yet (output/bench/history.jsonl)."
    load = old.get("load_average_1min", {})
    lines = [
        f"Change since the last run ({(old.get('commit') or '?')[:10]}, {old.get('generated')}, "
        f"{'quick, ' if old.get('quick') else ''}load {load.get('start', 0):.1f}"
        f" -> {load.get('end', 0):.1f}):"
    ]
    sections = (("seconds", "s"), ("ratios", ""), ("peak_tree_pss_mb", "MiB"))
    for section, unit in sections:
        before = old.get(section, {})
        for key, value in new[section].items():
            if value is None or before.get(key) is None:
                continue
            lines.append(
                f"  {section + '.' + key:<48} {before[key]:9.3f} -> {value:9.3f} {unit:<3} "
                f"{_change(value, before[key])}"
            )
    return "\n".join(lines)
