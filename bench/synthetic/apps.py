from django.apps import AppConfig


class SyntheticConfig(AppConfig):
    """Synthetic records for the benchmark and the load test, made by the generate_synthetic command."""

    name = "bench.synthetic"
    label = "synthetic"
