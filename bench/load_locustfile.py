"""Locust users for bench/load_bench.py: assessors saving answers as a browser does, and
devices syncing batches of offline answers. Not run on its own: load_bench.py starts
Locust with this file, the fixture it built (LOAD_FIXTURE) and where to write the
acknowledged answers (LOAD_ACKS).

Each simulated assessor logs in through the log-in form (CSRF token from the page, the
session cookie kept), opens the department it scores, then saves answers to its own
checkpoints one at a time (the htmx POST of the capture page, with the revision the page
showed and a fresh client id), or, for a syncing device, posts batches of changes to the
offline sync API. Every answer the server acknowledged is recorded, so that
`load_bench.py check` can find each of them in the database afterwards.

The server sees what it sees behind the production reverse proxy: `X-Forwarded-Proto:
https` and an `X-Forwarded-For` per assessor (each works from their own device). The
session and CSRF cookies are Secure, which a client would not send over the plain HTTP
between Locust and gunicorn, so the user keeps them and sends them itself.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import uuid

from locust import HttpUser, constant_throughput, events, task

FIXTURE = json.loads(open(os.environ["LOAD_FIXTURE"]).read())  # noqa: SIM115
ACKS_PATH = os.environ["LOAD_ACKS"]
# Answers each user tries to save per second (its think time adapts to the latency).
RATE = float(os.environ.get("LOAD_RATE", "5"))
BATCH = int(os.environ.get("LOAD_BATCH", "20"))

_people = iter(FIXTURE["people"])
acknowledged: list[dict] = []
REVISION = re.compile(r'name="base_revision" value="(\d+)"')
TOKEN = re.compile(r'"X-CSRFToken": "([^"]+)"')
FORM_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Assessor(HttpUser):
    wait_time = constant_throughput(RATE)

    def on_start(self) -> None:
        me = next(_people)
        self.me = me
        self.sync = me["sync"]
        self.cookies: dict[str, str] = {}
        self.revisions = {cp: 0 for cp in me["checkpoints"]}
        self.turn = itertools.cycle(me["checkpoints"])
        self.count = itertools.count()
        host = self.host.split("://", 1)[1]
        self.origin = f"https://{host}"
        self.proxy = {"X-Forwarded-Proto": "https",
                      "X-Forwarded-For": f"10.0.{me['index'] // 250}.{me['index'] % 250 + 1}"}
        page = self._get("/accounts/login/", name="log-in page")
        token = FORM_TOKEN.search(page.text).group(1)
        done = self._post("/accounts/login/", name="log in", data={
            "username": me["username"], "password": FIXTURE["password"],
            "csrfmiddlewaretoken": token}, referer="/accounts/login/")
        if done.status_code != 302:
            raise RuntimeError(f"log-in of {me['username']} answered {done.status_code}")
        self.page = f"/assessments/{me['assessment']}/departments/{me['department']}/"
        page = self._get(self.page, name="department page")
        self.token = TOKEN.search(page.text).group(1)

    # -- HTTP as a browser behind the proxy ------------------------------------------------

    def _headers(self, referer: str | None = None, **extra: str) -> dict[str, str]:
        headers = {**self.proxy, **extra}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if referer is not None:
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + referer
        return headers

    def _keep_cookies(self) -> None:
        # Taken out of the session's jar, which would not send Secure cookies over HTTP
        # and, holding any other, would overwrite the Cookie header with those alone.
        self.cookies.update(self.client.cookies.get_dict())
        self.client.cookies.clear()

    def _get(self, path: str, *, name: str):
        response = self.client.get(path, name=name, headers=self._headers(),
                                   allow_redirects=False)
        self._keep_cookies()
        return response

    def _post(self, path: str, *, name: str, referer: str, **kwargs):
        headers = self._headers(referer, **kwargs.pop("headers", {}))
        response = self.client.post(path, name=name, headers=headers, allow_redirects=False,
                                    **kwargs)
        self._keep_cookies()
        return response

    # -- the work --------------------------------------------------------------------------

    def _answer(self) -> tuple[int, str, str]:
        """The next checkpoint and a different answer from the last: full marks, or a
        partial score with the remark it requires."""
        checkpoint = next(self.turn)
        n = next(self.count)
        # The remark names the attempt, so every answer differs from the stored one even
        # after a failed request left this user's idea of it behind.
        if (n // len(self.revisions)) % 2 == 0:
            return checkpoint, "1", f"gap noted {self.me['index']}-{n}"
        return checkpoint, "2", f"checked {self.me['index']}-{n}"

    @task
    def work(self) -> None:
        if self.sync:
            self.post_batch()
        else:
            self.save()

    def save(self) -> None:
        checkpoint, value, remark = self._answer()
        client_id = str(uuid.uuid4())
        with self.client.post(
                f"/assessments/{self.me['assessment']}/checkpoints/{checkpoint}/save/",
                name="save (capture page)", catch_response=True, allow_redirects=False,
                data={"value": value, "remark": remark,
                      "base_revision": self.revisions[checkpoint], "client_id": client_id},
                headers=self._headers(self.page, **{"HX-Request": "true",
                                                    "X-CSRFToken": self.token})) as response:
            self._keep_cookies()
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
                return
            self.revisions[checkpoint] = int(REVISION.search(response.text).group(1))
            acknowledged.append({"client_id": client_id, "assessment": self.me["assessment"],
                                 "checkpoint": checkpoint, "value": value, "remark": remark,
                                 "revision": self.revisions[checkpoint]})

    def post_batch(self) -> None:
        changes = []
        for _ in range(min(BATCH, len(self.revisions))):
            checkpoint, value, remark = self._answer()
            changes.append({"client_id": str(uuid.uuid4()), "checkpoint_id": checkpoint,
                            "value": float(value), "remark": remark,
                            "base_revision": self.revisions[checkpoint]})
        with self.client.post(
                f"/api/sync/assessments/{self.me['assessment']}/batches",
                name=f"sync batch of {len(changes)}", catch_response=True,
                allow_redirects=False,
                data=json.dumps({"key": str(uuid.uuid4()), "changes": changes}),
                headers=self._headers(self.page, **{"Content-Type": "application/json",
                                                    "X-CSRFToken": self.token})) as response:
            self._keep_cookies()
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
                return
            sent = {c["client_id"]: c for c in changes}
            refused = []
            for result in response.json()["results"]:
                change = sent[result["client_id"]]
                if result["status"] != "applied":
                    refused.append(result["status"])
                    continue
                self.revisions[change["checkpoint_id"]] = result["revision"]
                acknowledged.append({
                    "client_id": result["client_id"], "assessment": self.me["assessment"],
                    "checkpoint": change["checkpoint_id"], "value": str(int(change["value"])),
                    "remark": change["remark"], "revision": result["revision"]})
            if refused:
                response.failure(f"{len(refused)} changes not applied: {sorted(set(refused))}")


@events.quitting.add_listener
def _write_acknowledged(environment, **_kwargs) -> None:
    with open(ACKS_PATH, "w") as out:
        json.dump(acknowledged, out)
