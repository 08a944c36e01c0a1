"""Reading and writing documents: formats, directory trees, atomic writes.

Readers stream `Record`s (a Document plus where it came from); writers take records back
in the same order. Every file output goes through `atomic_write`.
"""
from .atomic import atomic_write
from .formats import FORMATS, format_of
from .readers import read
from .records import Record
from .tree import InputError, Task, plan_tasks
from .writers import open_writer

__all__ = [
    "FORMATS",
    "InputError",
    "Record",
    "Task",
    "atomic_write",
    "format_of",
    "open_writer",
    "plan_tasks",
    "read",
]
