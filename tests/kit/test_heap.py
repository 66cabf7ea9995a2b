"""The start-up heap is frozen out of the collector's full passes, and later objects are still collected."""

import gc
import weakref

from dangjian.kit.heap import freeze_startup_heap


class _Thing:
    pass


def test_freezing_moves_the_live_objects_out_of_reach_of_the_collector() -> None:
    try:
        frozen = freeze_startup_heap()
        assert frozen > 0
        # A frozen object whose last reference goes away (another thread's, say) is freed and leaves
        # the permanent generation, so the count can only have fallen since the freeze.
        assert 0 < gc.get_freeze_count() <= frozen
    finally:
        gc.unfreeze()
    assert gc.get_freeze_count() == 0


def test_a_cycle_made_after_the_freeze_is_still_collected() -> None:
    try:
        freeze_startup_heap()
        thing = _Thing()
        thing.me = thing  # type: ignore[attr-defined]
        ref = weakref.ref(thing)
        del thing
        gc.collect()
        assert ref() is None
    finally:
        gc.unfreeze()
