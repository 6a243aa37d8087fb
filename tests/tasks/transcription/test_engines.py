"""Plain functions of the engines module (the engines themselves run in test_stage.py)."""

from __future__ import annotations

import pytest

from tasks.transcription.engines import batches


@pytest.mark.parametrize(
    ("count", "most", "sizes"),
    [
        (6, 4, [3, 3]),
        (7, 4, [3, 4]),
        (4, 4, [4]),
        (9, 4, [3, 3, 3]),
        (17, 16, [8, 9]),
        (3, 1, [1, 1, 1]),
        (1, 4, [1]),
        (0, 4, []),
    ],
)
def test_windows_go_in_as_few_and_as_even_batches_as_the_batch_size_allows(count: int, most: int, sizes: list[int]) -> None:
    parts = batches(count, most)
    assert [len(part) for part in parts] == sizes
    assert [i for part in parts for i in part] == list(range(count))
