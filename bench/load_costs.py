"""Server cost of each request type of the 50-user load, one request at a time, in process.

    DATABASE_URL=postgres://… python bench/load_costs.py [--repeat 20] [--profile KIND]

Runs after bench/load.py has built its data set in the same database (it reuses the load's
people and items: bench/loadset.py). Each request type of the load's mix is sent `--repeat`
times through Django's test client with the production settings (CITYEVAL_DEBUG=0): the
table gives the CPU time of this process per request (what a gunicorn worker spends), the
wall time and the number of SQL queries. The load's offered rate (~65–80 requests/s on 2
cores shared with its client threads) needs the mix to average well under ~20 ms of CPU.

`--profile KIND` prints the cProfile of that request type (its name as in the table).
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import os
import pstats
import random
import re
import secrets
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

VERSION = re.compile(r'name="version" value="(\d+)"')


def setup() -> None:
    os.environ.update(
        {
            "CITYEVAL_DEBUG": "0",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
            "SECURE_COOKIES": "0",
            "SECURE_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": "testserver",
            "LOG_LEVEL": "WARNING",
        }
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityeval.settings")
    import django

    django.setup()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--profile", default="", help="a request type to profile")
    parser.add_argument("--queries", default="", help="a request type whose SQL to print")
    parser.add_argument("--only", default="", help="measure only the request types containing this")
    parser.add_argument("--sort", default="cumulative", help="the profile's order")
    parser.add_argument("--filter", default="", help="the profile's rows: a regular expression")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    setup()
    import loadset
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from cityeval.accounts.models import User

    print(f"database: {loadset.database_label()}")
    loadset.ensure_demo()
    load = loadset.build(contributors=24, assessors=10)
    rng = random.Random(args.seed)
    contributor, assessor = load.contributors[0], load.assessors[0]
    own = Client(HTTP_ACCEPT_ENCODING="gzip, deflate")
    own.force_login(User.objects.get(username=contributor.username))
    reviewer = Client(HTTP_ACCEPT_ENCODING="gzip, deflate")
    reviewer.force_login(User.objects.get(username=assessor.username))
    anonymous = Client(HTTP_ACCEPT_ENCODING="gzip, deflate")

    def item_page(client: Client, path: str) -> str:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        body = response.content
        if response.get("Content-Encoding") == "gzip":  # as `requests` asks and reads it
            body = gzip.decompress(body)
        return body.decode()

    def save() -> Callable[[], None]:
        item = rng.choice(contributor.items)
        path = f"/evaluations/{item.evaluation_pk}/items/{item.pk}/"
        found = VERSION.search(item_page(own, path))
        assert found
        data = {
            "value": rng.choice(item.levels),
            "narrative": f"biaya {secrets.token_hex(4)}",
            "version": found.group(1),
        }

        def post() -> None:
            response = own.post(path, data)
            assert response.status_code == 302, response.status_code

        return post

    def review(action: str) -> Callable[[], Callable[[], None]]:
        def prepare() -> Callable[[], None]:
            item = rng.choice(assessor.items)
            path = f"/review/{item.evaluation_pk}/items/{item.pk}/"
            found = VERSION.search(item_page(reviewer, path))
            assert found
            data = {"action": action, "version": found.group(1)}
            if action == "adjust":
                others = [level for level in item.levels if level != item.self_value]
                data |= {"value": rng.choice(others), "reason": f"biaya {secrets.token_hex(4)}"}

            def post() -> None:
                response = reviewer.post(path, data)
                assert response.status_code in (302, 200), response.status_code

            return post

        return prepare

    def get(client: Client, path: Callable[[], str]) -> Callable[[], Callable[[], None]]:
        def prepare() -> Callable[[], None]:
            chosen = path()

            def send() -> None:
                item_page(client, chosen)

            return send

        return prepare

    def c_item() -> Any:
        return rng.choice(contributor.items)

    def a_item() -> Any:
        return rng.choice(assessor.items)

    kinds: dict[str, Callable[[], Callable[[], None]]] = {
        # name: prepare (a POST's page GET, not measured) → the measured request
        "contributor: item list": get(own, lambda: f"/evaluations/{c_item().evaluation_pk}/items/"),
        "contributor: open item": get(
            own, lambda: f"/evaluations/{(i := c_item()).evaluation_pk}/items/{i.pk}/"
        ),
        "contributor: save item": save,
        "assessor: queue": get(reviewer, lambda: "/review/"),
        "assessor: workspace": get(reviewer, lambda: f"/review/{a_item().evaluation_pk}/"),
        "assessor: open item": get(
            reviewer, lambda: f"/review/{(i := a_item()).evaluation_pk}/items/{i.pk}/"
        ),
        "assessor: adjust": review("adjust"),
        "assessor: accept": review("accept"),
        "public: dashboard": get(anonymous, lambda: "/dashboard/public/"),
        "public: open data": get(anonymous, lambda: "/data/"),
        "public: regions.csv": get(
            anonymous, lambda: f"/data/{rng.choice(load.cycles)}/regions.csv"
        ),
        "public: scorecard": get(anonymous, lambda: f"/scorecard/{rng.choice(load.scorecards)}/"),
    }
    print(f"{'request':28} {'cpu p50 ms':>10} {'cpu mean':>9} {'wall p50':>9} {'queries':>8}")
    for name, prepare in kinds.items():
        if args.only not in name:
            continue
        prepare()()  # warm: templates, caches
        cpu: list[float] = []
        wall: list[float] = []
        queries: list[int] = []
        profiler = cProfile.Profile() if name == args.profile else None
        for _ in range(args.repeat):
            send = prepare()
            with CaptureQueriesContext(connection) as captured:
                started, started_cpu = time.perf_counter(), time.process_time()
                if profiler:
                    profiler.enable()
                send()
                if profiler:
                    profiler.disable()
                cpu.append(time.process_time() - started_cpu)
                wall.append(time.perf_counter() - started)
            queries.append(len(captured.captured_queries))
        print(
            f"{name:28} {statistics.median(cpu) * 1000:10.1f} {statistics.mean(cpu) * 1000:9.1f}"
            f" {statistics.median(wall) * 1000:9.1f} {statistics.median(queries):8.0f}"
        )
        if name == args.queries:
            for query in captured.captured_queries:
                print(f"  {query['time']}  {query['sql'][:300]}")
        if profiler:
            stats: Any = pstats.Stats(profiler)
            stats.sort_stats(args.sort).print_stats(args.filter, 45)
    return 0


if __name__ == "__main__":
    sys.exit(main())
