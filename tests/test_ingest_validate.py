"""The checks on cleaned rows: what the schema's failed checks say, the row lists of warnings, source addresses.

Most tests go through `ingest`; the checks a cleaned frame can fail only when it was not built by the ingest (a
value outside the vocabulary, an empty required cell the coercion did not see) call `validate_frame` directly.
"""

import datetime as dt

import numpy as np
import pandas as pd

from sse_dash.ingest import blank_rows, ingest, validate_frame
from sse_dash.ingest.addresses import comparable, is_home_page
from sse_dash.ingest.listing import report_problems

USAGE_HEADER = "org_id,country,Year,sse_type,instrument_id,amount,currency"
INSTRUMENTS_HEADER = (
    "instrument_id,name,origin,family,instrument_type,provider_type,description,cost_level,maturity_class,"
    "collateral,control_impact,requires_membership,repayable,life_stages,sse_types,cost_level_evidence,"
    "maturity_class_evidence,collateral_evidence,control_impact_evidence,life_stages_evidence,sse_types_evidence,"
    "source_ids"
)
SOURCES_HEADER = "source_id,title,publisher,Address,kind"
FIGURES_HEADER = "indicator,geography,geo_level,year,value,unit,source_id"


def records(problems, columns=("row", "column", "field", "value", "code", "message")):
    return [tuple(r) for r in problems[list(columns)].itertuples(index=False)]


def instrument_row(instrument_id, cost_level):
    return (
        f"{instrument_id},Gift,external,INT_MEMBER,equity,members,A gift.,{cost_level},permanent,none,none,"
        "false,false,growth,cooperative,fact,fact,fact,fact,fact,fact,s1"
    )


# --- what a failed check says ---------------------------------------------------------------------------------


def test_years_out_of_range_name_their_column_and_field_and_say_whether_they_are_too_early_or_too_late():
    this_year = dt.date.today().year
    data = (
        f"{USAGE_HEADER}\n"
        f"A,KEN,{this_year + 1},cooperative,x,1,KES\n"
        "B,KEN,1850,cooperative,x,1,KES\n"
        f"C,KEN,-{this_year},cooperative,x,1,KES\n"
        "D,KEN,2020,cooperative,x,1,KES\n"
    ).encode()
    report = ingest(data).report
    assert records(report.problems) == [
        (2, "Year", "year", str(this_year + 1), "future_year", f"'{this_year + 1}' is in the future."),
        (3, "Year", "year", "1850", "year_out_of_range", "'1850' is before 1900."),
        (4, "Year", "year", f"-{this_year}", "year_out_of_range", f"'-{this_year}' is before 1900."),
    ]
    assert report.valid_rows == 1


def test_a_year_is_in_the_future_or_too_early_by_its_whole_number_not_by_four_of_its_digits():
    """'3000' and '20261' were said to be before 1900, and '-2030' in the future: the code was chosen from a
    four-digit year found in the text."""
    data = (
        f"{USAGE_HEADER}\n"
        "A,KEN,3000,cooperative,x,1,KES\n"
        "B,KEN,20261,cooperative,x,1,KES\n"
        "C,KEN,-2030,cooperative,x,1,KES\n"
        "D,KEN,۱۴۸۰,cooperative,x,1,KES\n"
        "E,KEN,1450,cooperative,x,1,KES\n"
        "F,KEN,1499,cooperative,x,1,KES\n"
        "G,KEN,1500,cooperative,x,1,KES\n"
    ).encode()
    assert records(ingest(data).report.problems, ("row", "code", "message")) == [
        (2, "future_year", "'3000' is in the future."),
        (3, "future_year", "'20261' is in the future."),
        (4, "year_out_of_range", "'-2030' is before 1900."),
        (5, "future_year", "'۱۴۸۰' is in the future."),  # Solar Hijri 1480 begins in 2101
        (6, "future_year", "'1450' is in the future."),  # written in Western digits: 2071
        (7, "future_year", "'1499' is in the future."),  # the last year read as Solar Hijri: 2120
        (8, "year_out_of_range", "'1500' is before 1900."),  # past them: a Gregorian year
    ]


def test_a_negative_amount_is_quoted_in_its_message():
    data = f"{USAGE_HEADER}\nA,KEN,2020,cooperative,x,-3,KES\n".encode()
    problems = ingest(data).report.problems
    assert records(problems, ("row", "code", "message")) == [(2, "negative_value", "'-3' is negative.")]


