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
        if not ours or not upstream or ours.status != "ok":
            return None
        if upstream.status not in ("ok", "extrapolated"):
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
    if measurement.status == "extrapolated":
        if row.metric == "rss":
            return "- (not run)"
        return f"~{measurement.wall_s:.1f} s, extrapolated ({measurement.detail})"
    if measurement.status != "ok":
        return f"{measurement.status.upper()}: {measurement.detail}"[:70]
    if row.metric == "rss":
        return f"{measurement.maxrss_mb:.0f} MB"
    text = f"{measurement.wall_s:.3f} s"
    if measurement.tasks_per_s is not None:
        text += f", {measurement.tasks_per_s:,.0f} tasks/s, {measurement.jobs} jobs"
    elif measurement.detail:
        text += f" ({measurement.detail})"
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
            guess = row.values["upstream"].status == "extrapolated" if ratio else False
            cells.append(f"{'~' if guess else ''}{ratio:.2f}x" if ratio is not None else "-")
        lines.append(cells)
    widths = [max(len(str(c)) for c in col) for col in zip(header, *lines, strict=True)]

    def fmt(cells: list[str]) -> str:
        return " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    rule = "-+-".join("-" * w for w in widths)
    return "\n".join([fmt(header), rule, *(fmt(cells) for cells in lines)])


def format_floors(floors: list[Row], rows: list[Row]) -> str:
    """The floor of each fan-out, and our cold and cached runs as a multiple of it."""
    ours = {row.case: row.values.get("ours") for row in rows if row.metric == "wall"}
    lines = ["floor: plain Python + one batched SQLite insert per call (fresh process, best of 3)"]
    for row in floors:
        floor = row.values["floor"]
        if floor.status != "ok" or not floor.wall_s:
            lines.append(f"{row.case}: {floor.status.upper()}: {floor.detail}")
            continue
        size = row.case.split("-", 1)[1]
        text = f"{row.case}: {floor.wall_s:.3f} s, {floor.tasks_per_s:,.0f} calls/s"
        for kind in ("cold", "cached"):
            mine = ours.get(f"fanout-{size} {kind}")
            if mine is not None and mine.status == "ok" and mine.wall_s:
                text += f"; ours {kind} {mine.wall_s / floor.wall_s:.1f}x the floor"
        lines.append(text)
    return "\n".join(lines)
