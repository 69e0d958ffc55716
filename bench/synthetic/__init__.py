"""Synthetic records for the benchmark and the load test (generate.py), made by the generate_synthetic command."""
