"""`python -m textfix` runs the CLI."""
from .cli import main

main()
