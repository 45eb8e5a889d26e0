"""`make bench` and `make loadtest`: see bench/run.py, bench/loadtest.py and docs/benchmarks.md."""

# The baseline: a bare HttpResponse, mounted only by bench.settings.
BARE_PATH = "/bench/bare/"
