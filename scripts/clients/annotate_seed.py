"""Annotates the seed article through the Python client generated from openapi.yaml.

    python annotate_seed.py BASE_URL ARTICLE

Run by scripts/generated_clients.sh with the generated package on sys.path. Fails
(non-zero exit, with the reason) unless the answers parse into the generated models:
an `Annotation` with entities, quotes whose `speaker_entity` names one of its
entities, an explicit `"options": null` accepted, and a refused request parsed as a
`Problem`.
"""
import sys

from news_annotator_client import Client
from news_annotator_client.api.default import annotate
from news_annotator_client.models import (
    AnnotateRequest, Annotation, BodySpan, Entity, OffsetUnit, Options, Problem, Quote,
)

base_url, article_path = sys.argv[1], sys.argv[2]
article = open(article_path, encoding="utf-8").read()
client = Client(base_url=base_url, raise_on_unexpected_status=True)


def check(cond, what):
    if not cond:
        sys.exit(f"python client: {what}")


# 1. The seed, with `options` left as None: the client sends "options": null.
reply = annotate.sync_detailed(client=client, body=AnnotateRequest(id="seed", text=article, options=None))
check(reply.status_code == 200, f"status {reply.status_code}: {reply.content[:300]!r}")
doc = reply.parsed
check(isinstance(doc, Annotation), f"parsed as {type(doc).__name__}, not Annotation")
check(doc.id == "seed", f"id {doc.id!r} not echoed")
check(all(isinstance(e, Entity) for e in doc.entities) and doc.entities, "no typed entities")
check(all(isinstance(q, Quote) for q in doc.quotes) and doc.quotes, "no typed quotes")
ids = {e.id: e for e in doc.entities}
attributed = [q for q in doc.quotes if q.speaker_entity is not None]
check(attributed, "no quote has a speaker_entity")
check(all(q.speaker_entity in ids for q in attributed), "a speaker_entity names no entity")
check(all(isinstance(c, BodySpan) for q in doc.quotes for c in q.content), "quote content is not BodySpan")
check(all(q.cue is None or isinstance(q.cue, BodySpan) for q in doc.quotes), "cue is not BodySpan")
for q in doc.quotes:
    for span in q.content:
        check(doc.text[span.start:span.end] == span.text, f"{q.id}: span text does not match the offsets")
q = attributed[0]
print(f"python client: seed annotated: {len(doc.entities)} entities, {len(doc.quotes)} quotes, "
      f"{len(attributed)} with speaker_entity (e.g. {q.id} -> {q.speaker_entity} {ids[q.speaker_entity].name!r}: "
      f"{q.content[0].text[:60]!r})")

# 2. Typed options, and an option explicitly null inside them.
reply = annotate.sync_detailed(client=client, body=AnnotateRequest(
    text=article, options=Options(quotes=False, clean=None, offsets=OffsetUnit.UTF16)))
check(reply.status_code == 200 and isinstance(reply.parsed, Annotation), f"options: status {reply.status_code}")
check(reply.parsed.quotes == [] and reply.parsed.offsets == OffsetUnit.UTF16, "options not applied")

# 3. A refusal is a typed Problem.
reply = annotate.sync_detailed(client=client, body=AnnotateRequest(text="a", html="b"))
check(reply.status_code == 400 and isinstance(reply.parsed, Problem), f"refusal: status {reply.status_code}")
print(f"python client: options (typed, null inside) applied; refusal parsed as Problem {reply.parsed.type_!r}")
