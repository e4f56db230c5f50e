#!/usr/bin/env python
"""Rate limits and registration timing from outside, against running servers (HTTP only; no
Django in this process).

Bursts: THREADS clients, released together by a barrier, each send one request from the same
new client address (a fresh ``X-Real-IP``/``X-Forwarded-For``, so the servers must run with
``SB_CLIENT_IP_HEADER=X-Real-IP SB_NUM_PROXIES=1``), spread over the given servers (several
app processes, one database). Counted: how many were accepted (the error-report form: a
redirect; the API: 200) against the server's limit (``SB_RATE_LIMIT_REPORT=10/h``,
``SB_API_RATE_ANON=10/h`` in the example below).

Registration: the median time of N registrations of new addresses against N of one address
that has an account (interleaved; run the servers with ``SB_RATE_LIMIT_FORM=off``).

    SB_CLIENT_IP_HEADER=X-Real-IP SB_NUM_PROXIES=1 SB_RATE_LIMIT_REPORT=10/h \\
      SB_API_RATE_ANON=10/h SB_RATE_LIMIT_FORM=off .venv/bin/python manage.py runserver 8811 &
    .venv/bin/python benchmarks/limits.py --server http://127.0.0.1:8811 --bursts 3 --register 20
"""

import argparse
import random
import re
import statistics
import threading
import time
import uuid

import requests

THREADS = 20
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def fresh_address() -> str:
    return f"198.18.{random.randrange(256)}.{random.randrange(1, 255)}"


def headers(address: str) -> dict:
    return {"X-Real-IP": address, "X-Forwarded-For": address}


def form_session(server: str, path: str, address: str) -> tuple[requests.Session, str]:
    """A session with the CSRF cookie and the form's token (GET is not rate limited)."""
    session = requests.Session()
    page = session.get(server + path, headers=headers(address), timeout=30)
    return session, TOKEN.search(page.text).group(1)


def burst(servers: list[str], kind: str) -> tuple[int, dict]:
    """THREADS requests of ``kind`` ("report" or "api") from one new address at once;
    returns how many were accepted and the count of each status code."""
    address = fresh_address()
    barrier = threading.Barrier(THREADS)
    accepted = []
    prepared = []
    for i in range(THREADS):
        server = servers[i % len(servers)]
        if kind == "report":
            prepared.append((server, *form_session(server, "/melden/", address)))
        else:
            prepared.append((server, requests.Session(), ""))

    def send(server, session, token):
        barrier.wait(timeout=60)
        if kind == "report":
            answer = session.post(
                server + "/melden/",
                {
                    "csrfmiddlewaretoken": token,
                    "reporter_name": "Burst",
                    "reporter_email": "",
                    "message": "Test van de limiet.",
                },
                headers={**headers(address), "Referer": server + "/melden/"},
                allow_redirects=False,
                timeout=60,
            )
        else:
            answer = session.get(
                server + "/api/v1/municipalities/", headers=headers(address), timeout=60
            )
        accepted.append(answer.status_code)

    threads = [threading.Thread(target=send, args=args) for args in prepared]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ok = 302 if kind == "report" else 200
    return accepted.count(ok), {code: accepted.count(code) for code in sorted(set(accepted))}


def register_once(server: str, email: str) -> float:
    """Seconds for one registration POST (the form was fetched before the clock starts)."""
    session, token = form_session(server, "/account/registreren/", fresh_address())
    data = {
        "csrfmiddlewaretoken": token,
        "full_name": "Meting",
        "email": email,
        "password1": "een-lang-meetwachtwoord-42",
        "password2": "een-lang-meetwachtwoord-42",
    }
    start = time.perf_counter()
    answer = session.post(
        server + "/account/registreren/",
        data,
        headers={"Referer": server + "/account/registreren/"},
        allow_redirects=False,
        timeout=60,
    )
    elapsed = time.perf_counter() - start
    assert answer.status_code == 302, answer.status_code
    return elapsed


def registration(server: str, n: int) -> None:
    existing = f"bestaat-{uuid.uuid4().hex[:8]}@example.org"
    register_once(server, existing)  # now it has an account
    new, old = [], []
    for _ in range(n):
        new.append(register_once(server, f"nieuw-{uuid.uuid4().hex[:8]}@example.org"))
        old.append(register_once(server, existing))
    for label, times in (("new address", new), ("existing address", old)):
        ms = sorted(t * 1000 for t in times)
        print(
            f"registration, {label}: median {statistics.median(ms):.0f} ms "
            f"(min {ms[0]:.0f}, max {ms[-1]:.0f}, n={n})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", action="append", required=True, help="base URL; repeatable")
    parser.add_argument("--bursts", type=int, default=3, help="bursts of each kind")
    parser.add_argument("--register", type=int, default=0, help="registrations of each kind")
    args = parser.parse_args()
    for kind in ("report", "api"):
        if args.bursts:
            results = [burst(args.server, kind) for _ in range(args.bursts)]
            counts = [accepted for accepted, _codes in results]
            codes = [codes for _accepted, codes in results]
            print(f"{kind}: accepted {counts} of {THREADS} at once; status codes {codes}")
    if args.register:
        registration(args.server[0], args.register)


if __name__ == "__main__":
    main()
