"""docker-compose.yml, the scaled-out shape (README "Beyond one machine"), read as Docker Compose would: there is no
Docker engine on the development machines, so these stories check what it says instead of running it."""

import re
import shlex

import pytest
import yaml
from django.conf import settings

from fundportal.celery import app as celery_app

ROOT = settings.BASE_DIR
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
NGINX = (ROOT / "deploy" / "nginx.conf").read_text()
QUEUES = {queue.name for queue in settings.CELERY_TASK_QUEUES}


def command(service):
    value = service.get("command", "")
    return value if isinstance(value, list) else shlex.split(value)


def workers():
    """{service name: the queues its Celery worker consumes}."""
    found = {}
    for name, service in SERVICES.items():
        words = command(service)
        if words[:4] == ["celery", "-A", "fundportal", "worker"]:
            found[name] = set(words[words.index("-Q") + 1].split(",")) if "-Q" in words else QUEUES
    return found


def replicas(service):
    return service.get("deploy", {}).get("replicas", 1)


@pytest.fixture(scope="module")
def tasks():
    celery_app.loader.import_default_modules()  # what a worker imports when it starts
    return sorted(name for name in celery_app.tasks if not name.startswith("celery."))


def queue_of(task):
    return celery_app.amqp.router.route({}, task)["queue"].name


def test_several_stateless_web_containers_answer_behind_the_load_balancer_only():
    web = SERVICES["web"]
    assert replicas(web) >= 2 and "ports" not in web
    assert "http://localhost:8000/healthz" in web["healthcheck"]["test"]
    assert [service for name, service in SERVICES.items() if name != "proxy" and "ports" in service] == []
    proxy = SERVICES["proxy"]
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in proxy["volumes"]
    assert re.search(r"server web:8000 resolve", NGINX) and "proxy_pass http://fundportal_web;" in NGINX


def test_the_proxy_tells_the_portal_the_clients_address_and_scheme_as_the_trusted_proxy_count_says():
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in NGINX
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in NGINX
    assert SERVICES["web"]["environment"]["FUNDPORTAL_TRUSTED_PROXY_COUNT"] == "${FUNDPORTAL_TRUSTED_PROXY_COUNT:-1}"


def test_every_task_goes_to_a_queue_a_worker_pool_consumes(tasks):
    pools = workers()
    assert {"worker-emails", "worker-pdfs", "worker-exports"} <= set(pools)
    consumed = set().union(*pools.values())
    assert {task: queue_of(task) for task in tasks if queue_of(task) not in consumed} == {}
    assert consumed == QUEUES


def test_emails_letters_and_exports_each_have_their_own_queue(tasks):
    assert queue_of("fundportal.tasks.send_outbox_email") == "emails"
    assert queue_of("review.tasks.prepare_decision_letter") == queue_of("applications.tasks.send_receipt") == "pdfs"
    exports = [task for task in tasks if "export" in task]
    assert exports and {queue_of(task) for task in exports} == {"exports"}
    assert queue_of("applications.tasks.send_reminders") == "celery"


def test_every_periodic_task_is_known_and_consumed(tasks):
    consumed = set().union(*workers().values())
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in tasks and queue_of(entry["task"]) in consumed


def test_a_worker_started_without_queues_consumes_every_one():
    """The embedded set-up, the tests' real worker (tests/conftest.py) and a single machine start one worker
    without -Q: it must take every kind of work."""
    assert set(celery_app.amqp.queues.consume_from) == QUEUES


def test_exactly_one_beat():
    beats = [name for name, service in SERVICES.items() if command(service)[3:4] == ["beat"]]
    assert beats == ["beat"] and replicas(SERVICES["beat"]) == 1


def test_postgres_has_an_optional_read_replica_the_portal_is_pointed_at():
    replica = SERVICES["postgres-replica"]
    assert replica["profiles"] == ["replica"] and "pg_basebackup -h postgres" in replica["command"][-1]
    assert SERVICES["web"]["environment"]["DATABASE_REPLICA_URL"] == "${DATABASE_REPLICA_URL:-}"
    assert "./deploy/postgres/replication.sh:/docker-entrypoint-initdb.d/replication.sh:ro" in SERVICES["postgres"]["volumes"]
    assert SERVICES["web"]["depends_on"]["postgres-replica"]["required"] is False


def test_object_storage_is_optional_and_wired_to_every_app_container():
    assert SERVICES["minio"]["profiles"] == SERVICES["minio-bucket"]["profiles"] == ["s3"]
    for name in ("web", "worker-emails", "worker-pdfs", "worker-exports", "beat"):
        environment = SERVICES[name]["environment"]
        for variable in ("FUNDPORTAL_S3_BUCKET", "FUNDPORTAL_S3_ENDPOINT_URL", "FUNDPORTAL_S3_REGION",
                         "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
            assert environment[variable] == f"${{{variable}:-}}", (name, variable)
        assert SERVICES[name]["depends_on"]["minio-bucket"]["required"] is False


def test_every_long_running_service_has_a_health_check():
    assert [name for name, service in SERVICES.items()
            if "healthcheck" not in service and name not in ("beat", "minio-bucket")] == []
    for name in workers():
        words = command(SERVICES[name])
        pool = words[words.index("-n") + 1].split("@")[0]
        assert f"-d {pool}@$$HOSTNAME" in SERVICES[name]["healthcheck"]["test"][1], name
