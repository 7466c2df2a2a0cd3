"""deploy/render.sh and deploy/crontab.in as cron would run it: every job line is well formed,
runs as the handler's user and succeeds quietly; `outbox send` hands the queued messages to
sendmail; the nightly build takes expired review pages down."""

from __future__ import annotations

import email
import email.policy
import re
import secrets
import subprocess
import time
from pathlib import Path

import pytest

from support.application import Applicant
from support.environment import Environment
from support.shop import Shop
from support.staff import AssessedItem, link_path, receive_and_assess
from support.web import get, post_form

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
SCHEDULE_FIELD = re.compile(r"^(\*|\d+(-\d+)?)(/\d+)?(,(\*|\d+(-\d+)?)(/\d+)?)*$")


def render(template: str, **values: str) -> str:
    result = subprocess.run([str(DEPLOY / "render.sh"), template, *(f"{k}={v}" for k, v in values.items())],
                            capture_output=True, text=True)
    assert result.returncode == 0, f"render.sh {template}: {result.stderr}"
    return result.stdout


def cron_jobs(text: str) -> tuple[dict[str, str], list[tuple[list[str], str, str]]]:
    """The file's variables, and its jobs as (schedule fields, user, command)."""
    variables, jobs = {}, []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if re.match(r"^[A-Z_]+=", line):
            name, value = line.split("=", 1)
            variables[name] = value
            continue
        fields = line.split(None, 6)
        assert len(fields) == 7, f"not `m h dom mon dow user command`: {line!r}"
        jobs.append((fields[:5], fields[5], fields[6]))
    return variables, jobs


def received_mail(env: Environment) -> list[email.message.EmailMessage]:
    return [email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            for path in sorted(env.mail.glob("message.*"))]


def test_render_refuses_mistakes() -> None:
    template = "lighttpd/lighttpd.conf.in"
    missing = subprocess.run([str(DEPLOY / "render.sh"), template, "SITE_DIR=/srv/shop"], capture_output=True, text=True)
    assert missing.returncode == 1 and "@BIN@ has no value" in missing.stderr
    relative = subprocess.run([str(DEPLOY / "render.sh"), "crontab.in", "USER=kaitori", "KAITORI=kaitori",
                               "SITE_DIR=/srv/shop"], capture_output=True, text=True)
    assert relative.returncode == 1 and "KAITORI=kaitori: must be an absolute path" in relative.stderr
    quoted = subprocess.run([str(DEPLOY / "render.sh"), "crontab.in", "USER=kai tori", "KAITORI=/k",
                             "SITE_DIR=/srv/shop"], capture_output=True, text=True)
    assert quoted.returncode == 1 and "USER=" in quoted.stderr
    unused = subprocess.run([str(DEPLOY / "render.sh"), "crontab.in", "USER=k", "KAITORI=/k", "SITE_DIR=/s",
                             "PORT=80"], capture_output=True, text=True)
    assert unused.returncode == 1 and "no @PORT@ placeholder" in unused.stderr


@pytest.fixture(scope="module")
def cron(env: Environment) -> tuple[str, dict[str, str], list[tuple[list[str], str, str]]]:
    user = (env.run_as or subprocess.run(["id", "-un"], capture_output=True, text=True).stdout.strip()).split(":")[0]
    variables, jobs = cron_jobs(render("crontab.in", USER=user, KAITORI=str(env.kaitori), SITE_DIR=str(env.site)))
    return user, variables, jobs


def run_job(shop: Shop, variables: dict[str, str], command: str, **extra: str) -> None:
    """Runs a job line's command the way cron does: /bin/sh, the file's PATH, the job's user."""
    environment = {"PATH": variables.get("PATH", "/usr/bin:/bin"), "HOME": "/", **extra}
    result = subprocess.run(shop.prefix + ["/bin/sh", "-c", command], capture_output=True, text=True,
                            env=environment, timeout=120)
    assert result.returncode == 0, f"cron job `{command}` exited {result.returncode}: {result.stderr}"
    assert not result.stderr.strip(), f"cron would mail this from `{command}`: {result.stderr}"


def job(jobs: list[tuple[list[str], str, str]], subcommand: str) -> str:
    commands = [command for _, _, command in jobs if command.split()[1] == subcommand]
    assert len(commands) == 1, f"crontab.in has {len(commands)} `kaitori {subcommand}` jobs"
    return commands[0]


def apply(env: Environment, applicant: Applicant) -> str:
    response = post_form(env.main.url + "/cgi-bin/kaitori/apply",
                         applicant.form_pairs() + [("submission_id", secrets.token_hex(16))])
    assert response.status == 303, response
    return response.header("Location").rsplit("/", 1)[-1]


def test_cron_file_is_well_formed(cron) -> None:
    user, variables, jobs = cron
    assert {command.split()[1] for _, _, command in jobs} == {"outbox", "build", "retention"}
    for schedule, job_user, command in jobs:
        assert all(SCHEDULE_FIELD.match(field) for field in schedule), f"bad schedule {schedule}"
        assert job_user == user
    assert variables.get("SHELL") == "/bin/sh"


def test_outbox_job_delivers_messages(env: Environment, shop: Shop, cron) -> None:
    _, variables, jobs = cron
    # Something to deliver: an application queues the "application received" message.
    address = f"cron-{secrets.token_hex(3)}@example.jp"
    code = apply(env, Applicant(name="中村 健", kana="ナカムラ ケン", email=address))
    run_job(shop, variables, job(jobs, "outbox"))
    to_customer = [m for m in received_mail(env) if m["To"] and address in m["To"]]
    assert to_customer, f"`outbox send` delivered nothing to {address}"
    assert code in to_customer[0]["Subject"] and code in to_customer[0].get_content()


def test_nightly_build_removes_expired_links(env: Environment, shop: Shop, cron) -> None:
    _, variables, jobs = cron
    code = apply(env, Applicant(name="小林 誠", kana="コバヤシ マコト", email="makoto@example.jp"))
    record = receive_and_assess(shop, code, [AssessedItem("ワイヤレスイヤホン", 1, 4500)])
    review = env.main.url + link_path(record["links"]["review"], "review")
    assert get(review).status == 200

    page_file = shop.site / "public" / link_path(record["links"]["review"], "review").strip("/") / "index.html"
    assert page_file.exists()

    # The build run after the answer period (review.valid_days: 21) takes the page's file down...
    later = int(time.time()) + 22 * 24 * 3600
    run_job(shop, variables, job(jobs, "build"), KAITORI_NOW=str(later))
    assert not page_file.exists(), "the nightly build left the expired review page"
    assert get(env.main.url + "/apply/").status == 200
    # ...a link without its file goes to the handler, which decides by the store and its own
    # clock: today the answer period is still open, so it renders the page...
    assert get(review).status == 200

    # ...and today's build publishes the file again.
    run_job(shop, variables, job(jobs, "build"))
    assert page_file.exists() and get(review).status == 200
