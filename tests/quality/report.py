"""The brief-quality report (``make quality``): analysis output scored against labels.

``labels.json`` beside this file holds, per reference article, hand labels for every
evidence item and summary sentence the analysis has produced, the key phrases, the
article's defining transport facts and its tone (see ``README.md`` here). This module
runs the analysis over the 18 reference articles in ``../shared/wiki`` and prints and
writes (``results.json``) per-mode evidence precision, recall of the defining facts,
summary precision, key-phrase junk rate, sentence-debris rate and sentiment sanity.
Items the labels do not cover are listed, never guessed: label them and rerun.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from citybrief.analysis import MODE_NAMES, analyse
from citybrief.text import split_sentences
from tests.support.fakewiki.pages import DEFAULT_DATA

HERE = Path(__file__).resolve().parent
LABELS = HERE / "labels.json"
RESULTS = HERE / "results.json"
EXTRACTS = DEFAULT_DATA / "extracts"

# What a clean sentence never shows: pronunciation or native-script residue, empty or
# half-empty brackets, editorial marks, sentences run together, heading marks, a
# lower-case start or a missing final mark, unbalanced brackets.
DEBRIS = {
    "ipa": re.compile(r"[\u0250-\u02af\u02b0-\u02ffəɛɔʃʒθðŋ]"),
    "empty brackets": re.compile(r"\(\s*[;,:]?\s*\)|\(\s*[;,]|\[\s*\]"),
    "editorial mark": re.compile(r"\[(?:update|citation needed|clarification needed|\d+)\]", re.I),
    "run-together": re.compile(r"[a-z]{3}\.[A-Z][a-z]{2}"),
    "heading mark": re.compile(r"==|\n"),
    "no capital start": re.compile(r"^[^A-Z0-9\"'“(]"),
    "no final mark": re.compile(r"[^.!?\"'”’)]$"),
}


def _normal(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def debris(sentence: str) -> list[str]:
    """The kinds of debris in one output sentence (empty when clean)."""
    found = [name for name, pattern in DEBRIS.items() if pattern.search(sentence)]
    if sentence.count("(") != sentence.count(")") or sentence.count("[") != sentence.count("]"):
        found.append("unbalanced brackets")
    return found


def _evidence_label(labels: dict[str, dict[str, int]], text: str) -> dict[str, int] | None:
    """An item's label: its whole text, else its last sentence (the one that was picked;
    the sentences before it are its antecedent)."""
    for key in (text, split_sentences(text)[-1] if text else text):
        found = labels.get(_normal(key))
        if found is not None:
            return found
    return None


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def evaluate(extracts: Path = EXTRACTS, labels_path: Path = LABELS) -> dict[str, Any]:
    """Score the analysis of every labelled article; the report as a dictionary."""
    labels = json.loads(labels_path.read_text(encoding="utf-8"))["cities"]
    modes = {m: {"produced": 0, "correct": 0, "informative": 0} for m in MODE_NAMES}
    facts = {"total": 0, "found": 0, "missed": []}
    summary = {"produced": 0, "kept": 0}
    phrases = {"produced": 0, "junk": 0, "examples": []}
    sentences = {"produced": 0, "debris": 0, "examples": []}
    tone = {"agree": 0, "total": 0, "labels": {}, "polarity": {}}
    unlabelled: list[dict[str, str]] = []
    wrong: list[dict[str, str]] = []

    for city, label in sorted(labels.items()):
        text = (extracts / f"{city}.txt").read_text(encoding="utf-8")
        result = analyse(text, sentences=5, title=city)
        evidence_labels = {_normal(k): v for k, v in label["evidence"].items()}
        summary_labels = {_normal(k): v for k, v in label["summary"].items()}

        for mode in MODE_NAMES:
            for item in result["logistics"][mode]:
                modes[mode]["produced"] += 1
                found = _evidence_label(evidence_labels, item["text"])
                if found is None:
                    unlabelled.append(
                        {"city": city, "kind": f"evidence:{mode}", "text": item["text"]}
                    )
                    continue
                grade = found.get(mode, 0)
                modes[mode]["correct"] += grade >= 1
                modes[mode]["informative"] += grade >= 2
                if grade < 1:
                    wrong.append({"city": city, "mode": mode, "text": item["text"]})

        for fact in label["defining"]:
            facts["total"] += 1
            pattern = re.compile(fact["match"], re.IGNORECASE)
            if any(pattern.search(i["text"]) for i in result["logistics"][fact["mode"]]):
                facts["found"] += 1
            else:
                facts["missed"].append({"city": city, **fact})

        for sentence in result["summary"]:
            summary["produced"] += 1
            keep = summary_labels.get(_normal(sentence))
            if keep is None:
                unlabelled.append({"city": city, "kind": "summary", "text": sentence})
            summary["kept"] += bool(keep)

        for phrase in result["key_phrases"]:
            phrases["produced"] += 1
            verdict = label["key_phrases"].get(phrase)
            if verdict is None:
                unlabelled.append({"city": city, "kind": "key_phrase", "text": phrase})
            elif verdict == "junk":
                phrases["junk"] += 1
                phrases["examples"].append(f"{city}: {phrase}")

        shown = [
            *result["summary"],
            *(i["text"] for m in MODE_NAMES for i in result["logistics"][m]),
        ]
        # Each summary sentence and evidence item as shown (an item may carry the sentence
        # its subject leans on: it is judged whole, as the reader sees it).
        for sentence in shown:
            sentences["produced"] += 1
            kinds = debris(sentence)
            if kinds:
                sentences["debris"] += 1
                sentences["examples"].append(f"{city}: {', '.join(kinds)}: {sentence}")

        tone["total"] += 1
        tone["agree"] += result["sentiment"]["label"] == label["tone"]
        tone["labels"][city] = result["sentiment"]["label"]
        tone["polarity"][city] = result["sentiment"]["polarity"]

    return {
        "articles": len(labels),
        "evidence": {
            m: {**v, "precision": _ratio(v["correct"], v["produced"])} for m, v in modes.items()
        },
        "evidence_wrong": wrong,
        "defining_facts": {**facts, "recall": _ratio(facts["found"], facts["total"])},
        "summary": {**summary, "precision": _ratio(summary["kept"], summary["produced"])},
        "key_phrases": {**phrases, "junk_rate": _ratio(phrases["junk"], phrases["produced"])},
        "sentences": {
            **sentences,
            "debris_rate": _ratio(sentences["debris"], sentences["produced"]),
        },
        "sentiment": {**tone, "agreement": _ratio(tone["agree"], tone["total"])},
        "unlabelled": unlabelled,
    }


def _print(report: dict[str, Any]) -> None:
    print(f"Brief quality on {report['articles']} labelled articles\n")
    print(f"{'evidence':<10} {'items':>6} {'correct':>8} {'precision':>10} {'informative':>12}")
    for mode, v in report["evidence"].items():
        precision = "—" if v["precision"] is None else f"{v['precision']:.3f}"
        counts = f"{v['produced']:>6} {v['correct']:>8} {precision:>10} {v['informative']:>12}"
        print(f"{mode:<10} {counts}")
    f = report["defining_facts"]
    print(f"\ndefining facts found   {f['found']}/{f['total']}  recall {f['recall']}")
    s = report["summary"]
    print(f"summary kept           {s['kept']}/{s['produced']}  precision {s['precision']}")
    k = report["key_phrases"]
    print(f"key-phrase junk        {k['junk']}/{k['produced']}  rate {k['junk_rate']}")
    d = report["sentences"]
    print(f"sentence debris        {d['debris']}/{d['produced']}  rate {d['debris_rate']}")
    t = report["sentiment"]
    print(f"tone agrees with label {t['agree']}/{t['total']}  agreement {t['agreement']}")
    for title, rows in (
        ("wrong evidence", report["evidence_wrong"]),
        ("missed defining facts", f["missed"]),
        ("debris", d["examples"]),
        ("junk key phrases", k["examples"]),
        ("UNLABELLED (label these in labels.json)", report["unlabelled"]),
    ):
        if rows:
            print(f"\n{title}:")
            for row in rows:
                print(f"  {row}")


def main() -> int:
    if not EXTRACTS.is_dir():
        print(f"The reference articles are missing: expected {EXTRACTS}.", file=sys.stderr)
        return 2
    report = evaluate()
    _print(report)
    RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwritten to {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
