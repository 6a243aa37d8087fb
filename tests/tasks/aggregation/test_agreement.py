"""Intercoder agreement against values computed by hand, including the degenerate cases."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import pandas as pd
import pytest

from tasks.aggregation.agreement import EVERYWHERE, UNUSED, agreement_tables, write_agreement
from tests.tasks.coded_study import CODINGS, SEGMENTS, write_coded_study


def frames(rows: list[tuple[str, int, str, str]], segments: dict[str, int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    codings = pd.DataFrame(
        [(rid, f"{rid}-{n:04d}", code, coder) for rid, n, code, coder in rows],
        columns=["respondent_id", "segment_id", "code", "coder"],
    )
    units = pd.DataFrame(
        [(rid, f"{rid}-{n:04d}") for rid, count in segments.items() for n in range(1, count + 1)],
        columns=["respondent_id", "segment_id"],
    )
    return codings, units


def small_case() -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = [(rid, n, code, coder) for rid, n, code, coder, _ in CODINGS]
    return frames(rows, {rid: len(s) for rid, s in SEGMENTS.items()})


def reference_alpha(first: list[int], second: list[int]) -> float:
    """Krippendorff's alpha, nominal, two coders, from its definition (coincidence matrix, loops)."""
    values = [0, 1]
    o = {(c, k): 0.0 for c in values for k in values}
    for a, b in zip(first, second):
        o[(a, b)] += 1
        o[(b, a)] += 1
    n_c = {c: sum(o[(c, k)] for k in values) for c in values}
    n = sum(n_c.values())
    d_o = sum(o[(c, k)] for c, k in itertools.product(values, values) if c != k) / n
    d_e = sum(n_c[c] * n_c[k] for c, k in itertools.product(values, values) if c != k) / (n * (n - 1))
    return 1 - d_o / d_e


def test_per_code_values_match_hand_computation() -> None:
    codings, units = small_case()
    per_code, _, _ = agreement_tables(codings, units, ["silos", "team", "granularity", "unused"])
    table = per_code.set_index("code")
    # silos: 7 segments; both coded R01-0002, only AB coded R02-0003, 5 neither
    assert table.loc["silos", ["units", "both", "first_only", "second_only", "neither"]].tolist() == [7, 1, 1, 0, 5]
    assert table.loc["silos", "percent_agreement"] == pytest.approx(6 / 7)
    assert table.loc["silos", "kappa"] == pytest.approx(10 / 17)  # p_e = 32/49
    assert table.loc["silos", "alpha"] == pytest.approx(20 / 33)  # 1 - 13·1 / (11·3)
    assert table.loc["team", "kappa"] == pytest.approx(10 / 17)
    first = [0, 1, 0, 0, 0, 0, 1]
    second = [0, 1, 0, 0, 0, 0, 0]
    assert table.loc["silos", "alpha"] == pytest.approx(reference_alpha(first, second))


def test_perfect_agreement() -> None:
    codings, units = small_case()
    row = agreement_tables(codings, units, ["granularity"])[0].set_index("code").loc["granularity"]
    assert (row["percent_agreement"], row["kappa"], row["alpha"], row["note"]) == (1.0, 1.0, 1.0, "")


def test_a_code_nobody_used() -> None:
    codings, units = small_case()
    row = agreement_tables(codings, units, ["unused"])[0].set_index("code").loc["unused"]
    assert row["percent_agreement"] == 1.0
    assert math.isnan(row["kappa"]) and math.isnan(row["alpha"])
    assert row["note"] == UNUSED == "neither coder used this code: agreement 1.0 by definition; kappa and alpha undefined"


def test_a_code_on_every_segment() -> None:
    codings, units = frames([("R01", n, "silos", coder) for n in (1, 2) for coder in ("AB", "CD")], {"R01": 2})
    row = agreement_tables(codings, units)[0].iloc[0]
    assert row["percent_agreement"] == 1.0 and math.isnan(row["kappa"]) and math.isnan(row["alpha"])
    assert row["note"] == EVERYWHERE


def test_overall_pools_the_codes_used() -> None:
    codings, units = small_case()
    _, overall, _ = agreement_tables(codings, units, ["silos", "team", "granularity", "unused"])
    row = overall.iloc[0]
    assert (row["respondents"], row["coders"], row["segments"], row["codes"], row["units"]) == (2, "AB, CD", 7, 3, 21)
    assert (row["both"], row["first_only"], row["second_only"], row["neither"]) == (3, 1, 1, 16)
    assert row["percent_agreement"] == pytest.approx(19 / 21)
    assert row["kappa"] == pytest.approx(94 / 136)  # p_o = 399/441, p_e = 305/441
    assert row["alpha"] == pytest.approx(190 / 272)  # 1 - 41·2 / (34·8)
    assert row["segments_identical"] == pytest.approx(5 / 7)
    assert row["note"] == "2 of 2 coded respondents coded by two coders"


def test_disagreements_are_listed_per_segment() -> None:
    codings, units = small_case()
    disagreements = agreement_tables(codings, units)[2]
    assert disagreements.values.tolist() == [
        ["R01", "R01-0002", "AB", "silos", "CD", "silos; team", "team"],
        ["R02", "R02-0003", "AB", "silos", "CD", "", "silos"],
    ]


def test_single_coders_suggestions_and_crowds_are_left_out() -> None:
    rows = [("R01", 1, "silos", "AB"), ("R02", 1, "silos", "AB"), ("R02", 1, "silos", "CD")]
    rows += [("R03", 1, "silos", c) for c in ("AB", "CD", "EF")]
    codings, units = frames(rows, {"R01": 1, "R02": 2, "R03": 1})
    codings = pd.concat([codings.assign(source="csv"), pd.DataFrame([["R02", "R02-0002", "team", "keywords", "suggestion"]], columns=[*codings.columns, "source"])])
    per_code, overall, disagreements = agreement_tables(codings, units)
    assert per_code["code"].tolist() == ["silos"]
    assert overall.iloc[0]["segments"] == 2
    assert overall.iloc[0]["note"] == "1 of 3 coded respondents coded by two coders; more than two coders, left out: R03"
    assert disagreements.empty


def test_write_agreement(tmp_path: Path) -> None:
    study = write_coded_study(tmp_path / "study")
    paths = write_agreement(study, ["R01", "R02"])
    assert [study.catalog.relative(p) for p in paths] == ["out/results/agreement.csv", "out/results/agreement_disagreements.csv"]
    lines = paths[0].read_text(encoding="utf-8").splitlines()
    assert lines[0] == "code,units,both,first_only,second_only,neither,percent_agreement,kappa,alpha,note"
    assert lines[1] == "silos,7,1,1,0,5,0.8571,0.5882,0.6061,"
    assert lines[4] == f"unused,7,0,0,0,7,1.0,,,{UNUSED}"
    assert lines[5] == "(all codes used),21,3,1,1,16,0.9048,0.6912,0.6985,2 of 2 coded respondents coded by two coders"
    assert write_agreement(study, ["R01"]) == paths  # R01 alone still has two coders
    for path in study.catalog.stage_dir("open_coding").glob("*.csv"):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        frame[frame["coder"] == "AB"].to_csv(path, index=False)
    assert write_agreement(study, ["R01", "R02"]) == ()
    assert not paths[0].exists() and not paths[1].exists()
