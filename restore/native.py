"""Loading the compiled parts (plain C shared libraries, loaded with ctypes).

`pip install` builds them where a C compiler is found (pyproject.toml marks them optional); where
one is missing, or VNRESTORE_PURE_PYTHON=1 is set, the Python code that computes the same runs.
A build left from older sources (another layout of the structs it is passed) is not loaded: a
warning names it and the remedy.
"""

from __future__ import annotations

import ctypes
import importlib.machinery
import logging
import os
from pathlib import Path

import numpy as np

# The pointer types the C side takes, for ctypes struct fields and arguments.
INTS = ctypes.POINTER(ctypes.c_int32)
LONGS = ctypes.POINTER(ctypes.c_int64)
DOUBLES = ctypes.POINTER(ctypes.c_double)


def load(folder: Path, name: str, layout_symbol: str, layout: int) -> ctypes.CDLL | None:
    """The library `name` built in `folder`, if it is there and says `layout`; else None."""
    if os.environ.get("VNRESTORE_PURE_PYTHON"):
        return None
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        built = folder / f"{name}{suffix}"
        if built.exists():
            library = ctypes.CDLL(str(built))
            says = getattr(library, layout_symbol, None)
            if says is None or says() != layout:
                logging.getLogger(__name__).warning(
                    "%s: built from older sources; computing in Python (slower) until it is built again: "
                    "bash scripts/install.sh", built)
                return None
            return library
    return None


def ints(values: np.ndarray) -> ctypes._Pointer:
    """A pointer to an int32 array's data (the array must outlive the call)."""
    return values.ctypes.data_as(INTS)


def longs(values: np.ndarray) -> ctypes._Pointer:
    return values.ctypes.data_as(LONGS)


def doubles(values: np.ndarray) -> ctypes._Pointer:
    return values.ctypes.data_as(DOUBLES)
