"""Upload: bring a CSV, TSV or Excel file, see what was detected, map its columns, read every problem, use it."""

import streamlit as st

from sse_dash import data_dictionary, i18n, ingest, limits, schema, store, ui, uploads
from sse_dash.export import to_csv_bytes
from sse_dash.i18n import _
from sse_dash.text import md

ui.require_app()


def kind_words(kind: str) -> str:
    """A kind of data in words, capitalised ('Usage records')."""
    text = _(schema.KIND_LABELS[kind])
    return text[:1].upper() + text[1:]


st.title(_("Upload your data"))
st.markdown(
    _(
        "Bring your own table: a register of cooperatives' loans, a federation's survey, figures copied from a "
        "report. Excel exports in any European format are fine (semicolons, decimal commas, accents), and so are "
        "Persian files. The file is read with the same checks as the dashboard's own data and **stays in this "
        "browser session**: other visitors never see it, it is gone when you close or reload the tab, and your file "
        "itself is never changed."
    )
)
with st.expander(_("Templates and data dictionary"), icon=":material/description:"):
    st.caption(_("An example file of each kind with every column, and what each column means."))
    ui.template_buttons(uploads.UPLOAD_KINDS, _("Template: {kind}.csv"), "upload")
    for kind in uploads.UPLOAD_KINDS:
        st.markdown(f"**{kind_words(kind)}** (`{kind}`)")
        st.markdown(data_dictionary.markdown(kind))

with st.expander(_("Delete a dataset you shared"), icon=":material/delete:"):
    st.caption(_("Paste the share link (or the dataset id) and the delete token you were given when you saved it."))
    with st.form("delete-shared"):
        link = st.text_input(_("Share link or dataset id"))
        token = st.text_input(_("Delete token"), type="password")
        if st.form_submit_button(_("Delete the dataset"), icon=":material/delete:"):
            outcome, message = ui.delete_shared(link, token)
            (st.success if outcome is store.DeleteOutcome.DELETED else st.error)(message)

# --- 1. choose a file ---------------------------------------------------------------------------------------
st.header(_("1. Choose a file"))
limit = limits.max_upload_mb()
uploaded = st.file_uploader(
    _("CSV, TSV or Excel (.xlsx), up to {limit} MB").format(limit=i18n.number(limit)),
    type=["csv", "tsv", "txt", "xlsx"],
    max_upload_size=limit,
    key="upload-file",
)
if uploaded is None:
    ui.forget_upload()
    st.info(
        _("Choose a file to start. Not sure about the columns? Download a template above."),
        icon=":material/upload_file:",
    )
    st.stop()

data = uploaded.getvalue()
digest = ui.upload_digest(uploaded.file_id, data)
first_reading = ui.upload_detected(data, uploaded.name, digest)  # the file read as it comes: sheets, encoding
sheet = encoding = None
if data.startswith(b"PK"):
    sheets = first_reading.sheets
    if len(sheets) > 1:
        picked = st.selectbox(_("Sheet"), sheets, key=f"sheet-{digest}", help=_("The workbook has several sheets."))
        sheet = None if picked == sheets[0] else picked  # the first sheet is what the first reading read
else:
    detected_encoding = first_reading.encoding
    choices = [detected_encoding, *(e for e in uploads.ENCODINGS if e != detected_encoding)]
    picked = st.selectbox(
        _("Encoding"),
        choices,
        key=f"encoding-{digest}",
        format_func=i18n.bound(
            lambda e: _("{encoding} (detected)").format(encoding=e) if e == detected_encoding else e
        ),
        help=_(
            "How the file's letters are stored. If accented names look wrong in the preview below, pick another one."
        ),
    )
    encoding = None if picked == detected_encoding else picked
read = ui.read_upload(data, uploaded.name, digest, sheet, encoding)
table_key = uploads.table_key(digest, sheet, encoding)  # widgets start afresh for another sheet or encoding
for line in uploads.problem_lines(read.problems):
    st.error(md(line), icon=":material/error:")
if read.problems_are_fatal:
    st.stop()

