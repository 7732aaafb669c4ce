"""The `opentrends` command on top of everything: its subcommands, the reviewer's checks and the benchmarks."""
