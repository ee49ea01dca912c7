"""The anonymised research export (issue 15): rows, k-anonymity, files."""
