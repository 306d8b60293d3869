"""`python -m pipeline` runs the `newswatch` command."""

from pipeline.cli import main

main()
