"""The validated import of reported files (DATA.md), in three steps with one job each:

- `read`: files (CSV, or XLSX through `workbook`) → parts, one table of text cells per
  table per file, within the limits of `limits` (bounded memory, nothing padded);
- `validate`: parts → every issue, set-based in DuckDB (`queries/import/`), after the
  documented normalisation of identifiers, numbers and dates;
- `write`: clean parts → inserted, replaced (audited) or unchanged rows.

`scoring.importer` runs them in one transaction and is the public entry point.
"""