# --- 2. what we detected ------------------------------------------------------------------------------------
st.header(_("2. What we found"))
detected = ingest.detect_kind(read.table.headers)[0]
kinds = list(uploads.UPLOAD_KINDS)
kind = st.selectbox(
    _("Kind of data"),
    kinds,
    index=kinds.index(detected) if detected in kinds else 0,
    format_func=i18n.bound(
        lambda k: _("{kind} (detected)").format(kind=kind_words(k)) if k == detected else kind_words(k)
    ),
    key=f"kind-{table_key}",
    help=_("Detected from the column names; change it if it is wrong."),
)
report = read.report
rows_in_file = uploads.data_rows(read)
with st.container(horizontal=True):
    if report.source_format == "xlsx":
        st.metric(_("Excel sheet"), report.sheet or "", border=True)
    else:
        st.metric(_("Delimiter"), _(report.delimiter_name()) or "?", border=True)
    st.metric(_("Rows"), i18n.number(rows_in_file), border=True, help=_("Data rows under the header."))
    st.metric(_("Columns"), i18n.number(len(read.table.headers)), border=True)
st.caption(_("The first rows, as read:"))
st.dataframe(read.preview(), hide_index=False)

# --- 3. map the columns -------------------------------------------------------------------------------------
st.header(_("3. Match the columns"))
st.caption(
    _(
        "Each field of the dashboard is matched to one of your columns by its name or a known synonym. Change any "
        "match, or type one value for every row (for example one currency for the whole file): a value typed "
        "there is used in place of the column."
    )
)
headers = read.table.headers
match = ingest.match_columns(headers, kind)
for line in uploads.problem_lines(match.problems):
    st.warning(
        md(line) + " " + _("The first one is matched below; change it if the other is right."),
        icon=":material/warning:",
    )
choices_list = uploads.field_choices(headers)
with st.form(f"mapping-{table_key}-{kind}"):
    choices, constants = {}, {}
    for f in uploads.fields_of(kind):
        left, right = st.columns([3, 2], vertical_alignment="bottom")
        start = uploads.initial_choice(f, match, headers)
        field_help = _("{description}\n\nIts column in the template: `{name}`.").format(
            description=_(f.description), name=f.name
        )
        choices[f.name] = left.selectbox(
            _("{field} (required)").format(field=_(f.label)) if f.required else _(f.label),
            choices_list,
            index=choices_list.index(start),
            key=f"map-{table_key}-{kind}-{f.name}",
            format_func=i18n.bound(uploads.choice_text),
            help=field_help,
        )
        constants[f.name] = right.text_input(
            _("Value for every row"),
            key=f"const-{table_key}-{kind}-{f.name}",
            placeholder=_("e.g. {example}").format(example=f.example) if f.example else "",
            help=_(
                "Leave it empty to use the column. A value typed here is used for every row, in place of the column."
            ),
        )
    st.form_submit_button(_("Check the file with these matches"), icon=":material/fact_check:", type="primary")
mapping, values = uploads.mapping_from_choices(choices, constants)
typed = [f for f in uploads.fields_of(kind) if f.name in values and values[f.name]]
if typed:
    st.caption(
        _("Used for every row, in place of a column: {values}.").format(
            values="; ".join(f"{_(f.label)} = {md(values[f.name])}" for f in typed)
        )
    )

# --- 4. the report ------------------------------------------------------------------------------------------
st.header(_("4. Check"))
result = ui.check_upload(read, digest, kind, mapping, values, data)
checked = result.report
if checked.extra_columns:
    st.caption(
        _("Columns kept aside (not used by the dashboard, nothing is deleted): {columns}").format(
            columns=", ".join(md(c) for c in checked.extra_columns)
        )
    )
with st.container(horizontal=True):
    st.metric(
        _("Rows read"),
        i18n.number(checked.rows),
        border=True,
        help=_("Data rows under the header, without empty rows."),
    )
    st.metric(_("Valid rows"), i18n.number(checked.valid_rows), border=True)
    st.metric(_("Problems"), i18n.number(checked.problem_count), border=True)
    if checked.decimal:
        st.metric(_("Decimal mark"), _("comma") if checked.decimal == "," else _("point"), border=True)
for warning in checked.warnings:
    st.warning(md(warning), icon=":material/warning:")
if checked.valid:
    st.success(
        i18n.ngettext(
            "No problems: the {count} row can be used.",
            "No problems: all {count} rows can be used.",
            checked.valid_rows,
        ).format(count=i18n.number(checked.valid_rows)),
        icon=":material/check_circle:",
    )
