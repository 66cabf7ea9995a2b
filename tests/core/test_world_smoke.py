from dangjian.core.models import Membership


def test_world_fixture_builds_school_with_members(world) -> None:
    assert Membership.objects.filter(organization=world.cs_branch).count() == 3
    assert world.cs_branch.path.startswith(world.cs.path)
    assert world.member.political_status == "full"
