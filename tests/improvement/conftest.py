"""Fixtures of the action plan tests: scored assessments over the `cast`, media in a
temporary directory."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from srishti.assessments.services import assessment_create, responses_import


def image_bytes(kind: str = "PNG", size=(4, 4)) -> bytes:
    """A real image file made by Pillow (PNG, JPEG or WEBP)."""
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", size, (11, 110, 79)).save(out, kind)
    return out.getvalue()


PNG = image_bytes("PNG")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def scored_assessment(facility, version, *, seed: int = 7, start=dt.date(2024, 5, 1),
                      values=(0, 1, 2, 2, None)):
    """An assessment of `facility` with every checkpoint answered at random from `values`."""
    rng = random.Random(seed)
    assessment = assessment_create(facility=facility, version=version, start_date=start)
    ids = version.checkpoints.order_by("order").values_list("id", flat=True)
    responses_import(assessment=assessment,
                     answers=[(cid, rng.choice(values), "seen") for cid in ids])
    assessment.refresh_from_db()
    return assessment


@pytest.fixture
def world(cast, demo_version):
    """The cast with one scored assessment for each of F, G (district X) and H (Y)."""
    for seed, facility in enumerate((cast.f, cast.g, cast.h)):
        facility.assessment = scored_assessment(facility, demo_version, seed=seed)
    cast.version = demo_version
    return cast
