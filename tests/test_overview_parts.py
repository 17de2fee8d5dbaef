"""The Overview's shared charts (dashboard/app/overview_parts.py): what they draw, for whom."""
from __future__ import annotations

import pandas as pd
import pytest

from dashboard.app import overview_parts
from dashboard import views
from dashboard.access.suppression import PRIMARY_MARK as LT5
from dashboard.config import load_config
from dashboard.pipeline import load_coalition
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def demo():
    config = load_config(ROOT / "dashboard" / "demo_data" / "coalition.toml")
    return config, load_coalition(config)


def test_target_is_named_above_the_bars_not_on_them(demo):
    config, coalition = demo
    fig, table = overview_parts.progress_part(coalition, config.targets)
    (label,) = [a for a in fig.layout.annotations if a.text == "target"]
    assert (label.x, label.y, label.yref, label.yanchor) == (100, 1, "paper", "bottom")
    assert len(table) == len(fig.data[0].y) == len(config.targets)


def test_regions_are_drawn_across_with_room_for_every_name(demo):
    _, coalition = demo
    breakdown = views.attendee_breakdowns(coalition, ["region"])["region"]
    fig, table = overview_parts.attended_part(breakdown, "Region", trustee=False, across=True)
    bar = fig.data[0]
    assert bar.orientation == "h" and list(bar.y) == table["Region"].tolist()
    assert list(bar.x) == table[overview_parts.COUNTED].tolist()
    assert list(bar.text) == [str(n) for n in table[overview_parts.COUNTED]]
    assert bar.cliponaxis is False                        # the longest bar's number shows
    assert len(table) >= 12 and fig.layout.height >= overview_parts.BAR_HEIGHT * len(table)
    assert fig.layout.yaxis.autorange == "reversed"       # read from the top, as the table


def test_trustee_chart_draws_a_suppressed_count_at_zero_and_says_so(demo):
    breakdown = pd.DataFrame({"North East": [3, 0], "London": [40, 12], "Wales": [2, 7]},
                             index=["A", "B"])
    for across in (True, False):
        fig, table = overview_parts.attended_part(breakdown, "Region", trustee=True,
                                                  across=across)
        bar = fig.data[0]
        lengths = bar.x if across else bar.y
        assert list(bar.text) == table[overview_parts.COUNTED].tolist()
        shown = dict(zip(table["Region"], table[overview_parts.COUNTED]))
        assert shown["North East"] == LT5 and dict(zip(table["Region"], lengths))["North East"] == 0
        assert shown["London"] == "52"
        assert 52 in list(lengths)
