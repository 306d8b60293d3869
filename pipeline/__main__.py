"""`python -m pipeline` runs the `newswatch` command."""

from pipeline.cli import main

# Guarded: extraction workers start through the forkserver, which imports the
# main module again as `__mp_main__`; it must not run the command there.
if __name__ == "__main__":
    main()
