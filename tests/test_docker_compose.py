"""docker-compose.yml cannot run here (no engine); check it agrees with the settings."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def settings_env_names() -> set[str]:
    # Every settings module: base.py reads some names through the modules it imports.
    modules = sorted((ROOT / "config" / "settings").glob("*.py"))
    source = "\n".join(module.read_text() for module in modules)
    return set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', source))


def test_services_and_healthchecks():
    services = compose()["services"]
    assert set(services) == {"web", "worker", "beat", "postgres", "redis", "mailpit"}
    for name, service in services.items():
        assert "healthcheck" in service, name


def test_app_services_share_an_environment_the_settings_understand():
    services = compose()["services"]
    known = settings_env_names()
    assert {"DATABASE_URL", "REDIS_URL", "DJANGO_SECRET_KEY", "DJANGO_DEBUG"} <= known
    envs = [services[name]["environment"] for name in ("web", "worker", "beat")]
    assert envs[0] == envs[1] == envs[2]
    assert set(envs[0]) <= known, set(envs[0]) - known
    assert envs[0]["DATABASE_URL"].startswith("postgres://")
    assert envs[0]["REDIS_URL"].startswith("redis://redis:")
    assert envs[0]["EMAIL_URL"] == "smtp://mailpit:1025"


def test_mailpit_catches_the_mail():
    mailpit = compose()["services"]["mailpit"]
    assert mailpit["image"].startswith("axllent/mailpit")
    assert "8025:8025" in mailpit["ports"]
    assert compose()["services"]["worker"]["depends_on"]["mailpit"] == {
        "condition": "service_healthy"
    }


def test_commands_run_the_real_processes():
    services = compose()["services"]
    assert "gunicorn config.wsgi" in services["web"]["command"]
    assert services["worker"]["command"].startswith("celery -A config worker")
    assert services["beat"]["command"].startswith("celery -A config beat")


def test_the_worker_consumes_every_queue(settings):
    command = compose()["services"]["worker"]["command"]
    queues = re.search(r"-Q (\S+)", command).group(1).split(",")
    assert sorted(queues) == sorted(queue.name for queue in settings.CELERY_TASK_QUEUES)
    makefile = (ROOT / "Makefile").read_text()
    assert f"QUEUES ?= {','.join(queues)}" in makefile


def test_cross_origin_access_stays_off_unless_configured():
    env = compose()["services"]["web"]["environment"]
    assert env["CORS_ALLOWED_ORIGINS"] == "${CORS_ALLOWED_ORIGINS:-}"
