"""CPU per request of the load benchmark's pages and API lists, in-process with DEBUG off.

The load benchmark (``make bench-scale``) saturates the CPU; this measures what each request
costs in Django and Python alone: the median ``time.process_time`` of ``--n`` requests after three
warm-up requests, with the queries of one, through Django's test client (every middleware, the
session, the templates). ``--profile NAME`` prints cProfile's top functions for the pages whose
name contains NAME, ``--dump DIR`` writes each answer (CSRF tokens blanked) to compare two versions.

It needs production settings and a database with the demo data, e.g.::

    export DEBUG=0 SECRET_KEY=local-profiling-key-0123456789abcdefghijklmnopqrstuvwxyz \\
        ALLOWED_HOSTS=localhost SECURE_SSL_REDIRECT=0 SQLITE_PATH=/tmp/p/demo.sqlite3 \\
        HYRKOLL_VAR_DIR=/tmp/p/var
    hyrkoll migrate && hyrkoll load_demo_data && hyrkoll collectstatic --no-input
    python bench/cpu_per_request.py --n 20
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hyrkoll.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from hyrkoll.accounts.models import User  # noqa: E402


def signed_in(username: str) -> Client:
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username=username))
    return client


def with_token(username: str) -> Client:
    token, _ = Token.objects.get_or_create(user=User.objects.get(username=username))
    return Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Token {token.key}")


def pages() -> list[tuple[str, Client, str]]:
    """(name, client, path) of the journeys' requests (bench/scale/locustfile.py)."""
    orderer, call_offs = signed_in("vgr.bestallare"), signed_in("vgr.avropsenhet")
    controller, national = signed_in("vgr.controller"), signed_in("nationell.samordnare")
    supplier, supplier2 = with_token("leverantor.1"), with_token("leverantor.2")
    listing = call_offs.get("/ordering/call-offs/").content.decode()
    needs = sorted(int(pk) for pk in re.findall(r'href="/ordering/needs/(\d+)/"', listing))
    need = needs[len(needs) // 2] if needs else 1
    return [
        ("/ (orderer)", orderer, "/"),
        ("/ (call-off unit)", call_offs, "/"),
        ("/ (controller)", controller, "/"),
        ("/ (national)", national, "/"),
        ("needs", orderer, "/ordering/needs/"),
        ("needs?status", orderer, "/ordering/needs/?status=published"),
        ("needs?sort", orderer, "/ordering/needs/?sort=-since"),
        ("need form", orderer, "/ordering/needs/new/"),
        ("need detail", call_offs, f"/ordering/needs/{need}/"),
        ("call-offs", call_offs, "/ordering/call-offs/"),
        ("assignments", call_offs, "/assignments/"),
        ("invoices", call_offs, "/invoices/"),
        ("invoices?filters", call_offs, "/invoices/?status=received&deviations=open"),
        ("follow-up national", national, "/follow-up/"),
        ("follow-up region", controller, "/follow-up/regions/14/"),
        ("follow-up report", controller, "/follow-up/report/"),
        ("audit", national, "/audit/"),
        ("api call-offs", supplier, "/api/v1/call-offs/?limit=50"),
        ("api offers", supplier, "/api/v1/offers/?limit=50"),
        ("api assignments", supplier2, "/api/v1/assignments/?limit=50"),
        ("api time-reports", supplier2, "/api/v1/time-reports/?limit=50"),
        ("api invoices", supplier2, "/api/v1/invoices/?limit=50"),
        ("api events", supplier, "/api/v1/events/?limit=100"),
        # Read once per supplier system as it starts, in pages of 500 (bench/scale/supplier_system.py).
        ("api competences", supplier, "/api/v1/competences/?limit=500"),
        ("api consultants", supplier, "/api/v1/consultants/?limit=500"),
    ]


def cpu_ms(client: Client, path: str, n: int) -> tuple[float, int]:
    """Median CPU ms of ``n`` requests after three warm-up requests, and the queries of one."""
    for _ in range(3):
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path}: {response.status_code}")
    samples = []
    for _ in range(n):
        started = time.process_time()
        client.get(path)
        samples.append(time.process_time() - started)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return statistics.median(samples) * 1000, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20, help="requests measured per page")
    parser.add_argument("--only", default="", help="only the pages whose name contains this")
    parser.add_argument("--profile", default="", help="cProfile the pages whose name contains this")
    parser.add_argument("--sort", default="cumulative", help="the profile's order (e.g. tottime)")
    parser.add_argument("--dump", default="", help="write each answer to this directory")
    args = parser.parse_args()
    if settings.DEBUG:
        raise SystemExit("Set DEBUG=0: the figures are for production settings.")
    for name, client, path in pages():
        if args.only not in name:
            continue
        if args.dump:
            Path(args.dump).mkdir(parents=True, exist_ok=True)
            body = re.sub(
                r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", client.get(path).content.decode()
            )
            (Path(args.dump) / (re.sub(r"[^a-z0-9]+", "_", name) + ".txt")).write_text(body)
        elif args.profile and args.profile in name:
            client.get(path)
            profile = cProfile.Profile()
            profile.runcall(lambda c=client, p=path: [c.get(p) for _ in range(args.n)])
            print(f"== {name} ({args.n} requests)")
            pstats.Stats(profile).sort_stats(args.sort).print_stats(40)
        elif not args.profile:
            ms, queries = cpu_ms(client, path, args.n)
            print(f"{name:<22} {ms:7.1f} ms CPU  {queries:3d} queries  {path}", flush=True)


if __name__ == "__main__":
    main()
