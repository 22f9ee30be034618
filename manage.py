#!/usr/bin/env python3
"""Django's command-line utility for cityeval."""

from cityeval.cli import main

if __name__ == "__main__":
    main()
