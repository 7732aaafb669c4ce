"""OpenTrends benchmarks: every speed and memory target, measured and printed beside its target.

They live outside the package: users run `opentrends`; maintainers run `make bench`
(`python -m benchmarks all` from the project root). Never timed tests: a slow shared machine makes a figure
miss, not a test fail.
"""
