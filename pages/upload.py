"""Upload: bring a CSV, TSV or Excel file, see what was detected, map its columns, read every problem, use it."""

import streamlit as st

from sse_dash import ingest, limits, schema, store, ui, uploads
from sse_dash.export import to_csv_bytes
from sse_dash.text import md

ui.require_app()


st.title("Upload your data")
st.markdown(
    "Bring your own table: a register of cooperatives' loans, a federation's survey, figures copied from a report. "
    "Excel exports in any European format are fine (semicolons, decimal commas, accents). The file is read with "
    "the same checks as the dashboard's own data and **stays in this browser session**: other visitors never see "
    "it, it is gone when you close or reload the tab, and your file itself is never changed."
)
with st.expander("Templates and data dictionary", icon=":material/description:"):
    st.caption("An example file of each kind with every column, and what each column means.")
    ui.template_buttons(uploads.UPLOAD_KINDS, "Template: {kind}.csv", "upload")
    for kind in uploads.UPLOAD_KINDS:
        st.markdown(f"**{schema.KIND_LABELS[kind].capitalize()}** (`{kind}`)")
        st.markdown(schema.dictionary_markdown(kind))

with st.expander("Delete a dataset you shared", icon=":material/delete:"):
    st.caption("Paste the share link (or the dataset id) and the delete token you were given when you saved it.")
    with st.form("delete-shared"):
        link = st.text_input("Share link or dataset id")
        token = st.text_input("Delete token", type="password")
        if st.form_submit_button("Delete the dataset", icon=":material/delete:"):
            outcome, message = ui.delete_shared(link, token)
            (st.success if outcome is store.DeleteOutcome.DELETED else st.error)(message)

# --- 1. choose a file ---------------------------------------------------------------------------------------
st.header("1. Choose a file")
limit = limits.max_upload_mb()
uploaded = st.file_uploader(
    f"CSV, TSV or Excel (.xlsx), up to {limit} MB",
    type=["csv", "tsv", "txt", "xlsx"],
    max_upload_size=limit,
    key="upload-file",
)
if uploaded is None:
    ui.forget_upload()
    st.info(
        "Choose a file to start. Not sure about the columns? Download a template above.", icon=":material/upload_file:"
    )
    st.stop()

data = uploaded.getvalue()
digest = ui.upload_digest(uploaded.file_id, data)
first_reading = ui.upload_detected(data, uploaded.name, digest)  # the file read as it comes: sheets, encoding
sheet = encoding = None
if data.startswith(b"PK"):
    sheets = first_reading.sheets
    if len(sheets) > 1:
        picked = st.selectbox("Sheet", sheets, key=f"sheet-{digest}", help="The workbook has several sheets.")
        sheet = None if picked == sheets[0] else picked  # the first sheet is what the first reading read
else:
    detected_encoding = first_reading.encoding
    choices = [detected_encoding, *(e for e in uploads.ENCODINGS if e != detected_encoding)]
    picked = st.selectbox(
        "Encoding",
        choices,
        key=f"encoding-{digest}",
        format_func=lambda e: f"{e} (detected)" if e == detected_encoding else e,
        help="How the file's letters are stored. If accented names look wrong in the preview below, pick another one.",
    )
    encoding = None if picked == detected_encoding else picked
read = ui.read_upload(data, uploaded.name, digest, sheet, encoding)
table_key = uploads.table_key(digest, sheet, encoding)  # widgets start afresh for another sheet or encoding
for line in uploads.problem_lines(read.problems):
    st.error(md(line), icon=":material/error:")
if read.problems_are_fatal:
    st.stop()

# --- 2. what we detected ------------------------------------------------------------------------------------
st.header("2. What we found")
detected, _ = ingest.detect_kind(read.table.headers)
kinds = list(uploads.UPLOAD_KINDS)
kind = st.selectbox(
    "Kind of data",
    kinds,
    index=kinds.index(detected) if detected in kinds else 0,
    format_func=lambda k: schema.KIND_LABELS[k] + (" (detected)" if k == detected else ""),
    key=f"kind-{table_key}",
    help="Detected from the column names; change it if it is wrong.",
)
report = read.report
with st.container(horizontal=True):
    if report.source_format == "xlsx":
        st.metric("Excel sheet", report.sheet or "", border=True)
    else:
        st.metric("Delimiter", report.delimiter_name() or "?", border=True)
    st.metric("Rows", f"{len(read.table.cells):,}", border=True, help="Data rows under the header.")
    st.metric("Columns", len(read.table.headers), border=True)
st.caption("The first rows, as read:")
st.dataframe(read.preview(), hide_index=False)

# --- 3. map the columns -------------------------------------------------------------------------------------
st.header("3. Match the columns")
st.caption(
    "Each field of the dashboard is matched to one of your columns by its name or a known synonym. Change any "
    "match, or give one value for every row (for example one currency for the whole file)."
)
headers = read.table.headers
match = ingest.match_columns(headers, kind)
for line in uploads.problem_lines(match.problems):
    st.warning(
        md(line) + " The first one is matched below; change it if the other is right.", icon=":material/warning:"
    )