def test_a_value_above_the_maximum_names_the_maximum_and_the_field():
    data = "\n".join([INSTRUMENTS_HEADER, instrument_row("gift_a", 4), instrument_row("gift_b", 5)]).encode()
    report = ingest(data, kind="instruments").report
    assert records(report.problems, ("row", "column", "code", "message", "suggestion")) == [
        (3, "cost_level", "above_maximum", "'5' is above the maximum 4 for 'Cost level'.", "Check the value."),
    ]
    assert report.valid_rows == 1


def test_a_frame_not_built_by_the_ingest_gets_the_problems_of_its_unknown_codes_and_empty_cells():
    frame = pd.DataFrame(
        {
            "org_id": ["A", "B", "C"],
            "country": ["KEN", "KEN", "KEN"],
            "year": [2020, 2021, 2021],
            "sse_type": pd.Categorical(["cooperative", "guild", "mutual"]),
            "instrument_id": pd.Categorical(["gift", "member_shares", "member_shares"]),
            "amount": pd.array([1.0, 2.0, None], dtype="Float64"),
            "currency": ["KES", "KES", "KES"],
        },
        index=pd.Index([2, 3, 4], name="row"),
    )
    written = {name: frame[name].astype("object").where(frame[name].notna(), "").astype(str) for name in frame}
    labels = {name: f"{name} column" for name in frame}
    found = validate_frame(frame, "usage", labels, written.__getitem__, ("member_shares", "sacco_cu_loan"))
    listed, _every = report_problems(found)
    assert records(listed, ("row", "column", "field", "value", "code", "message", "suggestion")) == [
        (
            2,
            "instrument_id column",
            "instrument_id",
            "gift",
            "unknown_instrument",
            "'gift' is not a known instrument.",
            "Use an instrument id of the catalogue (see the Instruments page or "
            "`python -m sse_dash template instruments`).",
        ),
        (
            3,
            "sse_type column",
            "sse_type",
            "guild",
            "not_in_vocabulary",
            "'guild' is not a known value of 'SSE type'.",
            "Use one of: cooperative, mutual, association, social_enterprise, foundation, informal_group.",
        ),
        (
            4,
            "amount column",
            "amount",
            "",
            "missing_value",
            "'Amount' is empty in this row.",
            "Fill it in (for example 1250.50).",
        ),
    ]


# --- row lists in warnings ------------------------------------------------------------------------------------


def blank_rows_warning(blank_count):
    data = f"{USAGE_HEADER}\nA,KEN,2020,cooperative,x,1,KES\n" + ",,,,,,\n" * blank_count
    data += "B,KEN,2021,cooperative,x,2,KES\n"
    report = ingest(data.encode()).report
    assert report.rows == 2
    return [w for w in report.warnings if "empty row" in w]


def test_eight_skipped_rows_are_all_listed():
    assert blank_rows_warning(8) == ["8 empty rows were skipped (rows 3, 4, 5, 6, 7, 8, 9, 10)."]


def test_more_than_eight_skipped_rows_list_the_first_eight_and_count_the_rest():
    assert blank_rows_warning(11) == ["11 empty rows were skipped (rows 3, 4, 5, 6, 7, 8, 9, 10 and 3 more)."]


def test_one_skipped_row_is_said_in_the_singular():
    assert blank_rows_warning(1) == ["1 empty row was skipped (row 3)."]


# --- source addresses -----------------------------------------------------------------------------------------


def test_a_home_page_is_told_whatever_its_spelling():
    assert is_home_page("https://example.org/")
    assert is_home_page("https://example.org/index.html")
    assert is_home_page("https://example.org/Index.HTML")
    assert is_home_page("https://example.org/home/")
    assert not is_home_page("https://example.org/index.html/more")
    assert not is_home_page("https://example.org/about")
    assert not is_home_page("https://example.org/?p=12")


def test_the_comparable_form_of_an_address_drops_the_scheme_www_case_of_the_host_and_final_slash():
    assert comparable("https://www.Example.ORG/Reports/2020/") == "example.org/Reports/2020"
    assert comparable(" http://example.org/a b ") == "example.org/a b"
    assert comparable("https://example.org/TAX") == "example.org/TAX"
    assert comparable("https://example.org/report") == "example.org/report"
    assert comparable("https://example.org/report?id=7") == "example.org/report?id=7"
    assert comparable("https://wwwexample.org/") == "wwwexample.org"
    assert comparable("https://example.org.www./x") == "example.org.www./x"


