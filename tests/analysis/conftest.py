from __future__ import annotations

import polars as pl
import pytest

from sectracker.countries.groups import Reference, package_reference
from tests.analysis.fixtures import full_reference, sample_frame


@pytest.fixture(scope="module")
def frame() -> pl.DataFrame:
    return sample_frame()


@pytest.fixture(scope="module")
def ref() -> Reference:
    return full_reference()


@pytest.fixture(scope="module")
def bare_ref() -> Reference:
    return package_reference()
