"""The `opentrends` command on top of everything: its subcommands and the reviewer's checks."""
