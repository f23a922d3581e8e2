"""Charts of the results page as inline SVG, drawn on the server in plain Python (no JavaScript
library, no CDN: deployments sit on government intranets).

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` naming what it shows;
the page puts a table with the same numbers beside it, so nothing is said only by the picture.
Texts arrive already translated; everything put into the markup is escaped here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from html import escape

from .formatting import number

__all__ = [
    "FONT",
    "PALETTE",
    "Bar",
    "Marker",
    "Segment",
    "Series",
    "Stage",
    "gantt_chart",
    "line_chart",
    "nice_ticks",
    "png",
    "stacked_bar_chart",
]

Number = Decimal | int | float

# Distinguishable for the common colour-vision deficiencies (Okabe–Ito, then greys).
PALETTE = (
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#d55e00",
    "#cc79a7",
    "#56b4e9",
    "#f0e442",
    "#000000",
    "#999999",
    "#666666",
)
# The font attribute of every chart (and the boundary map): Chinese faces first, so that the
# PNG rendered for Word (CairoSVG, fontconfig) finds a face with the CJK glyphs.
FONT = 'font-family="PingFang SC, Microsoft YaHei, Noto Sans CJK SC, sans-serif"'
_FONT = FONT
# CairoSVG takes only the first family of the list and cairo's font selection does no per-glyph
# fallback, so a PNG drawn with FONT gets DejaVu Sans and empty boxes for every Chinese
# character. The PNG names the CJK face installed with the document tools (fonts-noto-cjk,
# scripts/ensure-system-deps; it has the Latin letters too).
_RASTER_FONT = 'font-family="Noto Sans CJK SC"'


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """About ``count`` round tick values (steps of 1, 2 or 5 × 10ⁿ) covering low … high."""
    if high < low:
        low, high = high, low
    if high == low:
        high = low + (abs(low) or 1.0)
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    last = math.ceil(high / step) * step
    ticks = []
    value = first
    while value <= last + step / 2:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _tick_label(value: float, step: float) -> str:
    places = 0 if step >= 1 else min(6, -math.floor(math.log10(step)))
    return number(value, places)


def _text(x: float, y: float, content: str, **attributes: str) -> str:
    extra = "".join(f' {key.replace("_", "-")}="{escape(val)}"' for key, val in attributes.items())
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{escape(content)}</text>'


def _open(chart_id: str, width: int, height: int, title: str, desc: str) -> list[str]:
    ident = escape(chart_id)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{ident}" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{ident}-title {ident}-desc" {_FONT} font-size="12">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
    ]


# --- horizontal stacked bars ----------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    label: str
    value: Decimal


@dataclass(frozen=True)
class Bar:
    label: str
    segments: tuple[Segment, ...]

    @property
    def total(self) -> Decimal:
        return sum((segment.value for segment in self.segments), Decimal(0))


def stacked_bar_chart(
    bars: Sequence[Bar], *, chart_id: str, title: str, desc: str, unit: str, width: int = 720
) -> str:
    """One horizontal bar per row (a year), split into segments (categories or sectors) in the
    colours of the legend; negative and zero segments are left out (they have no length)."""
    legend = list(dict.fromkeys(s.label for bar in bars for s in bar.segments if s.value > 0))
    colours = {label: PALETTE[i % len(PALETTE)] for i, label in enumerate(legend)}
    left, right, top, row = 64, 24, 16, 34
    plot = width - left - right
    largest = max((float(bar.total) for bar in bars), default=0.0)
    ticks = nice_ticks(0.0, largest or 1.0)
    scale = plot / ticks[-1]
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    axis_y = top + row * len(bars) + 4
    per_line = max(1, plot // 150)
    legend_rows = math.ceil(len(legend) / per_line)
    height = axis_y + 40 + legend_rows * 20 + 8
    out = _open(chart_id, width, height, title, desc)
    for tick in ticks:
        x = left + tick * scale
        out.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{axis_y}" stroke="#d9e0dc"/>'
        )
        out.append(_text(x, axis_y + 14, _tick_label(tick, step), text_anchor="middle"))
    out.append(_text(left + plot, axis_y + 30, unit, text_anchor="end", fill="#5b6660"))
    for index, bar in enumerate(bars):
        y = top + index * row
        out.append(_text(left - 8, y + row / 2 + 1, bar.label, text_anchor="end"))
        x = float(left)
        for segment in bar.segments:
            if segment.value <= 0:
                continue
            length = float(segment.value) * scale
            out.append(
                f'<rect class="segment" x="{x:.2f}" y="{y + 5}" width="{length:.2f}" '
                f'height="{row - 10}" fill="{colours[segment.label]}">'
                f"<title>{escape(bar.label)} {escape(segment.label)}: "
                f"{escape(number(segment.value))} {escape(unit)}</title></rect>"
            )
            x += length
        out.append(_text(x + 4, y + row / 2 + 1, number(bar.total, 0), font_size="11"))
    out.append(
        f'<line x1="{left}" y1="{axis_y}" x2="{left + plot}" y2="{axis_y}" stroke="#5b6660"/>'
    )
    for index, label in enumerate(legend):
        x = left + (index % per_line) * 150
        y = axis_y + 40 + (index // per_line) * 20
        out.append(
            f'<rect class="legend" x="{x}" y="{y - 10}" width="12" height="12" '
            f'fill="{colours[label]}"/>'
        )
        out.append(_text(x + 16, y, label))
    out.append("</svg>")
    return "\n".join(out)


# --- lines: trend, forecast and targets ----------------------------------------------------


@dataclass(frozen=True)
class Series:
    name: str
    points: tuple[tuple[int, Decimal], ...]
    colour: str
    dashed: bool = False


@dataclass(frozen=True)
class Marker:
    """A target drawn as a diamond at the largest emission that meets it."""

    year: int
    value: Decimal
    label: str
    met: bool


def line_chart(
    series: Sequence[Series],
    markers: Sequence[Marker],
    *,
    chart_id: str,
    title: str,
    desc: str,
    unit: str,
    met_label: str,
    not_met_label: str,
    width: int = 720,
    height: int = 340,
) -> str:
    """Years on the x axis, ``unit`` on the y axis; one polyline with points per series, and
    the targets as diamonds (filled when met, hollow when not)."""
    years = [year for s in series for year, _ in s.points] + [m.year for m in markers]
    values = [float(v) for s in series for _, v in s.points] + [float(m.value) for m in markers]
    first, last = (min(years), max(years)) if years else (0, 1)
    if first == last:
        last = first + 1
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    # The axis starts at a round value below the data, not at 0: the differences between the
    # scenarios and the targets are what the chart is for (the axis labels say where it starts).
    ticks = nice_ticks(max(0.0, low - (high - low) * 0.1), high)
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    left, right, top = 84, 24, 30
    bottom = 60 + 20 * math.ceil((len(series) + 2) / 3)
    plot_w, plot_h = width - left - right, height - top - bottom
    span = ticks[-1] - ticks[0] or 1.0

    def x_of(year: int) -> float:
        return left + (year - first) / (last - first) * plot_w

    def y_of(value: float) -> float:
        return top + plot_h - (value - ticks[0]) / span * plot_h

    out = _open(chart_id, width, height, title, desc)
    for tick in ticks:
        y = y_of(tick)
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#d9e0dc"/>'
        )
        out.append(_text(left - 6, y + 4, _tick_label(tick, step), text_anchor="end"))
    out.append(_text(left - 6, top - 16, unit, text_anchor="end", fill="#5b6660"))
    year_step = max(1, math.ceil((last - first) / 12))
    for year in range(first, last + 1, year_step):
        x = x_of(year)
        out.append(
            f'<line x1="{x:.1f}" y1="{top + plot_h}" x2="{x:.1f}" y2="{top + plot_h + 5}" '
            'stroke="#5b6660"/>'
        )
        out.append(_text(x, top + plot_h + 18, str(year), text_anchor="middle"))
    out.append(
        f'<polyline points="{left},{top} {left},{top + plot_h} {left + plot_w},{top + plot_h}" '
        'fill="none" stroke="#5b6660"/>'
    )
    for index, line in enumerate(series):
        coords = [(x_of(year), y_of(float(value))) for year, value in line.points]
        dash = ' stroke-dasharray="6 4"' if line.dashed else ""
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        out.append(
            f'<g class="series" data-series="{index}"><polyline points="{path}" fill="none" '
            f'stroke="{line.colour}" stroke-width="2"{dash}/>'
        )
        for (x, y), (year, value) in zip(coords, line.points, strict=True):
            out.append(
                f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{line.colour}">'
                f"<title>{escape(line.name)} {year}: {escape(number(value))} {escape(unit)}"
                "</title></circle>"
            )
        out.append("</g>")
    for marker in markers:
        x, y = x_of(marker.year), y_of(float(marker.value))
        fill = "#a12a1b" if not marker.met else "#1f6f43"
        hollow = "#ffffff" if not marker.met else fill
        verdict = met_label if marker.met else not_met_label
        out.append(
            f'<path class="target" d="M{x:.1f},{y - 7:.1f} L{x + 7:.1f},{y:.1f} '
            f'L{x:.1f},{y + 7:.1f} L{x - 7:.1f},{y:.1f} Z" fill="{hollow}" stroke="{fill}" '
            f'stroke-width="2"><title>{escape(marker.label)} {marker.year}: '
            f"{escape(number(marker.value))} {escape(unit)} ({escape(verdict)})</title></path>"
        )
    entries: list[tuple[str, str]] = [(line.name, line.colour) for line in series]
    legend_y = top + plot_h + 40
    for index, (name, colour) in enumerate(entries):
        x = left + (index % 3) * 200
        y = legend_y + (index // 3) * 20
        dash = ' stroke-dasharray="6 4"' if series[index].dashed else ""
        out.append(
            f'<line class="legend" x1="{x}" y1="{y - 4}" x2="{x + 24}" y2="{y - 4}" '
            f'stroke="{colour}" stroke-width="2"{dash}/>'
        )
        out.append(_text(x + 30, y, name))
    if markers:
        index = len(entries)
        for offset, (label, met) in enumerate(((met_label, True), (not_met_label, False))):
            x = left + ((index + offset) % 3) * 200
            y = legend_y + ((index + offset) // 3) * 20
            colour = "#1f6f43" if met else "#a12a1b"
            fill = colour if met else "#ffffff"
            out.append(
                f'<path class="legend" d="M{x + 12},{y - 11} L{x + 19},{y - 4} L{x + 12},{y + 3} '
                f'L{x + 5},{y - 4} Z" fill="{fill}" stroke="{colour}" stroke-width="2"/>'
            )
            out.append(_text(x + 30, y, label))
    out.append("</svg>")
    return "\n".join(out)


# --- schedule: one bar per stage on a time axis (Gantt) ------------------------------------


@dataclass(frozen=True)
class Stage:
    """One stage of a project from ``start`` to ``end``, both days included; ``milestone`` is
    what is to be reached by the end (节点目标), drawn as a diamond at the end date."""

    project: str
    stage: str
    start: date
    end: date
    milestone: str = ""


def _text_width(text: str, size: float) -> float:
    """About how wide ``text`` is at ``size`` px: a CJK character is one em, others ~0.6 em."""
    return sum(size if ord(char) >= 0x2E80 else size * 0.6 for char in text)


def _fit(text: str, room: float, size: float) -> str:
    """``text`` cut with an ellipsis to fit ``room`` px (the full text is in the bar's title)."""
    if _text_width(text, size) <= room:
        return text
    while text and _text_width(text + "…", size) > room:
        text = text[:-1]
    return text + "…"


#: A project's name takes at most this many lines beside its bars; beyond, it ends in "…".
_NAME_LINES = 4
_CLOSING = frozenset("）)》」』】〕，、。；：！？")
_OPENING = frozenset("（(《「『【〔")
_WORD = re.compile(r"[\x21-\x7e]+|\s+|.", re.DOTALL)


def _wrap(text: str, room: float, size: float, most: int = _NAME_LINES) -> list[str]:
    """``text`` in lines of at most ``room`` px, broken between Chinese characters or at spaces
    (never inside a number or a Latin word), at most ``most`` lines (the last cut with "…")."""
    lines: list[str] = []
    line = ""
    for word in _WORD.findall(text):
        # A closing mark never starts a line, an opening one never ends it (禁则).
        if line and _text_width(line + word, size) > room and word not in _CLOSING:
            carried = line[-1] if line[-1] in _OPENING else ""
            lines.append(line[: len(line) - len(carried)].rstrip())
            line = carried + word.lstrip()
        else:
            line += word
    lines.append(line.rstrip())
    if len(lines) > most:
        # The rest needs more than one line, so it is cut and ends in "…".
        lines = [*lines[: most - 1], _fit("".join(lines[most - 1 :]), room, size)]
    return lines


def gantt_chart(
    stages: Sequence[Stage],
    *,
    chart_id: str,
    title: str,
    desc: str,
    milestone_label: str,
    width: int = 720,
) -> str:
    """Years on the x axis, one row per stage in the given order: the project's name (once for
    consecutive stages of the same project, which share a colour), the stage's name, and a bar
    from its start to its end date; a diamond at the end of a stage with a milestone."""
    if not stages:
        raise ValueError("a schedule chart needs at least one stage")
    size = 12.0
    project_w = min(max(_text_width(s.project, size) for s in stages) + 12, width * 0.26)
    stage_w = min(max(_text_width(s.stage, size) for s in stages) + 12, width * 0.18)
    left, right, top, row = 8 + project_w + stage_w, 16, 12, 26
    plot = width - left - right
    first_year = min(s.start.year for s in stages)
    last_year = max(s.end.year for s in stages) + 1  # the axis ends on 1 January after the end
    origin = date(first_year, 1, 1).toordinal()
    days = date(last_year, 1, 1).toordinal() - origin

    def x_of(day: date, *, after: bool = False) -> float:
        # ``after``: the end of the day (an inclusive end date reaches the next midnight).
        return left + (day.toordinal() + (1 if after else 0) - origin) / days * plot

    # Rows from the top; a project whose name needs more lines than its stages have rows is
    # given the height below its last stage (names wrap, never cut short in a printed plan).
    line_h = size + 3
    groups: list[tuple[int, int]] = []  # (first stage, number of stages) of each project
    for index, stage in enumerate(stages):
        if index and stage.project == stages[index - 1].project:
            groups[-1] = (groups[-1][0], groups[-1][1] + 1)
        else:
            groups.append((index, 1))
    names = {first: _wrap(stages[first].project, project_w - 12, size) for first, _ in groups}
    ys: list[float] = []
    blocks: dict[int, tuple[float, float]] = {}  # first stage -> (top, height) of its project
    y = float(top)
    for first, count in groups:
        block = max(count * row, len(names[first]) * line_h + 10)
        blocks[first] = (y, block)
        ys.extend(y + k * row for k in range(count))
        y += block
    axis_y = y
    milestones = any(s.milestone for s in stages)
    height = math.ceil(axis_y + 30 + (24 if milestones else 0) + 4)
    colours: dict[str, str] = {}
    out = _open(chart_id, width, height, title, desc)
    year_step = max(1, math.ceil((last_year - first_year) / 12))
    for year in range(first_year, last_year + 1):
        x = x_of(date(year, 1, 1))
        out.append(
            f'<line class="year" x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{axis_y + 5}" '
            'stroke="#d9e0dc"/>'
        )
        if year < last_year and (year - first_year) % year_step == 0:
            middle = (x + x_of(date(year + 1, 1, 1))) / 2
            out.append(_text(middle, axis_y + 18, str(year), text_anchor="middle"))
    for index, stage in enumerate(stages):
        y = ys[index]
        colour = colours.setdefault(stage.project, PALETTE[len(colours) % len(PALETTE)])
        if index in names:
            if index:
                out.append(
                    f'<line x1="8" y1="{y:.1f}" x2="{left + plot}" y2="{y:.1f}" stroke="#eef2ef"/>'
                )
            block_top, block = blocks[index]
            first_line = block_top + (block - len(names[index]) * line_h) / 2 + line_h - 4
            for number, line in enumerate(names[index]):
                out.append(
                    _text(
                        8,
                        first_line + number * line_h,
                        line,
                        font_weight="bold",
                        **{"class": "project"},
                    )
                )
        out.append(_text(8 + project_w, y + row / 2 + 4, _fit(stage.stage, stage_w - 12, size)))
        start, end = x_of(stage.start), x_of(stage.end, after=True)
        tip = f"{stage.project} {stage.stage}: {stage.start.isoformat()} – {stage.end.isoformat()}"
        if stage.milestone:
            tip += f" ({stage.milestone})"
        out.append(
            f'<rect class="stage" x="{start:.2f}" y="{y + 6}" width="{max(end - start, 2.0):.2f}" '
            f'height="{row - 12}" rx="2" fill="{colour}" data-start="{stage.start.isoformat()}" '
            f'data-end="{stage.end.isoformat()}"><title>{escape(tip)}</title></rect>'
        )
        if stage.milestone:
            middle = y + row / 2
            out.append(
                f'<path class="milestone" d="M{end:.1f},{middle - 7:.1f} L{end + 7:.1f},'
                f'{middle:.1f} L{end:.1f},{middle + 7:.1f} L{end - 7:.1f},{middle:.1f} Z" '
                f'fill="#ffffff" stroke="#1d2520" stroke-width="1.5"><title>'
                f"{escape(milestone_label)} {stage.end.isoformat()}: {escape(stage.milestone)}"
                "</title></path>"
            )
    out.append(
        f'<line x1="{left}" y1="{axis_y}" x2="{left + plot}" y2="{axis_y}" stroke="#5b6660"/>'
    )
    if milestones:
        y = axis_y + 44
        out.append(
            f'<path class="legend" d="M{left + 7},{y - 11} L{left + 14},{y - 4} L{left + 7},'
            f'{y + 3} L{left},{y - 4} Z" fill="#ffffff" stroke="#1d2520" stroke-width="1.5"/>'
        )
        out.append(_text(left + 22, y, milestone_label))
    out.append("</svg>")
    return "\n".join(out)


# The CJK face has no subscript digits (tCO₂) and CairoSVG places a <tspan> of another face
# wrongly in end- or middle-anchored text: the PNG writes them as ordinary digits (tCO2, as
# many official documents do), the SVG on the page keeps them.
_SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")


def png(svg: str, *, width: int = 1200) -> bytes:
    """A chart or map drawn here as a PNG image ``width`` pixels wide (Word shows no SVG), in
    the CJK face installed for documents."""
    import cairosvg  # imported here: only document generation needs the cairo library

    raster = svg.replace(FONT, _RASTER_FONT).translate(_SUBSCRIPTS)
    result: bytes = cairosvg.svg2png(bytestring=raster.encode("utf-8"), output_width=width)
    return result
