-- An import's own connection draws no progress bar: a long import must not write to the terminal.
set enable_progress_bar = false
