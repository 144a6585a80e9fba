-- DuckDB's own memory in a command (it spills to a temporary folder beyond it): scoring.cli.MEMORY_LIMIT.
set memory_limit = $memory_limit
