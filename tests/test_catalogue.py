"""The catalogue as people read it: judgments marked, comparisons, sources, scores."""

import pytest

from sse_dash import catalogue_text, datasets, scoring


@pytest.fixture(scope="module")
def instruments():
    return datasets.load_bundle().catalogue


def test_table_marks_every_judgment_and_only_judgments(instruments):
    table = catalogue_text.table(instruments).set_index("id")
    for _, row in instruments.iterrows():
        for attribute, title in catalogue_text.ATTRIBUTE_TITLES.items():
            judged = row[f"{attribute}_evidence"] == "judgment"
            assert table.loc[row["instrument_id"], title].endswith(catalogue_text.JUDGMENT_MARK) == judged


def test_comparison_matrix_says_fact_or_judgment(instruments):
    matrix = catalogue_text.comparison(instruments, ["member_shares", "sacco_cu_loan"])
    assert list(matrix.columns[1:]) == list(
        instruments.set_index("instrument_id").loc[["member_shares", "sacco_cu_loan"], "name"]
    )
    cost = matrix.set_index("attribute").loc["Cost"]
    assert all(cell.endswith(("(judgment)", "(sourced)")) for cell in cost)


def test_sources_of_an_instrument_have_links(instruments):
    sources = datasets.load_sources()
    row = instruments.set_index("instrument_id").loc["labour_fund"].copy()
    found = catalogue_text.sources_of(row, sources)
    assert len(found) >= 1 and found["url"].str.startswith("http").all()
    assert "](http" in catalogue_text.source_markdown(found.iloc[0])


def test_evidence_counts_cover_every_instrument(instruments):
    counts = catalogue_text.evidence_counts(instruments)
    assert (counts["sourced facts"] + counts["editorial judgments"]).eq(len(instruments)).all()


def test_scores_are_1_to_5_for_every_instrument(instruments):
    scores = scoring.scores(instruments)
    for criterion in scoring.CRITERIA:
        assert scores[criterion].between(1, 5).all(), criterion


def test_scores_follow_the_attributes(instruments):
    scores = scoring.scores(instruments).set_index("instrument_id")
    assert scores.loc["membership_fees", "affordability"] == 5  # cost level 0
    assert scores.loc["microcredit", "affordability"] == 1  # cost level 4
    assert scores.loc["vc_equity_conv", "control_preservation"] == 1  # proportional dilution
