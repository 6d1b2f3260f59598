"""Serve the recorded Wikidata answers in this folder through an httpx.MockTransport."""

import json
from pathlib import Path

import httpx

HERE = Path(__file__).parent


def load(name: str) -> dict:
    return json.loads((HERE / name).read_text())


class Recorded:
    """A fake wbgetentities: film ids answer from <QID>.json, other ids from labels.json.

    `overrides` maps a film id to another file (e.g. the malformed one); `calls` keeps every
    request for assertions on batching, parameters and the User-Agent.
    """

    def __init__(self, overrides: dict[str, str] | None = None):
        self.overrides = overrides or {}
        self.calls: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request)
        assert request.url.host == "www.wikidata.org"
        params = request.url.params
        assert params["action"] == "wbgetentities" and params["format"] == "json"
        entities = {}
        labels = load("labels.json")["entities"]
        for qid in params["ids"].split("|"):
            name = self.overrides.get(qid, f"{qid}.json")
            if (HERE / name).exists():
                entities.update(load(name)["entities"])
            elif qid in labels:
                entities[qid] = labels[qid]
            else:
                entities[qid] = {"id": qid, "missing": ""}
        return httpx.Response(200, json={"entities": entities, "success": 1})

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)
