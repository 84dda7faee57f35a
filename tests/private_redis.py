"""A throwaway redis-server for tests that stop Redis (never the shared one).

Its port is free on loopback: from ``TEST_PORT_RANGE`` (``"18300-18399"``) when
set, so parallel runs on one machine stay apart; any free port otherwise. No
persistence, so a restart also loses whatever was queued.
"""

import os
import shutil
import socket
import subprocess
from contextlib import contextmanager

import redis

from tests.jobs.workers import wait_for
from tests.services import require


def free_port() -> int:
    low, _, high = os.environ.get("TEST_PORT_RANGE", "0-0").partition("-")
    for port in range(int(low), int(high or low) + 1):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError(f"no free port in TEST_PORT_RANGE={os.environ['TEST_PORT_RANGE']}")


class PrivateRedis:
    """A redis-server that can be stopped and started on the same port."""

    def __init__(self, directory):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.directory = directory
        self.process = None

    def start(self):
        options = {"port": self.port, "bind": "127.0.0.1", "save": "", "appendonly": "no"}
        command = [shutil.which("redis-server"), "--dir", str(self.directory)]
        for name, value in options.items():
            command += [f"--{name}", str(value)]
        self.process = subprocess.Popen(  # noqa: S603 (the system's redis-server)
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        assert wait_for(lambda: self.answers(client), 10, interval=0.05), "redis did not start"

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    @staticmethod
    def answers(client) -> bool:
        try:
            return client.ping()
        except redis.ConnectionError:
            return False


def use_broker(broker_url: str, eager: bool):
    """Publish from this process to ``broker_url`` (or run tasks inline)."""
    from kombu import pools

    from config.celery import app

    # Forget the pools made for the previous broker, as Celery does after a fork;
    # kombu's own registry too, or a later broker at the same URL gets them back.
    app._pool = None
    app.amqp._producer_pool = None
    pools.reset()
    app.conf.broker_url = broker_url
    app.conf.task_always_eager = eager


@contextmanager
def running_private_redis(directory):
    """A started PrivateRedis, stopped at the end (skips locally without redis-server)."""
    require(shutil.which("redis-server") is not None, "redis-server is not installed")
    server = PrivateRedis(directory)
    server.start()
    try:
        yield server
    finally:
        server.stop()
