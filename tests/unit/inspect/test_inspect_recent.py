"""`Recent`: what was worked out for a text met recently, by keyed hash, least recently used
forgotten first, bounded in entries and in the weight its values hold."""

import threading

from aigate.inspect.recent import MIN_CHARS, Recent

TEXT = "x" * MIN_CHARS


def test_a_value_put_is_got_back_by_the_same_texts_key():
    recent: Recent[str] = Recent(4, 10)
    recent.put(recent.key(TEXT), "found", 1)
    assert recent.get(recent.key(TEXT)) == "found"
    assert recent.get(recent.key(TEXT + "y")) is None


def test_keys_are_digests_of_a_random_key_and_the_text_never_the_text():
    first, second = Recent(4, 10), Recent(4, 10)
    key = first.key(TEXT)
    assert len(key) == 32 and TEXT.encode() not in key
    assert key == first.key(TEXT) != second.key(TEXT)


def test_texts_with_lone_surrogates_have_keys():
    recent: Recent[str] = Recent(4, 10)
    assert recent.key(TEXT + "\ud800") != recent.key(TEXT)


def test_only_long_enough_texts_are_kept_and_none_when_no_entries_are_allowed():
    assert Recent(4, 10).keeps(TEXT)
    assert not Recent(4, 10).keeps(TEXT[:-1])
    assert not Recent(0, 10).keeps(TEXT)


def test_the_least_recently_used_entry_is_forgotten_first():
    recent: Recent[int] = Recent(2, 10)
    a, b, c = (recent.key(TEXT + s) for s in "abc")
    recent.put(a, 1, 0)
    recent.put(b, 2, 0)
    assert recent.get(a) == 1  # now the most recent
    recent.put(c, 3, 0)
    assert (recent.get(a), recent.get(b), recent.get(c)) == (1, None, 3)
    assert len(recent) == 2


def test_the_weight_held_is_bounded():
    recent: Recent[int] = Recent(100, 5)
    keys = [recent.key(TEXT + str(n)) for n in range(4)]
    for n, key in enumerate(keys):
        recent.put(key, n, 2)
    assert [recent.get(key) for key in keys] == [None, None, 2, 3]


def test_a_value_heavier_than_all_that_may_be_held_is_not_kept():
    recent: Recent[int] = Recent(100, 5)
    kept = recent.key(TEXT)
    recent.put(kept, 1, 5)
    recent.put(recent.key(TEXT + "heavy"), 2, 6)
    assert recent.get(kept) == 1 and len(recent) == 1


def test_a_key_put_twice_keeps_the_first_value_and_its_weight_once():
    recent: Recent[int] = Recent(100, 3)
    key = recent.key(TEXT)
    recent.put(key, 1, 2)
    recent.put(key, 1, 2)
    other = recent.key(TEXT + "other")
    recent.put(other, 2, 1)
    assert (recent.get(key), recent.get(other)) == (1, 2)


def test_threads_sharing_it_stay_within_its_bounds():
    recent: Recent[int] = Recent(8, 20)
    keys = [recent.key(TEXT + str(n)) for n in range(50)]
    barrier = threading.Barrier(4)

    def work() -> None:
        barrier.wait()
        for _ in range(20):
            for n, key in enumerate(keys):
                got = recent.get(key)
                assert got is None or got == n
                recent.put(key, n, n % 4)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(recent) <= 8
    assert sum(n % 4 for n, key in enumerate(keys) if recent.get(key) is not None) <= 20


def test_cleared_entries_are_gone_and_their_weight_is_free_again():
    recent: Recent[str] = Recent(4, 2)
    recent.put(recent.key(TEXT), "found", 2)
    recent.clear()
    assert len(recent) == 0 and recent.get(recent.key(TEXT)) is None
    recent.put(recent.key(TEXT + "y"), "found", 2)
    assert recent.get(recent.key(TEXT + "y")) == "found"


def test_a_floor_of_one_character_keeps_short_texts():
    assert Recent(4, 10, min_chars=1).keeps("/v1")
    assert not Recent(4, 10, min_chars=1).keeps("")
    assert not Recent(4, 10).keeps("/v1")
