"""Identifiers podcast apps keep forever: the show's ``podcast:guid`` and each item's GUID.

``podcast:guid`` follows the Podcast Index rule: UUIDv5 in the namespace
``ead4c236-bf58-58c6-a2c6-a6b28d128cb6`` of the feed URL without scheme and trailing slashes.

An item's GUID must not change when the author retitles the episode or renames its files, so
it cannot be derived from either on every build. It is fixed at first publication in a registry
file inside the content folder (``podcast-guids.json``, committed with the content):

    {"<guid>": {"source": "cursus/les-1.md", "audio": "audio/les-1.mp3", "sha256": "…"}}

An episode gets, in this order: its explicit ``Guid:`` field; the registry entry for its source
file; the entry of a source file that no longer exists with the same audio file or the same
audio content (a renamed Markdown file, a renamed MP3, or both); otherwise a new GUID (UUIDv5 of
the show's podcast:guid and the source path), which the next publish build records.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path

PODCAST_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")


def podcast_guid(feed_url: str) -> str:
    """The podcast:guid of a feed URL (Podcast Index namespace rule)."""
    address = feed_url.split("://", 1)[-1].rstrip("/")
    return str(uuid.uuid5(PODCAST_NAMESPACE, address))


@dataclass(frozen=True)
class EpisodeIdentity:
    source: str  # content-relative path of the episode's source file
    audio: str  # content-relative path of its audio file
    sha256: str  # of the audio content
    show_guid: str  # the show's podcast:guid (namespace for new item GUIDs)
    explicit: str = ""  # the Guid: field, if the author set one


def load_registry(path: Path) -> dict[str, dict]:
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError("must hold a JSON object of GUID → episode")
    return data


def dump_registry(registry: dict[str, dict]) -> str:
    return json.dumps(registry, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def assign_guids(
    episodes: list[EpisodeIdentity], registry: dict[str, dict]
) -> tuple[dict[str, str], dict[str, dict]]:
    """GUID per episode source, and the registry updated with new and renamed episodes."""
    updated = {guid: dict(entry) for guid, entry in registry.items()}
    by_source = {entry.get("source"): guid for guid, entry in updated.items()}
    current = {episode.source for episode in episodes}
    orphans = {g: e for g, e in updated.items() if e.get("source") not in current}
    guids: dict[str, str] = {}
    waiting = []
    for episode in sorted(episodes, key=lambda e: e.source):
        if episode.explicit:
            guids[episode.source] = episode.explicit
        elif episode.source in by_source:
            guids[episode.source] = by_source[episode.source]
        else:
            waiting.append(episode)
    for episode in waiting:  # renamed files: same audio path, else same audio content
        for key in ("audio", "sha256"):
            matches = [g for g, e in orphans.items() if e.get(key) == getattr(episode, key)]
            if len(matches) == 1:
                guids[episode.source] = matches[0]
                del orphans[matches[0]]
                break
        else:
            guids[episode.source] = str(uuid.uuid5(uuid.UUID(episode.show_guid), episode.source))
    for episode in episodes:
        guid = guids[episode.source]
        if episode.explicit and guid not in updated:
            continue  # an explicit Guid: field is its own record
        updated[guid] = {"audio": episode.audio, "sha256": episode.sha256, "source": episode.source}
    return guids, updated
