from __future__ import annotations

import pytest

from dangjian.accounts.roles import Role
from tests import factories as f


@pytest.fixture
def fl_organizer(world):
    """The receiving side of an in-school transfer from 计算机学院 to 外国语学院."""
    return f.user_for(None, "fl_organizer", (Role.COLLEGE_ORGANIZER, world.fl))


@pytest.fixture
def member_self(world, member_user):
    return member_user
