"""The weekly tables: the model table with dates, and the government table reshaped from it."""

import pandas as pd

from negotiate import run
from negotiate.reporters import GOVERNMENT_COLUMNS


def test_government_table_is_the_model_tables_sides_week_by_week():
    model = run("rare-earth-2025", seed=2, weeks=6).model
    table, governments = model.model_table(), model.government_table()
    assert list(table.columns[:3]) == ["week", "date", "us_tariff"]
    assert table["date"].tolist()[:2] == ["2025-01-06", "2025-01-13"]
    assert list(governments.columns) == ["week", "side", *GOVERNMENT_COLUMNS]
    assert governments["week"].tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6]
    assert governments["side"].tolist() == ["cn", "us"] * 6
    for side in ("us", "cn"):
        rows = governments[governments["side"] == side].reset_index(drop=True)
        for column in GOVERNMENT_COLUMNS:
            pd.testing.assert_series_equal(rows[column], table[f"{side}_{column}"], check_names=False)
    assert governments["trust"].dtype == float and governments["complied"].dtype == bool


def test_classic_tables_have_only_the_classic_columns_and_none_unrecorded():
    model = run("classic-ipd", seed=1, weeks=3).model
    assert list(model.government_table().columns) == ["week", "side", "posture", "complied", "trust",
                                                      "welfare"]
    quiet = run("classic-ipd", seed=1, weeks=3, overrides={"collect.weekly": False}).model
    assert quiet.model_table().empty and quiet.government_table().empty
    assert list(quiet.government_table().columns) == ["week", "side", *GOVERNMENT_COLUMNS]
