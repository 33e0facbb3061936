from freezegun import freeze_time

from billcli.clock import Clock


@freeze_time("2026-01-02 03:04:05")
def test_an_unfrozen_clock_follows_system_time():
    assert Clock().now() == 1767323045
    assert not Clock().is_frozen


@freeze_time("2026-01-02 03:04:05")
def test_a_frozen_clock_ignores_system_time():
    clock = Clock(frozen_at=2_000_000_000)
    assert clock.now() == 2_000_000_000
    assert clock.is_frozen