else:
    st.markdown(md(uploads.left_out_summary(checked)))
    st.dataframe(uploads.problem_summary(checked), hide_index=True)
    for note in uploads.cut_notes(checked):
        st.info(note, icon=":material/list:")
    table = uploads.problems_for_download(checked)
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            _("What is wrong"): st.column_config.TextColumn(width="large"),
            _("What to do"): st.column_config.TextColumn(width="large"),
        },
    )
    st.download_button(
        _("Download the problems (CSV)"),
        to_csv_bytes(table),
        f"problems-{uploaded.name}.csv",
        "text/csv",
        on_click="ignore",
        icon=":material/download:",
        key=f"problems-{digest}",
    )
    if uploads.cut_notes(checked):
        every_problem = uploads.every_problem_table(checked)  # row, column and kind of each: made into CSV on click
        st.download_button(
            _("Download the full list of problems (CSV)"),
            lambda: to_csv_bytes(every_problem),
            f"all-problems-{uploaded.name}.csv",
            "text/csv",
            on_click="ignore",
            icon=":material/download:",
            key=f"every-problem-{digest}",
        )

# --- 5. use it ----------------------------------------------------------------------------------------------
st.header(_("5. Use it"))
if checked.valid_rows == 0:
    st.error(
        _("No row can be used yet. Fix the problems above (in the file or in the matches) and check again."),
        icon=":material/block:",
    )
    st.stop()
mode = "extend"
if kind == "instruments":
    mode = st.radio(
        _("This catalogue should…"),
        ["extend", "replace"],
        horizontal=True,
        key=f"catalogue-mode-{digest}",
        format_func=i18n.bound(
            lambda m: {
                "extend": _("extend the bundled catalogue (same ids are replaced)"),
                "replace": _("replace the bundled catalogue"),
            }[m]
        ),
    )
if checked.valid:
    label = i18n.ngettext("Use all {count} row", "Use all {count} rows", checked.valid_rows).format(
        count=i18n.number(checked.valid_rows)
    )
else:
    label = i18n.ngettext(
        "Continue with the {count} valid row ({left_out} left out)",
        "Continue with the {count} valid rows ({left_out} left out)",
        checked.valid_rows,
    ).format(count=i18n.number(checked.valid_rows), left_out=i18n.number(checked.rows_left_out))
if st.button(label, type="primary", icon=":material/play_arrow:", key=f"use-{table_key}"):
    ui.use_upload(result, uploaded.name, digest, kind, mode)
    st.rerun()  # so the sidebar and every page see the new data at once
target = {
    "usage": ("pages/usage.py", _("Open the usage explorer")),
    "figures": ("pages/figures.py", _("Open the published figures")),
    "instruments": ("pages/instruments.py", _("Open the instruments")),
}[kind]
if ui.upload_is_active(digest, kind):
    st.success(
        _("{kind} from {file} are active on every page for this browser session.").format(
            kind=kind_words(kind), file=md(uploaded.name)
        ),
        icon=":material/check_circle:",
    )
    st.page_link(target[0], label=target[1], icon=":material/arrow_forward:")

# --- 6. share it (optional) ---------------------------------------------------------------------------------
if ui.upload_is_active(digest, kind) or ui.shared_id():
    st.header(_("6. Share it (optional)"))
    st.markdown(
        _(
            "Saving stores the {count} valid rows on this dashboard's server so that a link can show them to a "
            "colleague. **Anyone holding the link can view the data.** It is kept for {days} days, and you get a "
            "token to delete it sooner. Unsaved uploads stay private to this browser tab."
        ).format(count=i18n.number(checked.valid_rows), days=i18n.number(ui.dataset_store().ttl.days))
    )
    reachable = ui.store_available()
    if not reachable:
        st.warning(_(ui.UNAVAILABLE), icon=":material/cloud_off:")
    agreed = st.checkbox(_("I understand that anyone with the link can view this data"), key=f"agree-{table_key}")
    if st.button(
        _("Save and get a share link"),
        icon=":material/cloud_upload:",
        disabled=not (agreed and reachable),
        key=f"save-{table_key}",
    ):
        ui.save_upload(result, uploaded.name, digest, kind, mapping, values, mode)
    ui.show_saved_link(kind)
