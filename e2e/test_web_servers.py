"""The same shop behind lighttpd (mod_cgi), Apache (mod_cgid) and nginx + fcgiwrap, each from its
deploy/ template: the handler gets its routes (PATH_INFO), bodies and KAITORI_SITE from every one,
static token pages are served without caching, and nothing private is reachable by URL."""

from __future__ import annotations

import re
import secrets

import pytest

from support import images
from support.application import Applicant
from support.environment import Environment, Server
from support.shop import Shop
from support.staff import AssessedItem, link_path, receive_and_assess
from support.web import get, post_form, post_multipart

HANDLER = "/cgi-bin/kaitori"
CODE = re.compile(r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}")
TOKEN = re.compile(r"[a-km-z2-9]{32}")


@pytest.fixture(params=["lighttpd", "apache", "nginx"])
def server(env: Environment, request: pytest.FixtureRequest) -> Server:
    assert request.param in env.servers, f"e2e/run.sh did not start {request.param}"
    return env.servers[request.param]


def local(location: str) -> str:
    """A Location header as a path: the handler sends paths; a server may make them absolute."""
    return re.sub(r"^https?://[^/]+", "", location)


def apply(server: Server, applicant: Applicant, submission_id: str) -> str:
    response = post_form(server.url + HANDLER + "/apply",
                         applicant.form_pairs() + [("submission_id", submission_id)])
    assert response.status == 303, f"POST {HANDLER}/apply via {server.name}: {response.status}\n{response.text[:2000]}"
    location = local(response.header("Location"))
    match = re.fullmatch(re.escape(HANDLER) + r"/applied/(" + CODE.pattern + ")", location)
    assert match, f"{server.name}: 303 to {location!r}, not to the applied page"
    return match.group(1)


def applicant_for(server: Server) -> Applicant:
    return Applicant(name="工藤 一郎", kana="クドウ イチロウ", email=f"{server.name}-{secrets.token_hex(3)}@example.jp")


def test_application_is_stored_once(server: Server, shop: Shop) -> None:
    applicant = applicant_for(server)
    before = shop.codes()
    submission = secrets.token_hex(16)
    code = apply(server, applicant, submission)

    page = get(server.url + HANDLER + "/applied/" + code)
    assert page.status == 200, f"GET applied page via {server.name}: {page.status}"
    assert code in page.text
    listed = {entry["code"]: entry for entry in shop.cases()}
    assert code in listed and code not in before, f"{code} is not in `kaitori case list --json`"
    assert listed[code]["status"] == "received"
    assert listed[code]["email"] == applicant.email

    # Its status page has no file yet (the post writes none): the server hands the link to the
    # handler, which renders it from the store, with the token pages' headers.
    status_path = link_path(shop.case(code)["links"]["status"], "status")
    assert not (shop.site / "public" / status_path.strip("/") / "index.html").exists()
    status = get(server.url + status_path)
    assert status.status == 200, f"GET {status_path} via {server.name}: {status.status}\n{status.text[:2000]}"
    assert code in status.text
    assert status.header("Cache-Control") == "no-store", f"{server.name}: {status.header('Cache-Control')}"

    # The same post again (a double click, a reload) is the same case.
    assert apply(server, applicant, submission) == code
    assert len(shop.codes() - before) == 1


