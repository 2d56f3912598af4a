import pytest

from tests.factories import PostFactory, UserFactory


@pytest.fixture
def post_a(bureau):
    """A post of unit A, and its holder: the 直接责任人 of A's risk points on that post."""
    return PostFactory(unit=bureau.a, name="巡查员")


@pytest.fixture
def holder(bureau, post_a):
    return UserFactory(username="holder_a", unit=bureau.a, post=post_a, roles=["staff"])