def test_sources_that_are_home_pages_or_one_address_twice_are_problems_and_near_spellings_are_not():
    data = "\n".join(
        [
            SOURCES_HEADER,
            "a,T,P,https://example.org/index.html,primary",
            "b,T,P,https://www.example.org/report,primary",
            "c,T,P,https://Example.org/report/,primary",
            "d,T,P,https://example.org/TAX,primary",
            "e,T,P,https://example.org/TA,primary",
            "f,T,P,https://example.org/,primary",
            "g,T,P,https://example.org/a/b,primary",
            "h,T,P,https://example.org/b/a,primary",
        ]
    ).encode()
    report = ingest(data, kind="sources").report
    assert records(report.problems, ("row", "column", "field", "value", "code", "message")) == [
        (
            2,
            "Address",
            "url",
            "https://example.org/index.html",
            "invalid_value",
            "'https://example.org/index.html' is only a site's home page.",
        ),
        (
            4,
            "Address",
            "url",
            "https://Example.org/report/",
            "duplicate_key",
            "'https://Example.org/report/' is also the address of row 3.",
        ),
        (
            7,
            "Address",
            "url",
            "https://example.org/",
            "invalid_value",
            "'https://example.org/' is only a site's home page.",
        ),
    ]
    assert report.valid_rows == 5


def test_a_sources_file_without_any_address_says_each_one_is_missing():
    data = f"{SOURCES_HEADER}\na,T,P,,primary\nb,T,P,,primary\n".encode()
    problems = ingest(data, kind="sources").report.problems
    assert records(problems, ("row", "column", "code", "message")) == [
        (2, "Address", "missing_value", "'Web address' is empty in this row."),
        (3, "Address", "missing_value", "'Web address' is empty in this row."),
    ]


# --- references to sources ------------------------------------------------------------------------------------


def test_a_figure_naming_an_unknown_source_is_a_problem_of_its_source_column():
    data = f"{FIGURES_HEADER.replace('source_id', 'Source')}\n"
    data += "sse_employment,KEN,country,2020,1,persons,known\nsse_employment,UGA,country,2020,2,persons,nowhere\n"
    result = ingest(data.encode(), kind="figures", source_ids=frozenset({"known"}))
    assert records(result.report.problems) == [
        (3, "Source", "source_id", "nowhere", "unknown_source", "'nowhere' names a source that is not in sources.csv."),
    ]
    assert result.report.valid_rows == 1 and list(result.frame["geography"]) == ["KEN"]
    unchecked = ingest(data.encode(), kind="figures")  # no sources to check against: every source is taken as written
    assert unchecked.report.valid and unchecked.report.valid_rows == 2


def test_an_instrument_is_a_problem_when_one_of_its_sources_is_unknown():
    header = INSTRUMENTS_HEADER.replace("source_ids", "Sources")
    rows = [instrument_row("gift_a", 1), instrument_row("gift_b", 1), instrument_row("gift_c", 1)]
    rows = [rows[0], rows[1].replace(",s1", ",s1|gone"), rows[2].replace(",s1", ",s2; s1")]
    report = ingest("\n".join([header, *rows]).encode(), kind="instruments", source_ids=frozenset({"s1", "s2"})).report
    assert records(report.problems) == [
        (
            3,
            "Sources",
            "source_ids",
            "s1|gone",
            "unknown_source",
            "'s1|gone' names a source that is not in sources.csv.",
        ),
    ]
    assert report.valid_rows == 2


def test_known_sources_are_not_checked_in_files_that_cite_none():
    usage = f"{USAGE_HEADER}\nA,KEN,2020,cooperative,x,1,KES\n".encode()
    assert ingest(usage, source_ids=frozenset()).report.valid
    sources = f"{SOURCES_HEADER}\na,T,P,https://example.org/report,primary\n".encode()
    assert ingest(sources, kind="sources", source_ids=frozenset({"b"})).report.valid


# --- repeated keys and rows -----------------------------------------------------------------------------------