def test_customer_answers_and_sends_id(server: Server, shop: Shop, env: Environment) -> None:
    applicant = applicant_for(server)
    code = apply(server, applicant, secrets.token_hex(16))
    record = receive_and_assess(shop, code, [AssessedItem("Nintendo Switch 本体", 1, 21000),
                                             AssessedItem("Canon EOS Kiss X10", 1, 38000)])
    review_path = link_path(record["links"]["review"], "review")

    review = get(server.url + review_path)
    assert review.status == 200, f"GET {review_path} via {server.name}: {review.status}"
    assert code in review.text
    assert "no-store" in review.header("Cache-Control"), f"{server.name} lets token pages be cached"
    assert 'name="robots" content="noindex"' in review.text

    token = review_path.strip("/").split("/")[-1]
    answer = post_form(server.url + HANDLER + "/review/" + token, [("decision", "all")])
    assert answer.status == 303, f"POST review via {server.name}: {answer.status}\n{answer.text[:2000]}"
    kyc_path = local(answer.header("Location"))
    assert re.fullmatch(r"/kyc/" + TOKEN.pattern + "/", kyc_path), f"303 to {kyc_path!r}"
    assert get(server.url + kyc_path).status == 200

    front = images.png()
    sent = post_multipart(server.url + HANDLER + "/kyc/" + kyc_path.split("/")[2], [
        ("id_type", "my_number"), ("name", applicant.name), ("address", applicant.full_address),
        ("birth_date", applicant.birth_date), ("signature_name", applicant.name), ("agree", "on"),
    ], [("id_front", "front.png", "image/png", front), ("id_back", "", "application/octet-stream", b"")])
    assert sent.status == 303, f"POST kyc via {server.name}: {sent.status}\n{sent.text[:2000]}"
    assert local(sent.header("Location")) == kyc_path
    done = get(server.url + kyc_path)
    assert done.status == 200
    assert "受け付けました" in done.text, f"{server.name} still serves the form after the ID was sent"

    record = shop.case(code)
    assert record["status"] == "approved", f"{code} is {record['status']} after the ID step via {server.name}"
    check = record["id_checks"][-1]
    assert check["state"] == "submitted"
    stored = [f for f in check["files"] if f["kind"] == "id_front"]
    assert stored, f"no id_front file among {check['files']}"
    assert (stored[0]["content_type"], stored[0]["size"]) == ("image/png", len(front))

    # The stored ID image is not reachable by any URL, however it is guessed.
    name = stored[0]["path"].rsplit("/", 1)[-1]
    for path in (f"/var/uploads/{name}", f"/uploads/{name}", f"/../var/uploads/{name}",
                 f"/%2e%2e/var/uploads/{name}", f"{HANDLER}/../../var/uploads/{name}"):
        response = get(server.url + path)
        assert response.status != 200, f"{server.name} answers {path} with 200"
        assert front not in response.body, f"{server.name} serves the ID image at {path}"


PRIVATE = ["/var/kaitori.sqlite3", "/var/site.json", "/shop.yml", "/site-templates/layout.mustache",
           "/../var/kaitori.sqlite3", "/%2e%2e/var/kaitori.sqlite3", "/../shop.yml", "/cgi-bin/",
           "/cgi-bin/kaitori-cgi", "/.htaccess"]


@pytest.mark.parametrize("path", PRIVATE)
def test_private_files_are_not_served(server: Server, path: str) -> None:
    response = get(server.url + path)
    assert response.status in (400, 403, 404), f"{server.name} answers {path} with {response.status}"
    assert b"SQLite format" not in response.body and b"bank_transfer" not in response.body


@pytest.mark.parametrize("folder", ["/review/", "/kyc/"])
def test_token_folders_are_not_listed(server: Server, folder: str) -> None:
    response = get(server.url + folder)
    assert not TOKEN.search(response.text), f"{server.name} lists tokens under {folder}"
    assert "Index of" not in response.text


def test_missing_page_is_the_shops_404(server: Server) -> None:
    # An expired link's page is removed by the build: the customer gets the shop's page, not the server's.
    response = get(server.url + "/review/" + "b" * 32 + "/")
    assert response.status == 404, f"{server.name}: {response.status}"
    assert '<html lang="ja">' in response.text, f"{server.name} answers with its own 404 page"


def test_handler_errors_are_japanese_pages(server: Server, shop: Shop) -> None:
    wrong_method = get(server.url + HANDLER + "/apply")
    assert wrong_method.status == 405, f"GET {HANDLER}/apply via {server.name}: {wrong_method.status}"
    assert "POST" in wrong_method.header("Allow")
    assert wrong_method.header("Content-Type").startswith("text/html")
    assert '<html lang="ja">' in wrong_method.text

    unknown = post_form(server.url + HANDLER + "/review/" + "a" * 32, [("decision", "all")])
    assert unknown.status == 404, f"POST to an unknown review token via {server.name}: {unknown.status}"
    assert '<html lang="ja">' in unknown.text

    nowhere = get(server.url + HANDLER + "/nowhere")
    assert nowhere.status == 404

    # A mistake comes back as the form (422) with the message and what was typed.
    mistake = applicant_for(server).with_kana("Kudo Ichiro")
    before = shop.codes()
    invalid = post_form(server.url + HANDLER + "/apply", mistake.form_pairs())
    assert invalid.status == 422, f"an invalid application via {server.name}: {invalid.status}"
    assert "フリガナはカタカナで入力してください。" in invalid.text
    assert f'value="{mistake.email}"' in invalid.text
    assert shop.codes() == before, "an invalid application was stored"


def test_static_pages(server: Server) -> None:
    for path in ("/", "/apply/", "/robots.txt", "/sitemap.xml"):
        response = get(server.url + path)
        assert response.status == 200, f"{server.name}: GET {path} is {response.status}"
    form = get(server.url + "/apply/")
    assert form.header("Content-Type").startswith("text/html")
    assert f'action="{HANDLER}/apply"' in form.text
