"""The demo's major projects, benefit measures and officer numbers: `load_projects`.

Public figures keep their source; everything month by month is illustrative and says so.
Only what is missing is created, keyed on natural keys, from fixed data: running it again
changes nothing and keeps what users changed. Lines, contracts and initiatives are linked
by code where they exist.

The parts: `specs` (the projects as fixed data, with their sources), `benefits` (benefit
measures, their monthly values and officer numbers) and `loading` (`load_projects`)."""

from demo.seed.projects.benefits import MEASURES
from demo.seed.projects.loading import load_projects
from demo.seed.projects.specs import PROJECTS

__all__ = ["MEASURES", "PROJECTS", "load_projects"]