choices_list = uploads.field_choices(headers)
with st.form(f"mapping-{table_key}-{kind}"):
    choices, constants = {}, {}
    for f in uploads.fields_of(kind):
        left, right = st.columns([3, 2], vertical_alignment="bottom")
        start = uploads.initial_choice(f, match, headers)
        choices[f.name] = left.selectbox(
            f"{f.name}" + (" (required)" if f.required else ""),
            choices_list,
            index=choices_list.index(start),
            key=f"map-{table_key}-{kind}-{f.name}",
            help=f.description,
        )
        constants[f.name] = right.text_input(
            "Value for every row",
            key=f"const-{table_key}-{kind}-{f.name}",
            placeholder=f.example or "",
            help=f"Used when the field is set to '{uploads.CONSTANT}'.",
        )
    st.form_submit_button("Check the file with these matches", icon=":material/fact_check:", type="primary")
mapping, values = uploads.mapping_from_choices(choices, constants)

# --- 4. the report ------------------------------------------------------------------------------------------
st.header("4. Check")
result = ui.check_upload(read, digest, kind, mapping, values)
checked = result.report
if checked.extra_columns:
    st.caption(
        "Columns kept aside (not used by the dashboard, nothing is deleted): "
        + ", ".join(md(c) for c in checked.extra_columns)
    )
with st.container(horizontal=True):
    st.metric("Rows read", f"{checked.rows:,}", border=True)
    st.metric("Valid rows", f"{checked.valid_rows:,}", border=True)
    st.metric("Problems", f"{len(checked.problems):,}", border=True)
    if checked.decimal:
        st.metric("Decimal mark", "comma" if checked.decimal == "," else "point", border=True)
for warning in checked.warnings:
    st.warning(md(warning), icon=":material/warning:")
if checked.valid:
    st.success(f"No problems: all {checked.valid_rows:,} rows can be used.", icon=":material/check_circle:")
else:
    st.markdown(md(uploads.left_out_summary(checked)))
    st.dataframe(uploads.problem_summary(checked), hide_index=True)
    table = uploads.problems_for_download(checked)
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            "spreadsheet row": st.column_config.NumberColumn(format="%d"),
            "message": st.column_config.TextColumn(width="large"),
            "suggestion": st.column_config.TextColumn(width="large"),
        },
    )
    st.download_button(
        "Download the problems (CSV)",
        to_csv_bytes(table),
        f"problems-{uploaded.name}.csv",
        "text/csv",
        on_click="ignore",
        icon=":material/download:",
        key=f"problems-{digest}",
    )

# --- 5. use it ----------------------------------------------------------------------------------------------
st.header("5. Use it")
if checked.valid_rows == 0:
    st.error(
        "No row can be used yet. Fix the problems above (in the file or in the matches) and check again.",
        icon=":material/block:",
    )
    st.stop()
mode = "extend"
if kind == "instruments":
    mode = st.radio(
        "This catalogue should…",
        ["extend", "replace"],
        horizontal=True,
        key=f"catalogue-mode-{digest}",
        format_func=lambda m: {
            "extend": "extend the bundled catalogue (same ids are replaced)",
            "replace": "replace the bundled catalogue",
        }[m],
    )
label = (
    f"Use all {checked.valid_rows:,} rows"
    if checked.valid
    else f"Continue with the {checked.valid_rows:,} valid rows ({checked.rows_left_out:,} left out)"
)
if st.button(label, type="primary", icon=":material/play_arrow:", key=f"use-{table_key}"):
    ui.use_upload(result, uploaded.name, digest, kind, mode)
    st.rerun()  # so the sidebar and every page see the new data at once
target = {
    "usage": ("pages/usage.py", "Open the usage explorer"),
    "figures": ("pages/figures.py", "Open the published figures"),
    "instruments": ("pages/instruments.py", "Open the instruments"),
}[kind]
if ui.upload_is_active(digest, kind):
    st.success(
        f"{schema.KIND_LABELS[kind].capitalize()} from {md(uploaded.name)} are active on every page for "
        "this browser session.",
        icon=":material/check_circle:",
    )
    st.page_link(target[0], label=target[1], icon=":material/arrow_forward:")

# --- 6. share it (optional) ---------------------------------------------------------------------------------
if ui.upload_is_active(digest, kind) or ui.shared_id():
    st.header("6. Share it (optional)")
    st.markdown(
        f"Saving stores the {checked.valid_rows:,} valid rows on this dashboard's server so that a link can show "
        f"them to a colleague. **Anyone holding the link can view the data.** It is kept for "
        f"{ui.dataset_store().ttl.days} days, and you get a token to delete it sooner. Unsaved uploads stay private "
        "to this browser tab."
    )
    reachable = ui.store_available()
    if not reachable:
        st.warning(ui.UNAVAILABLE, icon=":material/cloud_off:")
    agreed = st.checkbox("I understand that anyone with the link can view this data", key=f"agree-{table_key}")
    if st.button(
        "Save and get a share link",
        icon=":material/cloud_upload:",
        disabled=not (agreed and reachable),
        key=f"save-{table_key}",
    ):
        ui.save_upload(result, uploaded.name, digest, kind, mapping, values, mode)
    ui.show_saved_link(kind)
