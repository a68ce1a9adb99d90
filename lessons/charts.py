"""Charts for the progress page, drawn on the server as SVG geometry.

These functions only compute numbers and shapes; the templates in
templates/review/includes/ turn them into SVG (auto-escaped) and also give
every number as text, so the charts need no script and read aloud well.
"""

from collections import Counter
from dataclasses import dataclass, field

BAR_CHART_WIDTH = 480
BAR_LABEL_WIDTH = 170
BAR_HEIGHT = 26
BAR_GAP = 10
BAR_AREA = BAR_CHART_WIDTH - BAR_LABEL_WIDTH - 60

FLOW_WIDTH = 520
FLOW_NODE_WIDTH = 16
FLOW_LABEL_SPACE = 130
FLOW_NODE_GAP = 14
FLOW_UNIT = 22  # pixels of height per student, before scaling down for big classes
FLOW_MAX_HEIGHT = 360

# Colour-blind-safe palette (Okabe-Ito), dark enough for white text nearby.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#6b6b6b"]


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


@dataclass
class Bar:
    label: str
    count: int
    percent: int
    y: int
    width: int
    colour: str

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT // 2 + 5

    @property
    def value_x(self) -> int:
        return BAR_LABEL_WIDTH + self.width + 6


@dataclass
class SplitChart:
    """How a class divides between the positions of one prompt."""

    bars: list[Bar]
    total: int
    width: int = BAR_CHART_WIDTH
    label_width: int = BAR_LABEL_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def height(self) -> int:
        return max(len(self.bars), 1) * (BAR_HEIGHT + BAR_GAP) + BAR_GAP


def position_split(positions: list[str], chosen: list[str]) -> SplitChart:
    """Bars for each position, in the prompt's order; positions no longer offered come last."""
    counts = Counter(p for p in chosen if p)
    labels = list(positions) + sorted(set(counts) - set(positions))
    total = sum(counts.values())
    biggest = max(counts.values(), default=0)
    bars = []
    for index, label in enumerate(labels):
        count = counts.get(label, 0)
        width = round(BAR_AREA * count / biggest) if biggest else 0
        bars.append(
            Bar(
                label=label,
                count=count,
                percent=_percent(count, total),
                y=BAR_GAP + index * (BAR_HEIGHT + BAR_GAP),
                width=width,
                colour=PALETTE[index % len(PALETTE)],
            )
        )
    return SplitChart(bars=bars, total=total)


@dataclass
class FlowNode:
    label: str
    count: int
    x: int
    y: float
    height: float
    colour: str

    @property
    def label_y(self) -> float:
        return self.y + self.height / 2 + 5


@dataclass
class FlowLink:
    source: str
    target: str
    count: int
    path: str
    colour: str


@dataclass
class FlowChart:
    """How many students moved from each first-take position to each final position."""

    left: list[FlowNode]
    right: list[FlowNode]
    links: list[FlowLink]
    pairs: int
    changed: int
    height: int
    width: int = FLOW_WIDTH
    node_width: int = FLOW_NODE_WIDTH
    rows: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def stayed(self) -> int:
        return self.pairs - self.changed

    @property
    def right_label_x(self) -> int:
        return self.width - FLOW_LABEL_SPACE + FLOW_NODE_WIDTH + 6

    @property
    def left_label_x(self) -> int:
        return FLOW_LABEL_SPACE - 6


def position_flow(positions: list[str], first: dict[int, str], final: dict[int, str]) -> FlowChart:
    """A two-column flow chart from {student id: position} at the first take and the final argument.

    Only students with both answers count.
    """
    both = [(first[s], final[s]) for s in first.keys() & final.keys() if first[s] and final[s]]
    moves = Counter(both)
    used = {p for pair in both for p in pair}
    labels = [p for p in positions if p in used] + sorted(used - set(positions))
    colour = {label: PALETTE[i % len(PALETTE)] for i, label in enumerate(labels)}
    pairs = len(both)
    unit = min(FLOW_UNIT, (FLOW_MAX_HEIGHT - FLOW_NODE_GAP * max(len(labels) - 1, 0)) / pairs) if pairs else 0
    height = int(pairs * unit + FLOW_NODE_GAP * max(len(labels) - 1, 0)) + 20 if pairs else 40

    def column(counts: Counter, x: int) -> list[FlowNode]:
        nodes, y = [], 10.0
        for label in labels:
            if counts[label]:
                h = counts[label] * unit
                nodes.append(FlowNode(label, counts[label], x, y, h, colour[label]))
                y += h + FLOW_NODE_GAP
        return nodes

    left = column(Counter(a for a, _b in both), FLOW_LABEL_SPACE)
    right = column(Counter(b for _a, b in both), FLOW_WIDTH - FLOW_LABEL_SPACE)
    left_at = {n.label: n.y for n in left}
    right_at = {n.label: n.y for n in right}
    links, rows = [], []
    x0, x1 = FLOW_LABEL_SPACE + FLOW_NODE_WIDTH, FLOW_WIDTH - FLOW_LABEL_SPACE
    mid = (x0 + x1) / 2
    for source in labels:
        for target in labels:
            count = moves.get((source, target), 0)
            if not count:
                continue
            h = count * unit
            ys, yt = left_at[source], right_at[target]
            left_at[source] += h
            right_at[target] += h
            path = (
                f"M{x0},{ys:.1f} C{mid:.1f},{ys:.1f} {mid:.1f},{yt:.1f} {x1},{yt:.1f} "
                f"L{x1},{yt + h:.1f} C{mid:.1f},{yt + h:.1f} {mid:.1f},{ys + h:.1f} {x0},{ys + h:.1f} Z"
            )
            links.append(FlowLink(source, target, count, path, colour[source]))
            rows.append((source, target, count))
    changed = sum(count for (a, b), count in moves.items() if a != b)
    return FlowChart(left=left, right=right, links=links, pairs=pairs, changed=changed, height=height, rows=rows)
