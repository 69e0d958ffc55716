"""Read documents built from `.values()` rows, for the busiest endpoints.

The DRF serializers stay the declared shape (and serve writes); these build the same JSON without
creating a model instance per row or reversing a URL per link. tests/api/test_documents.py holds
the two to the same output.
"""
