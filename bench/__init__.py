"""Benchmarks at county and national scale (``make bench``, ``make bench-quick``): seed PostgreSQL with
generated records, measure the hot paths, print a table and write ``BENCHMARKS.md``. Benchmarks print
figures and never fail on time; they are not part of ``make test``."""
