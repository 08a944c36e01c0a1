"""How often a lost character is guessed, and guessed right: one CJK character masked in each
held-out paragraph (up to 300 per language x domain), guessed by the lost-char-utf-8 fixer's
scorer from two characters either side, taken at its margin.

    .venv/bin/python benchmarks/lost_char_guess.py

Prints coverage (share of masked characters guessed) and precision (share of guesses right)
per language x domain and over all; writes benchmarks/results/lost_char_guess.json.
"""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import regex

from textfix.repair import lostchar
from textfix.repair.model import load_model
from textfix.repair.reencode import other_scripts

sys.path.insert(0, str(Path(__file__).parent))
import sources  # noqa: E402

CJK = regex.compile(r"[\p{Han}\p{Hangul}\p{Hiragana}\p{Katakana}]")
PER_DOMAIN = 300
MAX_CHARS = 300


def masked_cases(lang: str, domain: str) -> list[tuple[str, int]]:
    rng = random.Random(0)
    cases = []
    for paragraph in sources.paragraphs(lang, seed=1, domain=domain, held_out_only=True)[:PER_DOMAIN]:
        text = paragraph[:MAX_CHARS]
        places = [i for i in range(1, len(text) - 1) if CJK.match(text[i]) and CJK.match(text[i - 1])]
        if places:
            cases.append((text, rng.choice(places)))
    return cases


def main() -> None:
    model = load_model()
    rows = []
    for lang in ("zh-Hans", "zh-Hant", "ja", "ko"):
        for domain in sources.domains(lang):
            cases = masked_cases(lang, domain)
            guessed = right = 0
            for text, i in cases:
                masked = text[:i] + "\ufffd" + text[i + 1 :]
                ch, margin = lostchar.guess(model, masked, i, i + 1, other_scripts(masked))
                if margin >= lostchar.GUESS_MARGIN:
                    guessed += 1
                    right += ch == text[i]
            rows.append({"lang": lang, "domain": domain, "cases": len(cases), "guessed": guessed, "right": right})
            print(f"{lang:8s} {domain:8s} {len(cases):4d} cases  covered {guessed / max(1, len(cases)):.2f}  "
                  f"right {right / max(1, guessed):.2f}")
    cases, guessed, right = (sum(r[k] for r in rows) for k in ("cases", "guessed", "right"))
    print(f"all: {cases} cases, covered {guessed / cases:.3f}, right {right / max(1, guessed):.3f}")
    out = Path(__file__).parent / "results" / "lost_char_guess.json"
    out.write_text(json.dumps({"command": "python benchmarks/lost_char_guess.py", "rows": rows,
                               "covered": guessed / cases, "right": right / max(1, guessed)}, indent=1) + "\n")


if __name__ == "__main__":
    main()