def test_each_repeated_figure_key_names_the_row_that_first_gave_it_and_an_empty_breakdown_as_a_dash():
    rows = [
        "cu_members,World,world,2021,1,persons,s1,",
        "cu_members,KEN,country,2021,1,persons,s1,",
        "cu_members,World,world,2021,2,persons,s1,",
        "cu_members,KEN,country,2021,3,persons,s1,",
        "cu_members,World,world,2021,4,persons,s1,",
        "cu_members,World,world,2021,4,persons,s1,women",
    ]
    report = ingest("\n".join([f"{FIGURES_HEADER},breakdown", *rows]).encode(), kind="figures").report
    repeats_world = (
        "This row repeats Indicator: cu_members, Geography: World, Breakdown: —, Year: 2021, already given in"
    )
    repeats_kenya = "This row repeats Indicator: cu_members, Geography: KEN, Breakdown: —, Year: 2021, already given in"
    assert records(report.problems) == [
        (4, "indicator", "indicator", "cu_members", "duplicate_key", f"{repeats_world} row 2."),
        (5, "indicator", "indicator", "cu_members", "duplicate_key", f"{repeats_kenya} row 3."),
        (6, "indicator", "indicator", "cu_members", "duplicate_key", f"{repeats_world} row 2."),
    ]
    assert report.valid_rows == 3


def test_rows_repeated_exactly_are_kept_with_a_warning_that_lists_them():
    rows = [
        "A,KEN,2020,cooperative,x,1,KES",
        "A,KEN,2020,cooperative,x,1,KES",
        "A,KEN,2020,cooperative,x,1,UGX",
        "B,KEN,2020,cooperative,x,1,KES",
        "A,KEN,2020,cooperative,x,1,KES",
        "A,KEN,2020,cooperative,x,2,KES",
    ]
    report = ingest("\n".join([USAGE_HEADER, *rows]).encode()).report
    assert report.valid_rows == 6
    assert [w for w in report.warnings if "earlier row" in w] == [
        "2 rows repeat an earlier row exactly (rows 3, 6). They are kept; remove them if they were entered twice."
    ]
    one = ingest("\n".join([USAGE_HEADER, rows[0], rows[3], rows[0]]).encode()).report
    assert [w for w in one.warnings if "earlier row" in w] == [
        "1 row repeats an earlier row exactly (row 4). It is kept; remove it if it was entered twice."
    ]
    same = ingest("\n".join([USAGE_HEADER, rows[0], rows[0]]).encode()).report
    assert [w for w in same.warnings if "earlier row" in w] == [
        "1 row repeats an earlier row exactly (row 3). It is kept; remove it if it was entered twice."
    ]


def test_rows_alike_but_for_one_cell_are_not_repeats():
    rows = [
        "A,KEN,2020,cooperative,x,1,KES,first",
        "A,KEN,2020,cooperative,x,1,KES,second",
        "A,KEN,2020,cooperative,x,1,KES,",
        "A,UGA,2020,cooperative,x,1,KES,first",
        "A,KEN,2021,cooperative,x,1,KES,first",
        "A,KEN,2020,cooperative,x,1.5,KES,first",
        "A,KEN,2020,mutual,x,1,KES,first",
    ]
    report = ingest("\n".join([f"{USAGE_HEADER},notes", *rows]).encode()).report
    assert report.valid_rows == 7
    assert not [w for w in report.warnings if "earlier row" in w]
    figures = [f"cu_members,{geo},country,2021,1,persons,s1" for geo in ("KEN", "UGA")]
    figures_report = ingest("\n".join([FIGURES_HEADER, *figures]).encode(), kind="figures").report
    assert figures_report.valid and not figures_report.warnings


# --- blank rows and the cleaned types -------------------------------------------------------------------------


def test_rows_of_blank_cells_are_skipped_but_a_row_with_one_cell_filled_is_checked():
    data = f"{USAGE_HEADER}\nA,KEN,2020,cooperative,x,1,KES\n,  ,,,,,\n,KEN,,,,,\n, ,\t,,,,\nB,,,,,,\n \u00a0,,,,,,\n"
    report = ingest(data.encode()).report
    assert [w for w in report.warnings if "empty row" in w] == ["3 empty rows were skipped (rows 3, 5, 7)."]
    assert sorted(set(report.problems["row"])) == [4, 6]
    assert report.rows == 3


