"""Plots for axial coding and the report, drawn with matplotlib's Agg canvas (no display, no pyplot
state) and returned as PNG bytes. Code names, not ids, label the axes; the figures are drawn at the width
they are shown at in the report, so the 8 pt labels print at 8 pt."""

from __future__ import annotations

import io
import textwrap

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

DPI = 150
PAGE_WIDTH_IN = 6.7  # the text width of an A4 page with 2 cm margins: shown at 100 %
MAX_HEIGHT_IN = 9.5  # and no higher than the page
FONT_SIZE = 8
LABEL_CHARS = 48  # a code name wraps beyond this


def _png(figure: Figure) -> bytes:
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()


def heatmap(matrix: pd.DataFrame, title: str, unit: str, names: dict[str, str] | None = None) -> bytes:
    """A code × code co-occurrence heatmap that fits an A4 page: rows carry the codes' numbers and
    names (`names`: id -> name; else the ids), columns their numbers; the diagonal is left blank."""
    values = np.array(matrix.to_numpy(dtype=float), copy=True)
    np.fill_diagonal(values, np.nan)
    count = len(matrix)
    shown = [_wrapped(f"{i}. {(names or {}).get(str(code), str(code))}") for i, code in enumerate(matrix.index, start=1)]
    lines = sum(label.count("\n") + 1 for label in shown)
    figure = Figure(figsize=(PAGE_WIDTH_IN, min(MAX_HEIGHT_IN, max(3.0, 0.17 * max(lines, count) + 1.6))), layout="constrained")
    axes = figure.add_subplot()
    image = axes.imshow(np.ma.masked_invalid(values), cmap="Blues", vmin=0, aspect="auto")
    axes.set_xticks(range(count), [str(i) for i in range(1, count + 1)], fontsize=FONT_SIZE, rotation=90 if count > 15 else 0)
    axes.set_yticks(range(count), shown, fontsize=FONT_SIZE)
    axes.xaxis.tick_top()
    axes.set_title(title, fontsize=FONT_SIZE + 2)
    bar = figure.colorbar(image, ax=axes, shrink=0.6, pad=0.02)
    bar.set_label(unit, fontsize=FONT_SIZE)
    bar.ax.tick_params(labelsize=FONT_SIZE)
    bar.locator = MaxNLocator(integer=True)
    bar.update_ticks()
    return _png(figure)


def frequency_chart(frequencies: pd.DataFrame, n: int, title: str, axis: str) -> bytes:
    """Horizontal bars: for each code (by name), how many of the n respondents mention it (codebook order)."""
    frame = frequencies.iloc[::-1]
    shown = [_wrapped(str(name)) for name in frame["code_name"]]
    lines = sum(label.count("\n") + 1 for label in shown)
    figure = Figure(figsize=(PAGE_WIDTH_IN, min(MAX_HEIGHT_IN, max(2.5, 0.17 * lines + 0.12 * len(frame) + 1.0))), layout="constrained")
    axes = figure.add_subplot()
    axes.barh(range(len(frame)), frame["respondents"], color="#4472c4")
    axes.set_yticks(range(len(frame)), shown, fontsize=FONT_SIZE)
    axes.set_xlim(0, max(n, 1))
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.tick_params(axis="x", labelsize=FONT_SIZE)
    axes.set_xlabel(axis, fontsize=FONT_SIZE)
    axes.set_title(title, fontsize=FONT_SIZE + 2)
    return _png(figure)


def _wrapped(label: str) -> str:
    """A long code name on two or more lines, broken at spaces."""
    return "\n".join(textwrap.wrap(label, LABEL_CHARS, break_long_words=False)) or label
