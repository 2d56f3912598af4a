import pytest


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded sheets wait in the default storage; keep them out of the checkout."""
    settings.MEDIA_ROOT = tmp_path / "media"
