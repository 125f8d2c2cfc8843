"""One Settings object, read from CODING_ASSISTANT_* environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.errors import SettingsError

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CODING_ASSISTANT_")

    index_dir: Path = PROJECT_ROOT / "index"
    corpus_dir: Path = PROJECT_ROOT / "corpus"
    collection: str = "coding_assistant"
    # "minilm" is the real model; "hash" is a deterministic fake for unit tests.
    embedding: str = "minilm"
    # Where the ingest embeds documents: auto (a GPU when there is one), cpu, cuda[:N], mps.
    device: str = "auto"
    # Vectors already computed, keyed by (model, text), and the exported query model.
    cache_dir: Path = PROJECT_ROOT / "cache"
    # Vectors of the default corpus shipped with the project ("" for none): a first build
    # loads them instead of computing them (made by `make vector-pack`).
    vector_pack: str = str(PROJECT_ROOT / "corpus" / "vectors" / "all-MiniLM-L6-v2.npz")
    # Set both to use a Chroma server instead of the embedded folder.
    chroma_host: str | None = None
    chroma_port: int = 8000
    # ICD-10-CM categories to load (comma-separated, e.g. "E87,D81"); empty means all.
    icd10cm_slice: str = ""
    # Questions may hold patient information: nothing logs them.
    max_question_chars: int = 2000
    # Opt-in: a JSON Lines file that records each question answered and its answer, the one
    # place a question's text is ever written (see assistant/answer/audit.py).
    audit_log: Path | None = None

    @field_validator("audit_log", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @property
    def icd10cm_categories(self) -> list[str]:
        return [c.strip().upper() for c in self.icd10cm_slice.split(",") if c.strip()]


def get_settings() -> Settings:
    """The settings, or a SettingsError that names the first variable that is wrong."""
    try:
        return Settings()
    except ValidationError as error:
        first = error.errors()[0]
        name = "CODING_ASSISTANT_" + "_".join(str(part) for part in first["loc"]).upper()
        raise SettingsError(f"{name} is invalid: {first['msg']}") from None
