"""cityeval: smart city evaluation programs, end to end."""
