"""Turn measurements into the side-by-side table and the JSON document."""

from __future__ import annotations

from dataclasses import dataclass, field

from .measure import Measurement


@dataclass
class Row:
    """One line of the table: a case, what is measured, and each engine's figure."""

    case: str
    metric: str  # "wall" (seconds) or "rss" (peak MB)
    values: dict[str, Measurement] = field(default_factory=dict)

    def ratio(self) -> float | None:
        """
        Upstream's figure over ours: above 1 means ours is faster (or smaller).

        For wall rows this equals our tasks/s over upstream's, since both divide the
        same task count.
        """
        ours, upstream = self.values.get("ours"), self.values.get("upstream")
        if not ours or not upstream or ours.status != "ok" or upstream.status != "ok":
            return None
        key = "maxrss_mb" if self.metric == "rss" else "wall_s"
        mine, theirs = getattr(ours, key), getattr(upstream, key)
        if not mine or theirs is None:
            return None
        return theirs / mine

    def to_json(self) -> dict:
        return {
            "case": self.case,
            "metric": self.metric,
            "ratio": self.ratio(),
            **{name: m.to_json() for name, m in self.values.items()},
        }


def format_cell(row: Row, measurement: Measurement | None) -> str:
    if measurement is None:
        return "-"
    if measurement.status == "skipped":
        return f"skipped ({measurement.detail})"
    if measurement.status != "ok":
        return f"{measurement.status.upper()}: {measurement.detail}"[:70]
    if row.metric == "rss":
        return f"{measurement.maxrss_mb:.0f} MB"
    text = f"{measurement.wall_s:.3f} s"
    if measurement.tasks_per_s is not None:
        text += f", {measurement.tasks_per_s:,.0f} tasks/s, {measurement.jobs} jobs"
    return text


def format_table(rows: list[Row], engines: list[str]) -> str:
    """Return the plain-text table: case | each engine | ratio (upstream / ours)."""
    header = ["case", *engines]
    if set(engines) >= {"ours", "upstream"}:
        header.append("ratio")
    lines = []
    for row in rows:
        label = f"peak RSS {row.case}" if row.metric == "rss" else row.case
        cells = [label, *(format_cell(row, row.values.get(name)) for name in engines)]
        if len(header) > len(cells):
            ratio = row.ratio()
            cells.append(f"{ratio:.2f}x" if ratio is not None else "-")
        lines.append(cells)
    widths = [max(len(str(c)) for c in col) for col in zip(header, *lines, strict=True)]

    def fmt(cells: list[str]) -> str:
        return " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    rule = "-+-".join("-" * w for w in widths)
    return "\n".join([fmt(header), rule, *(fmt(cells) for cells in lines)])
