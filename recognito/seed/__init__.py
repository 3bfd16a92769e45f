"""Declarative seed files: `recognito seed apply|export`, `recognito serve --seed`.

document.py reads and checks a file, apply.py applies it through the operations in one
transaction, export.py writes a store's state in the same form."""

from recognito.seed.apply import apply
from recognito.seed.document import PoolBlock, SeedError, load, parse

__all__ = ["PoolBlock", "SeedError", "apply", "load", "parse"]