def test_blank_rows_of_a_table_as_read_are_those_whose_every_cell_is_missing_or_spaces():
    cells = pd.DataFrame(
        {
            0: ["", None, "x", "", None, " ", "\t"],  # a row starting with a space is blank too if the rest is
            1: ["", "  ", "", "y", None, "", ""],
            2: [np.nan, np.nan, np.nan, np.nan, 0.0, np.nan, 1.0],
        },
        index=[2, 3, 4, 5, 6, 7, 8],
    )
    assert blank_rows(cells).tolist() == [True, True, False, False, False, True, False]
    nothing = blank_rows(pd.DataFrame(columns=[0, 1]))
    assert nothing.dtype == bool and nothing.shape == (0,)


def test_a_file_of_a_header_alone_has_no_rows():
    report = ingest(f"{USAGE_HEADER}\n".encode()).report
    assert report.rows == 0 and list(report.problems["code"]) == ["no_rows"]


def test_a_file_of_one_column_is_told_which_required_columns_it_lacks():
    report = ingest(b"org_id\nA\n\nB\n", kind="usage").report
    assert list(report.problems["code"]) == ["missing_column"] * 6
    assert sorted(report.problems["field"]) == ["amount", "country", "currency", "instrument_id", "sse_type", "year"]
    assert list(report.problems["column"]) == list(report.problems["field"])  # named by the header it should have
    amount = report.problems.set_index("field").loc["amount"]
    assert amount["message"] == "The required field 'Amount' has no column (its column is named 'amount')."
    assert amount["suggestion"].startswith("Add a column named 'amount' (")  # no close header to suggest


def test_required_whole_numbers_and_true_or_false_are_plain_types_once_every_row_has_them():
    data = "\n".join([INSTRUMENTS_HEADER, instrument_row("gift_a", 1), instrument_row("gift_b", 3)])
    frame = ingest(data.encode(), kind="instruments").frame
    assert frame["cost_level"].dtype == "int64" and list(frame["cost_level"]) == [1, 3]
    assert frame["repayable"].dtype == bool and list(frame["repayable"]) == [False, False]
    assert frame["requires_membership"].dtype == bool
    usage = ingest(
        f"{USAGE_HEADER}\nA,KEN,2020,cooperative,x,1,KES\nB,KEN,FY 2021,cooperative,x,2,KES\n".encode()
    ).frame
    assert usage["year"].dtype == "int64" and list(usage["year"]) == [2020, 2021]
    assert usage["amount"].dtype == "float64"


def test_a_frame_missing_a_column_or_of_the_wrong_type_fails_the_whole_column():
    frame = pd.DataFrame(
        {
            "org_id": ["A", "B"],
            "country": ["KEN", "KEN"],
            "year": [2020, 1800],
            "sse_type": ["cooperative", "mutual"],
            "instrument_id": ["a", "b"],
            "amount": ["-1", "2"],
        },
        index=pd.Index([2, 3], name="row"),
    )
    written = {name: frame[name].astype(str) for name in frame}
    found = validate_frame(frame, "usage", {name: name for name in frame}, written.__getitem__, None)
    listed, _every = report_problems(found)
    assert records(listed, ("row", "column", "code", "message")) == [
        (pd.NA, None, "schema", "The usage column failed the check column_in_dataframe."),
        (pd.NA, None, "schema", "The amount column failed the check dtype('Float64')."),
        (pd.NA, None, "schema", "The amount column failed the check below_minimum."),
        (3, "year", "year_out_of_range", "'1800' is before 1900."),
    ]


def test_a_blank_cell_of_a_required_text_column_is_a_missing_value_in_its_row():
    data = f"{FIGURES_HEADER}\nsse_employment,KEN,country,2020,1,,src\nsse_employment,UGA,country,2020,2,persons,src\n"
    report = ingest(data.encode(), kind="figures").report
    assert records(report.problems, ("row", "column", "code")) == [(2, "unit", "missing_value")]
    assert report.valid_rows == 1
    # A large file's fast parse leaves blank cells missing, not empty text: they are missing values too.
    from sse_dash.ingest import coerce_field
    from sse_dash.schema import FIELDS

    unit = next(f for f in FIELDS["figures"] if f.name == "unit")
    cells = pd.Series(["persons", None, "%"], index=[2, 3, 4], dtype="str")
    coerced = coerce_field(cells, unit, "unit", "figures", ".", None)
    assert [(p.code, list(p.rows)) for p in coerced.problems] == [("missing_value", [3])]
