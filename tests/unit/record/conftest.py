import pytest
from components import require_command


@pytest.fixture(scope="session")
def promtool() -> str:
    return require_command("promtool", "prometheus")


@pytest.fixture
def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(autouse=True)
def no_backlogged_events():
    """Events published by one test with no audit addon listening must not reach the next."""
    from aigate.record import events

    yield
    events.subscribe(_discard)
    events.unsubscribe(_discard)


def _discard(event) -> None:
    pass
