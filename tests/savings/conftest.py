from pathlib import Path

import pytest


@pytest.fixture
def media(settings, tmp_path) -> Path:
    """Evidence files kept in a temporary MEDIA_ROOT, to look at what the storage holds."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"
