"""The catalogue of problem codes: each code's severity, meaning and fix.

Codes are stable: tools and CI configurations match on them. A new check
gets a new code; a code is never reused for something else.
"""

from __future__ import annotations

import types
from collections.abc import Mapping

import attrs

__all__ = ["CODES", "CodeInfo"]


@attrs.frozen(kw_only=True)
class CodeInfo:
    """What a problem code means, how bad it is by default, and how to fix it."""

    code: str
    severity: str
    stage: str
    title: str
    hint: str
    example: str


_ENTRIES = [
    # -- files ---------------------------------------------------------------------------
    CodeInfo(
        code="path-not-found",
        severity="error",
        stage="files",
        title="The dataset path does not exist",
        hint="Check the path; give a .json, .yaml or .yml file, or a folder with a dataset.yaml.",
        example="benchmarkkit validate datset.yaml   # typo in the file name",
    ),
    CodeInfo(
        code="not-a-dataset",
        severity="error",
        stage="files",
        title="The path is not a dataset",
        hint="A dataset is a .json/.yaml/.yml file, or a folder containing dataset.yaml "
        "(or dataset.json) and other data files.",
        example="benchmarkkit validate docs/   # a folder without dataset.yaml",
    ),
    CodeInfo(
        code="file-unreadable",
        severity="error",
        stage="files",
        title="A file cannot be read",
        hint="Check that the file exists and that you may read it (its permissions, and "
        "those of its folders).",
        example="a dataset file without read permission (chmod 000 actors.yaml)",
    ),
    CodeInfo(
        code="not-utf8",
        severity="error",
        stage="files",
        title="A file is not UTF-8 text",
        hint="Save the file as UTF-8: in an editor or spreadsheet, 'Save as' with the "
        "encoding UTF-8; on the command line, for example, "
        "iconv -f WINDOWS-1252 -t UTF-8 old.yaml > new.yaml.",
        example="a dataset file saved in Latin-1 with accented names",
    ),
    CodeInfo(
        code="json-syntax",
        severity="error",
        stage="files",
        title="A JSON file is not valid JSON",
        hint="Fix the syntax at the line and column given: look for a missing comma or "
        "quote, or a trailing comma before } or ].",
        example='{"id": "kz", "title": "Kazakhstan",}',
    ),
    CodeInfo(
        code="yaml-syntax",
        severity="error",
        stage="files",
        title="A YAML file is not valid YAML",
        hint="Fix the syntax at the line and column given: look at the indentation, and "
        "quote text that contains ': ' or starts with a special character.",
        example="title: Appeal: the EU and Kazakhstan   # unquoted ': ' inside a value",
    ),
    CodeInfo(
        code="yaml-tag",
        severity="error",
        stage="files",
        title="A YAML file uses a tag benchmarkkit does not accept",
        hint="Remove the tag. Dataset files hold plain data: mappings, lists, text, numbers, "
        "true/false and null. Tags that build objects or run code are refused.",
        example="id: !!python/object/apply:os.system [echo hi]",
    ),
    CodeInfo(
        code="duplicate-key",
        severity="error",
        stage="files",
        title="A key appears twice in the same YAML mapping or JSON object",
        hint="Keep one of the two entries; a parser silently keeps only the last.",
        example="title: A\ntitle: B",
    ),
    CodeInfo(
        code="too-complex",
        severity="error",
        stage="files",
        title="A value is nested too deeply, expands too far, or contains itself",
        hint="Dataset files are a few levels deep; remove the deep nesting, or the YAML "
        "aliases that repeat the same content many times. Data built in Python must not "
        "contain itself (a list holding itself): give a copy instead.",
        example="a YAML 'billion laughs' file built from nested aliases",
    ),
    CodeInfo(
        code="number-too-large",
        severity="error",
        stage="files",
        title="A number is too large to be read exactly",
        hint="Whole numbers lie between -9223372036854775808 and 18446744073709551615, other "
        "numbers within about 1.8e308: write a larger whole number as a decimal number (1e30), "
        "or give the value in a larger unit (millions rather than units).",
        example="value: 1000000000000000000000000000000   # read back as 1e+30 from JSON",
    ),
    CodeInfo(
        code="unquoted-date",
        severity="warning",
        stage="files",
        title="A date in a YAML file is not in quotes",
        hint='Put the date in quotes: date: "2012-03-20". benchmarkkit reads it as text either '
        "way, but YAML 1.1 readers (js-yaml, PyYAML's default loader, Ruby) read an unquoted "
        "date as a date, and the file then breaks the format for them.",
        example='date: 2012-03-20   # write date: "2012-03-20"',
    ),
    CodeInfo(
        code="include-outside-folder",
        severity="error",
        stage="files",
        title="An include pattern reaches outside the dataset folder",
        hint="Use patterns relative to the folder, without '..' or an absolute path.",
        example="include: ['../other-dataset/*.yaml']",
    ),
    CodeInfo(
        code="include-matches-nothing",
        severity="warning",
        stage="files",
        title="An include pattern matches no file",
        hint="Check the pattern's spelling, or remove it.",
        example="include: ['benchmark/*.yaml']   # the folder is called benchmarks",
    ),
    CodeInfo(
        code="link-outside-folder",
        severity="error",
        stage="files",
        title="A dataset file is a link to a place outside the dataset folder",
        hint="Copy the file into the dataset folder instead of linking to it.",
        example="benchmarks.yaml -> /home/someone/elsewhere/benchmarks.yaml",
    ),
    # .. table files (import, validate of a workbook) ......................................
    CodeInfo(
        code="table-not-readable",
        severity="error",
        stage="files",
        title="A table file cannot be read",
        hint="Give an .xlsx, .xls or .ods workbook, a .csv file, or a folder of .csv files. "
        "A damaged or cut-short workbook: open it in a spreadsheet application and save it "
        "again; a workbook with a password: remove the password and save it.",
        example="benchmarkkit import report.pdf -o data/   # not a table",
    ),
    CodeInfo(
        code="cell-not-decodable",
        severity="error",
        stage="files",
        title="Bytes in a cell of a CSV file cannot be read in its encoding",
        hint="Give the file's encoding with --encoding (cp1252 for Windows, mac_roman for "
        "older Mac programs, utf-16), or save the file as UTF-8 (in a spreadsheet: Save as, "
        "CSV UTF-8). The rest of the table is read; the bytes are shown as \ufffd.",
        example="a Windows-1252 CSV file read with --encoding utf-8",
    ),
    CodeInfo(
        code="encoding-detected",
        severity="info",
        stage="files",
        title="The encoding of a CSV file was guessed from its bytes",
        hint="Check that accented letters and quotes read right; if they do not, give the "
        "file's encoding with --encoding (such as cp1252 or mac_roman).",
        example="a CSV file saved as Windows-1252 by an older version of Excel",
    ),
    CodeInfo(
        code="encoding-unknown",
        severity="error",
        stage="files",
        title="The encoding given is not one Python knows",
        hint="Give an encoding such as utf-8, utf-16, cp1252 (Windows-1252) or mac_roman.",
        example="benchmarkkit import table.csv --encoding windows1252x -o data/",
    ),
    CodeInfo(
        code="spreadsheets-missing",
        severity="error",
        stage="files",
        title="Reading workbooks needs the spreadsheets extra",
        hint="Install it: pip install 'benchmarkkit[spreadsheets]'.",
        example="benchmarkkit validate book.xlsx   # python-calamine is not installed",
    ),
    # -- schema ------------------------------------------------------------------------
    CodeInfo(
        code="unsupported-schema-version",
        severity="error",
        stage="schema",
        title="The dataset is written for a format version this benchmarkkit does not read",
        hint="Set schema_version to a version this benchmarkkit reads, or install the "
        "benchmarkkit release that reads yours.",
        example='schema_version: "2.0"',
    ),
    CodeInfo(
        code="field-from-later-version",
        severity="error",
        stage="schema",
        title="A field is newer than the format version the dataset declares",
        hint="Set schema_version to the version that added the field: benchmarkkit upgrade "
        "does it, changing nothing else; or remove the field.",
        example='schema_version: "1.0"\nrecommendations: [...]   # new in format 1.1',
    ),
    CodeInfo(
        code="missing-field",
        severity="error",
        stage="schema",
        title="A required field is missing",
        hint="Add the field; the message says what it holds.",
        example="evidence:\n  - id: ev-1\n    source: appeal   # no date, benchmarks, ...",
    ),
    CodeInfo(
        code="conflicting-fields",
        severity="error",
        stage="schema",
        title="A record gives two fields where only one of them may be given",
        hint="Keep the field that is right and remove the other; the message names both.",
        example="assessments:\n  - id: as-1\n    benchmark: bm-1\n    recommendation: rec-1"
        "   # one or the other",
    ),
    CodeInfo(
        code="unknown-field",
        severity="error",
        stage="schema",
        title="A field is not part of the format",
        hint="Check the spelling against the format reference; fields are snake_case.",
        example='evidence:\n  - id: ev-1\n    dtae: "2012-03-20"   # should be date',
    ),
    CodeInfo(
        code="wrong-type",
        severity="error",
        stage="schema",
        title="A value has the wrong type",
        hint="Write the kind of value the message asks for: text, a number, a list, a mapping.",
        example="benchmarks: bm-1   # should be a list: [bm-1]",
    ),
    CodeInfo(
        code="invalid-value",
        severity="error",
        stage="schema",
        title="A value is not one of the allowed values",
        hint="Use one of the values the message lists.",
        example="direction: improved   # progress, regression, no-change or mixed",
    ),
    CodeInfo(
        code="invalid-format",
        severity="error",
        stage="schema",
        title="Text does not have the required form",
        hint="Write the value in the form the message describes.",
        example="date: 20 March 2012   # should be 2012-03-20",
    ),
    CodeInfo(
        code="out-of-range",
        severity="error",
        stage="schema",
        title="A number is outside its allowed range",
        hint="Use a number within the range the message gives.",
        example="levels:\n  - {id: met, label: Met, value: 1.5}   # values lie in [0, 1]",
    ),
    CodeInfo(
        code="wrong-length",
        severity="error",
        stage="schema",
        title="Text or a list is too short or too long",
        hint="Fill in the empty text or list, or shorten it, as the message says.",
        example="benchmarks: []   # evidence bears on at least one benchmark",
    ),
    CodeInfo(
        code="duplicate-item",
        severity="error",
        stage="schema",
        title="A list names the same item twice",
        hint="Remove the repeated item.",
        example="benchmarks: [bm-1, bm-1]",
    ),
    CodeInfo(
        code="schema-violation",
        severity="error",
        stage="schema",
        title="A value breaks another rule of the format",
        hint="See the format reference for the field named in the message.",
        example="(rules not covered by a more specific code)",
    ),
    CodeInfo(
        code="invalid-text",
        severity="error",
        stage="schema",
        title="Text holds a character no file can hold",
        hint="Remove or replace the character: a lone surrogate (U+D800 to U+DFFF) is half "
        "of a character, often from text cut in the middle or decoded wrongly.",
        example='validate_data({..., "title": "Kazakhstan \\ud800"})  # built in Python',
    ),
    CodeInfo(
        code="non-text-key",
        severity="error",
        stage="schema",
        title="A mapping has a key that is not text",
        hint="Use text keys only (the field names of the format); convert numbers and other "
        "values to text, or leave them out.",
        example="validate_data({..., 1: 'x'})  # data built in Python",
    ),
    # -- records -------------------------------------------------------------------------
    CodeInfo(
        code="invalid-date",
        severity="error",
        stage="records",
        title="A date does not exist in the calendar",
        hint="Check the day and month: 2012-02-30 and 2011-02-29 do not exist.",
        example='date: "2012-02-30"',
    ),
    CodeInfo(
        code="invalid-record",
        severity="error",
        stage="records",
        title="A record breaks a rule of its type",
        hint="Correct the record as the message says.",
        example="a scale whose level values decrease from worst to best",
    ),
    CodeInfo(
        code="duplicate-id",
        severity="error",
        stage="references",
        title="Two records of the same kind share an id",
        hint="Give each record its own id; references cannot tell the two apart.",
        example="benchmarks:\n  - id: bm-1 ...\n  - id: bm-1 ...",
    ),
    CodeInfo(
        code="unknown-reference",
        severity="error",
        stage="references",
        title="A reference names a record that does not exist",
        hint="Correct the id, or add the record it should refer to.",
        example="evidence:\n  - id: ev-1\n    benchmarks: [bm-99]   # no benchmark bm-99",
    ),
    CodeInfo(
        code="unknown-level",
        severity="error",
        stage="references",
        title="A level is not on the scale named",
        hint="Use one of the scale's level ids, listed in the message.",
        example="scale: ogp-completion\nlevel: partial   # not on the scale",
    ),
    CodeInfo(
        code="ambiguous-threshold",
        severity="error",
        stage="references",
        title="A benchmark condition has no threshold, or two",
        hint="Give either minimum_score, or scale with minimum_level.",
        example="condition: {kind: benchmark, benchmark: bm-1}",
    ),
    CodeInfo(
        code="impossible-condition",
        severity="error",
        stage="references",
        title="An at-least condition asks for more conditions than it has",
        hint="Lower count to at most the number of conditions listed.",
        example="{kind: at-least, count: 3, conditions: [c1, c2]}",
    ),
    CodeInfo(
        code="unlinked-recommendation",
        severity="info",
        stage="references",
        title="No record names a recommendation",
        hint="Add its id to the recommendations of the benchmark, commitment or gate that "
        "follows from it, or of the evidence or assessment that tracks its implementation "
        "(checked in format 1.1 and later).",
        example="recommendations:\n  - id: rec-ep-1 ...   # no benchmark names rec-ep-1",
    ),
    CodeInfo(
        code="unlinked-commitment",
        severity="info",
        stage="references",
        title="No benchmark names a commitment",
        hint="Add its id to the commitments of the benchmark that measures whether the "
        "promise is kept (checked in format 1.1 and later).",
        example="commitments:\n  - id: cm-1 ...   # no benchmark lists cm-1 in commitments",
    ),
    CodeInfo(
        code="duplicate-recommendation",
        severity="warning",
        stage="references",
        title="The same recommendation is entered twice",
        hint="Two records have the same words (spacing and case aside), are made by the same "
        "actors to the same duty bearer on the same date: scoring would count the "
        "recommendation twice. Keep one record, and move the other's responses and links to it.",
        example="two recommendations 'Free the press.' by [se] to kz on 2014-10-31",
    ),
    CodeInfo(
        code="recommendation-as-standard",
        severity="info",
        stage="references",
        title="A standard of kind recommendation may be a recommendation to one duty bearer",
        hint="A recommendation a body addressed to one duty bearer is best recorded under "
        "recommendations (format 1.1), with who made it, to whom and the responses; enter it "
        "there, and link the benchmarks to it in their recommendations. A general "
        "recommendation or comment addressed to every State stays a standard.",
        example="standards:\n  - {id: hrc-2011, kind: recommendation, ...}   # to Kazakhstan",
    ),
    CodeInfo(
        code="unknown-rule",
        severity="error",
        stage="references",
        title="The scoring configuration names a rule that is not registered",
        hint="Use a built-in rule name, or install the package that registers the rule.",
        example="benchmark_rules: [{rule: my-package.rules:score}]   # names, not import paths",
    ),
    CodeInfo(
        code="invalid-rule-parameters",
        severity="error",
        stage="references",
        title="A scoring rule's parameters are not what the rule takes",
        hint="'benchmarkkit score --list-rules' shows the parameters each rule takes, with "
        "their types and defaults.",
        example="{rule: evidence-based, parameters: {half_life_days: -3}}",
    ),
    # -- dates ---------------------------------------------------------------------------
    CodeInfo(
        code="evidence-after-assessment",
        severity="error",
        stage="dates",
        title="An assessment cites evidence dated after the assessment",
        hint="An assessment as of a date can only rest on what was known then: cite earlier "
        "evidence, or move the assessment's as_of date.",
        example="assessment as_of 2012-01-01 citing evidence dated 2012-03-15",
    ),
    CodeInfo(
        code="evidence-after-source",
        severity="warning",
        stage="dates",
        title="Evidence is dated after the source it cites was published",
        hint="Check both dates for a typo (often the year): evidence is dated when the event "
        "happened, and a source can only report what happened before it was published. Cite "
        "the later source that reports it, if there is one.",
        example='evidence dated "2021-03" citing a source published "2012-03-20"',
    ),
    CodeInfo(
        code="baseline-after-target",
        severity="error",
        stage="dates",
        title="An indicator's baseline is dated after its target",
        hint="The baseline is where measurement starts; date it before the target.",
        example="baseline: {value: 0, date: 2013}\ntarget: {value: 10, date: 2012}",
    ),
    CodeInfo(
        code="response-before-recommendation",
        severity="error",
        stage="dates",
        title="A response is dated before the recommendation it answers",
        hint="A response answers a recommendation already made: check both dates for a typo "
        "(often the year), or whether the response answers another recommendation.",
        example='recommendation dated "2014-10" with a response dated "2013-03"',
    ),
    CodeInfo(
        code="assessment-before-recommendation",
        severity="error",
        stage="dates",
        title="An assessment of a recommendation is as of a date before it was made",
        hint="A recommendation's implementation can only be assessed once it is made: "
        "correct the assessment's as_of date or the recommendation's date.",
        example='assessment as_of "2013" of a recommendation dated "2014-10"',
    ),
    # -- values --------------------------------------------------------------------------
    CodeInfo(
        code="indicator-value-mismatch",
        severity="error",
        stage="values",
        title="An indicator value does not fit the indicator's kind",
        hint="A boolean indicator takes true or false, a numeric one a number, an ordinal "
        "one one of its levels.",
        example="readings: [{indicator: ind-closed-groups, value: many}]   # numeric",
    ),
    # -- sources and quotes --------------------------------------------------------------
    CodeInfo(
        code="archive-outside-dataset",
        severity="error",
        stage="sources",
        title="A source's archive path leads outside the dataset folder",
        hint="Keep archived texts inside the dataset folder and give a relative path without '..'.",
        example="archive: ../../etc/passwd",
    ),
    CodeInfo(
        code="archive-missing",
        severity="error",
        stage="sources",
        title="A source's archived text file does not exist",
        hint="Add the file at the path given, or correct the path.",
        example="archive: sources/appeal.txt   # no such file",
    ),
    CodeInfo(
        code="archive-not-a-file",
        severity="error",
        stage="sources",
        title="A source's archive path names a folder, named pipe, device or socket, not a file",
        hint="Point the archive field at the plain-text copy itself, a regular file in the "
        "dataset folder; such a path is never opened, since reading it could wait forever.",
        example="archive: sources/   # a folder",
    ),
    CodeInfo(
        code="archive-unreadable",
        severity="error",
        stage="sources",
        title="A source's archived text cannot be read as UTF-8 text",
        hint="Save the archived copy as plain UTF-8 text.",
        example="archive: sources/appeal.pdf   # a PDF, not plain text",
    ),
    CodeInfo(
        code="archive-folder-missing",
        severity="error",
        stage="sources",
        title="A named archive folder does not exist or cannot be reached",
        hint="Create the folder, or correct its path in archive_folders: it is relative to the "
        "dataset folder (the folder of a single-file dataset).",
        example="archive_folders: [../shared-sources]   # no such folder",
    ),
    CodeInfo(
        code="archive-folder-not-a-folder",
        severity="error",
        stage="sources",
        title="A named archive folder is a file, not a folder",
        hint="Name the folder that holds the shared archived texts, not one of the texts.",
        example="archive_folders: [../shared-sources/appeal.txt]",
    ),
    CodeInfo(
        code="archive-folder-not-allowed",
        severity="error",
        stage="sources",
        title="A named archive folder is an absolute path, or contains the dataset folder",
        hint="Name a folder beside the dataset folder, relative to it, such as "
        "'../shared-sources'; a folder that contains the dataset folder (such as '..') would "
        "let every file around the dataset in.",
        example="archive_folders: [..]",
    ),
    CodeInfo(
        code="quote-not-found",
        severity="error",
        stage="sources",
        title="A quote does not occur in its source's archived text",
        hint="Copy the quote from the archived text; line breaks, spacing, curly quotes and "
        "dashes may differ, words may not. Mark omissions with '...'.",
        example='quote: "there has been no meaningful progress"   # the text says "beeen"',
    ),
    CodeInfo(
        code="quote-unverifiable",
        severity="warning",
        stage="sources",
        title="A quote cannot be checked because its source has no archived text",
        hint="Add a plain-text copy of the source to the dataset and set the source's "
        "archive field, or quote a source that has one.",
        example="a quote from a source without an archive",
    ),
    # -- workbooks in the workbook layout (validate book.xlsx, import book.xlsx) ----------
    CodeInfo(
        code="unknown-sheet",
        severity="error",
        stage="tables",
        title="A sheet of the workbook is not a sheet of the layout, and holds data",
        hint="Rename the sheet after the records it holds (docs/reference/workbook.md lists the "
        "sheets), or move it to another file; its rows are not read.",
        example="a sheet 'Evidence 2012' beside 'evidence', holding rows of evidence",
    ),
    CodeInfo(
        code="sheet-read-as",
        severity="info",
        stage="tables",
        title="A renamed sheet was read as the layout sheet whose columns it has",
        hint="Rename the sheet back to the name given, so that it is not a guess.",
        example="the sheet 'evidence' renamed 'Evidence log', its headers unchanged",
    ),
    CodeInfo(
        code="unknown-column",
        severity="error",
        stage="tables",
        title="A column's header is not one of the sheet's, and the column holds data",
        hint="Rename the header to the field the column holds (the sheet 'columns' lists "
        "them), or move the data elsewhere; the column is not read.",
        example="a column 'sumary' on the sheet evidence",
    ),
    CodeInfo(
        code="duplicate-column",
        severity="error",
        stage="tables",
        title="A sheet has the same header twice",
        hint="Keep one column of each header: merge what the two hold, and delete the other.",
        example="two columns headed 'date' on the sheet evidence",
    ),
    CodeInfo(
        code="column-without-header",
        severity="error",
        stage="tables",
        title="A column holds data but has no header",
        hint="Give the column the header of the field it holds; if the header cell is merged "
        "with the one beside it, unmerge them first.",
        example="the header cells 'summary' and the next one merged, text under both",
    ),
    CodeInfo(
        code="missing-column",
        severity="error",
        stage="tables",
        title="A sheet of nested records lacks the column that says where its rows belong",
        hint="Add the column back (its parent's id, order or path; the sheet 'columns' "
        "describes it); the sheet's rows are not read without it.",
        example="the sheet recommendations_responses without its 'order' column",
    ),
    CodeInfo(
        code="cell-not-readable",
        severity="error",
        stage="tables",
        title="A cell cannot be read as what its column holds",
        hint="Type the value as the column holds it (the sheet 'columns' says how): a date as "
        "text YYYY-MM-DD, a list with '; ' between items, parameters as JSON.",
        example="a date with a time of day, 2012-03-20 10:30, in the evidence date column",
    ),
    CodeInfo(
        code="date-cell-read",
        severity="info",
        stage="tables",
        title="A real date cell in a date column was read as a full day",
        hint="A spreadsheet keeps a date cell as a day whatever it shows, so a cell shown as "
        "Mar-12 or 2012 reads as the day it holds; if the date is a month or a year, format "
        "the cell as text and type it as 2012-03 or 2012.",
        example="a date cell holding 2012-03-01, shown as Mar-12, in the evidence date column",
    ),
    CodeInfo(
        code="merged-cells",
        severity="error",
        stage="tables",
        title="Cells below the header are merged",
        hint="Unmerge the cells and fill each one: only the first cell of merged cells holds "
        "a value, and the others read as empty.",
        example="the direction cells of three evidence rows merged into one",
    ),
    CodeInfo(
        code="row-without-parent",
        severity="error",
        stage="tables",
        title="A row of nested records names a parent that is not there",
        hint="Give the id of a record on the parent sheet (or, for a condition, a path whose "
        "parent condition exists); the row is not read.",
        example="a row of recommendations_responses for recommendation 'upr-99' that no row "
        "of recommendations has",
    ),
    CodeInfo(
        code="order-not-consecutive",
        severity="error",
        stage="tables",
        title="The rows of one parent skip or repeat an order or path number",
        hint="Number the rows of each parent 1, 2, 3, ... without gaps or repeats; the order "
        "says where each stands in its list.",
        example="responses of one recommendation with order 1 and 3",
    ),
    CodeInfo(
        code="extra-dataset-row",
        severity="error",
        stage="tables",
        title="The sheet dataset has more than one row",
        hint="The dataset's own fields are one row: move what the other rows say into it, and "
        "delete them.",
        example="a second row on the sheet dataset with another title",
    ),
    # -- mapped imports (benchmarkkit import TABLE --mapping MAPPING) ----------------------
    CodeInfo(
        code="mapping-unknown-column",
        severity="error",
        stage="mapping",
        title="A mapping names a column the table does not have",
        hint="Write the column's header as the table's header row has it (spaces around it "
        "do not count, and case only when two headers differ by it alone); the message lists "
        "the table's headers. A mapping for tables with and without the column cannot read "
        "it: make one mapping per shape of table.",
        example="fields: {text: {column: Recommendation}}   # the table's column is 'Text'",
    ),
    CodeInfo(
        code="mapping-unknown-field",
        severity="error",
        stage="mapping",
        title="A mapping fills a collection or field the dataset format does not have",
        hint="Use a collection and field names of the data format (docs/reference/"
        "data-format.md); the message lists those the record has. A record's id is made by "
        "its `id` spec, not a field.",
        example="records: [{collection: recommendations, fields: {texte: {column: Text}}}]",
    ),
    CodeInfo(
        code="mapping-unknown-lookup",
        severity="error",
        stage="mapping",
        title="A value spec names a lookup the mapping does not define",
        hint="Define the lookup under `lookups`, or correct its name.",
        example="date: {lookup: session, field: start}   # the lookup is called 'sessions'",
    ),
    CodeInfo(
        code="mapping-value-not-allowed",
        severity="error",
        stage="mapping",
        title="A mapping gives a field a value its enumeration does not allow",
        hint="Give one of the values the message lists; it is checked before any row is read, "
        "so that a typo in a `map` does not cost a whole import.",
        example="position: {column: Response, map: {Accepted: accepted}}   # 'supported'",
    ),
    CodeInfo(
        code="mapping-invalid-pattern",
        severity="error",
        stage="mapping",
        title="A `matches` condition is not a regular expression, or one that could run for hours",
        hint="Write a Python regular expression; escape characters such as ( and [ with \\. "
        "A pattern whose repeated part holds a part repeated without bound ((a+)+, (.*)*) or "
        "alternatives that begin alike ((a|ab)*) is refused, because Python cannot stop it "
        "once it runs: write it without the nesting (a+ for (a+)+).",
        example="keep: [{column: To, matches: 'Kazakh(stan'}]",
    ),
    CodeInfo(
        code="mapping-lookup-not-readable",
        severity="error",
        stage="mapping",
        title="A lookup file cannot be read, is outside the mapping's folder, or does not map "
        "keys to fields",
        hint="A lookup's `file` is a YAML or JSON file in the mapping file's folder (or a "
        "folder inside it), named by its path from there, such as upr-sessions.yaml; write it "
        "as a mapping of each key to its fields: '13': {start: '2012-05-21'}.",
        example="lookups: {sessions: {key: [Session], file: ../../etc/hostname}}",
    ),
    CodeInfo(
        code="mapping-dataset-incomplete",
        severity="error",
        stage="mapping",
        title="A mapping that makes a new dataset does not give its id and title",
        hint="Give the dataset's own fields under `dataset:` (at least `id` and `title`), or "
        "import into an existing dataset with --into, which keeps that dataset's own fields.",
        example="dataset: {title: UPR sample}   # and no id",
    ),
    CodeInfo(
        code="sheet-not-found",
        severity="error",
        stage="mapping",
        title="The sheet to read is not in the workbook",
        hint="Give the sheet's name as the workbook has it (--sheet or the mapping's "
        "table.sheet); the message lists the workbook's sheets.",
        example="benchmarkkit import book.xlsx --mapping m.yaml --sheet Recs -o data/",
    ),
    CodeInfo(
        code="value-not-mapped",
        severity="error",
        stage="mapping",
        title="A cell holds a value the mapping's `map` does not know",
        hint="Add the value to the field's `map`, or say what an unknown value is: "
        "`unmapped: keep` keeps it as it is, `unmapped: empty` leaves the field out.",
        example="Response: 'Accepted in part'   # the map knows Accepted and Noted",
    ),
    CodeInfo(
        code="lookup-missing",
        severity="error",
        stage="mapping",
        title="A row's key is not in a lookup",
        hint="Add the key's row to the lookup, or give the lookup `missing: empty` to leave "
        "the fields it fills out for such rows.",
        example="Session: 46   # the sessions lookup stops at 45",
    ),
    CodeInfo(
        code="record-without-id",
        severity="error",
        stage="mapping",
        title="A row has no value in the column its record's id comes from",
        hint="Fill the cell in, leave the row out with `keep` (filled: true), or make ids "
        "from identifying columns instead (`id: {from: [...]}`).",
        example="id: {column: ID}   # and a row whose ID cell is empty",
    ),
    CodeInfo(
        code="rows-disagree",
        severity="error",
        stage="mapping",
        title="Rows that make the same record give one of its fields different values",
        hint="Rows whose identifying columns agree make one record (as a recommendation made "
        "by several States); only lists of plain values (by, themes) collect each row's "
        "items, every other field (a list of nested records such as responses included) must "
        "be the same in each row that gives it. Correct the row that is wrong, or add the "
        "column that tells them apart to the id's `from` columns.",
        example="two rows with the same Session, To and Text, one Accepted and one Noted",
    ),
    CodeInfo(
        code="duplicate-header",
        severity="warning",
        stage="mapping",
        title="Two columns of a mapped table have the same header",
        hint="A mapping reads a column by its header, so it reads the first of the two; "
        "rename one of them in the table, or list the header under `ignore` if neither is "
        "to be read.",
        example="a table whose header row is To, Text, From, Response, From",
    ),
    CodeInfo(
        code="columns-not-mapped",
        severity="info",
        stage="mapping",
        title="Columns of the table the mapping neither reads nor ignores",
        hint="Map them to fields, or list them under `ignore` to say they are left out on purpose.",
        example="a table with a Notes column that no value spec names",
    ),
    CodeInfo(
        code="import-conflict",
        severity="error",
        stage="mapping",
        title="An imported record differs from the record of the same id in the dataset",
        hint="Nothing was written. Give --update to take the table's values for the fields "
        "the mapping fills (the record's other fields are kept), or correct the table.",
        example="benchmarkkit import upr.csv --mapping m.yaml --into data/ -o new/  # changed",
    ),
    # -- plugins -------------------------------------------------------------------------
    CodeInfo(
        code="plugin-failed",
        severity="error",
        stage="plugins",
        title="An installed plugin could not be loaded, raised an exception or gave what is "
        "not a problem",
        hint="The plugin named in the message (a check, rule or section check from an "
        "installed package) has a bug or is installed wrong; report it to its authors. What "
        "it found before it failed is kept, and the rest of the validation ran.",
        example="a check from an installed package that raises KeyError",
    ),
    CodeInfo(
        code="unchecked-section",
        severity="error",
        stage="plugins",
        title="No installed package checks a section of the dataset",
        hint="The section (such as `scoring`) could not be checked, because the package "
        "that checks it declares no `benchmarkkit.section_checks` entry point here: usually "
        "benchmarkkit is imported from a source folder on the path rather than installed. "
        "Install it with pip (`pip install -e .` in a checkout). It is an error, not a "
        "warning, so that whether a dataset is valid never depends on how benchmarkkit "
        "was installed.",
        example="a dataset with a scoring section, validated with src/ on PYTHONPATH",
    ),
    CodeInfo(
        code="rule-failed",
        severity="error",
        stage="plugins",
        title="A scoring rule or aggregation failed while scoring",
        hint="What it was scoring is not assessable; the rest of the scorecard was computed. "
        "The message says whether the rule is built in, registered by a script or installed "
        "by a package: report it to whoever provides it.",
        example="a rule registered with register_rule() that raises KeyError, or returns text",
    ),
    CodeInfo(
        code="check-failed",
        severity="error",
        stage="plugins",
        title="A check passed in code raised an exception or gave something that is not a Problem",
        hint="The check named in the message has a bug: make it yield only Problem values "
        "(context.problem(...) makes them). The other checks ran.",
        example="validate(path, checks=(*DEFAULT_CHECKS, my_check))  # my_check yields None",
    ),
]

#: Every problem code benchmarkkit reports, in documentation order: a read-only view
#: (a ``types.MappingProxyType``) of ``CodeInfo`` values, so that no program can
#: change what a code means for every other user of benchmarkkit in the process.
CODES: Mapping[str, CodeInfo] = types.MappingProxyType({entry.code: entry for entry in _ENTRIES})
