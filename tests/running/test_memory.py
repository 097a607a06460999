"""settle(): what is alive is frozen (full collections skip it); what was frozen and is dropped is freed
by the next settle."""
import gc
import weakref

from bot.running.memory import settle


class Node:
    pass


def test_settle_freezes_the_living_and_frees_what_was_frozen_then_dropped():
    try:
        node = Node()
        node.me = node  # a cycle: only the collector can free it
        alive = weakref.ref(node)
        assert settle() > 0
        assert gc.get_freeze_count() > 0
        del node
        gc.collect()
        assert alive() is not None  # frozen: full collections leave it alone
        settle()
        assert alive() is None  # unfrozen, collected
    finally:
        gc.unfreeze()
