"""The load benchmark behind `make bench`: see bench/run.py and the README's Benchmarks section."""

# The baseline: a bare HttpResponse, mounted only by bench.settings.
BARE_PATH = "/bench/bare/"
