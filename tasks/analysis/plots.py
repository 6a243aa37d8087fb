"""Plots for axial coding and the report, drawn with matplotlib's Agg canvas (no display, no pyplot
state) and returned as PNG bytes."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

DPI = 120


def _png(figure: Figure) -> bytes:
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()


def heatmap(matrix: pd.DataFrame, title: str, unit: str) -> bytes:
    """A code × code co-occurrence heatmap; the diagonal (a code with itself) is left blank."""
    values = np.array(matrix.to_numpy(dtype=float), copy=True)
    np.fill_diagonal(values, np.nan)
    size = max(4.0, 0.32 * len(matrix) + 2.5)
    figure = Figure(figsize=(size + 1.2, size))
    axes = figure.add_subplot()
    image = axes.imshow(np.ma.masked_invalid(values), cmap="Blues", vmin=0)
    labels = [str(label) for label in matrix.index]
    axes.set_xticks(range(len(labels)), labels, rotation=90, fontsize=7)
    axes.set_yticks(range(len(labels)), labels, fontsize=7)
    axes.set_title(title, fontsize=10)
    bar = figure.colorbar(image, ax=axes, shrink=0.7, label=unit)
    bar.locator = MaxNLocator(integer=True)
    bar.update_ticks()
    return _png(figure)


def frequency_chart(frequencies: pd.DataFrame, n: int) -> bytes:
    """Horizontal bars: for each code, how many of the n respondents mention it (codebook order)."""
    frame = frequencies.iloc[::-1]
    height = max(2.5, 0.25 * len(frame) + 1.0)
    figure = Figure(figsize=(7.5, height))
    axes = figure.add_subplot()
    axes.barh(range(len(frame)), frame["respondents"], color="#4472c4")
    axes.set_yticks(range(len(frame)), list(frame["code_name"]), fontsize=7)
    axes.set_xlim(0, max(n, 1))
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel(f"respondents (of n={n})")
    axes.set_title("Codes by number of respondents", fontsize=10)
    return _png(figure)
