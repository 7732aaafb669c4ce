"""Pure functions returning tidy DataFrames: shares with intervals, robustness, frontiers and lags, capability gap, the DuckDB Hub queries."""
