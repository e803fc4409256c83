import pytest


@pytest.fixture
def projects(world) -> dict:
    """tests/projects/world.py: projects, benefits and officer numbers over tests/world.py."""
    from tests.projects.world import build_projects

    return build_projects(world)
