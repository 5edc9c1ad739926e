"""Generate a large synthetic Schitter site outside the repository, for the build benchmark.

1,000 Dutch Markdown articles of realistic length (~800 words, headings, lists, links, tags,
categories) and 100 podcast episodes with real MP3 files of a few minutes each. The MP3s are
synthesised frame by frame (silent MPEG-2 Layer III frames, valid for every decoder) instead of
encoded, so generating hours of audio takes a second: a mix of CBR, VBR with a Xing header and
VBR without one (whose length a header-based estimate gets wrong by a factor of several).

    python benchmarks/synthetic_site.py /tmp/schitter-bench/content --articles 1000 --episodes 100
"""

from __future__ import annotations

import argparse
import random
import shutil
import struct
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_RATE = 22050  # MPEG-2: 576 samples per Layer III frame
SAMPLES_PER_FRAME = 576
# MPEG-2 Layer III bitrate index → kbit/s
BITRATES = {1: 8, 2: 16, 3: 24, 4: 32, 5: 40, 6: 48, 7: 56, 8: 64, 9: 80, 10: 96, 11: 112}
SIDE_INFO = 9  # bytes of side information in an MPEG-2 mono frame

WORDS = [
    "community",
    "leden",
    "gesprek",
    "vertrouwen",
    "moderatie",
    "ritme",
    "welkom",
    "nieuwkomer",
    "bijdrage",
    "vraag",
    "antwoord",
    "samen",
    "plek",
    "doel",
    "afspraak",
    "huisregels",
    "betrokkenheid",
    "groei",
    "meten",
    "luisteren",
    "aandacht",
    "week",
    "maand",
    "forum",
    "groep",
    "evenement",
    "organisator",
    "vrijwilliger",
    "rol",
    "verantwoordelijkheid",
    "toon",
    "gastvrij",
    "stil",
    "actief",
    "belofte",
    "ritueel",
    "uitnodiging",
    "onboarding",
    "reactie",
    "bericht",
    "draad",
    "thema",
    "kennis",
    "ervaring",
    "verhaal",
    "dank",
    "feedback",
    "keuze",
    "tempo",
    "duurzaam",
    "energie",
    "team",
    "moderator",
    "online",
    "offline",
    "netwerk",
]
CONNECTIVES = [
    "en",
    "maar",
    "omdat",
    "dus",
    "terwijl",
    "zodat",
    "want",
    "daarna",
    "bovendien",
    "toch",
]
CATEGORIES = ["Community bouwen", "Moderatie", "Groei & meten", "Evenementen", "Vrijwilligers"]
TAGS = [f"{w}" for w in WORDS[:40]]


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 14))]
    if len(words) > 8:
        words.insert(rng.randint(3, len(words) - 3), rng.choice(CONNECTIVES))
    return " ".join(words).capitalize() + rng.choice([".", ".", ".", "?", "!"])


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def article_text(rng: random.Random, index: int, total: int) -> str:
    parts = [paragraph(rng, 6)]
    for section in range(5):
        parts.append(f"## {sentence(rng).rstrip('.?!')}")
        parts.append(paragraph(rng, rng.randint(5, 7)))
        parts.append(paragraph(rng, rng.randint(3, 5)))
        if section == 1:
            parts.append("\n".join(f"- {sentence(rng)}" for _ in range(5)))
        if section == 2:
            other = rng.randrange(total)
            parts.append(
                f"Lees ook [artikel {other}]({{filename}}/articles/artikel-{other:04d}.md) en "
                f"[de achtergrond](https://nl.wikipedia.org/wiki/Online_gemeenschap)."
            )
            parts.append("\n".join(f"{n}. {sentence(rng)}" for n in range(1, 5)))
        parts.append(f"> {sentence(rng)}")
    return "\n\n".join(parts)


def write_articles(content: Path, count: int, rng: random.Random) -> None:
    folder = content / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        day = i % 28 + 1
        month = i // 28 % 12 + 1
        year = 2020 + i // 336
        tags = ", ".join(sorted(set(rng.sample(TAGS, 3))))
        header = (
            f"Title: Artikel {i}: {sentence(rng).rstrip('.?!')}\n"
            f"Date: {year}-{month:02d}-{day:02d} 09:{i % 60:02d}\n"
            f"Category: {CATEGORIES[i % len(CATEGORIES)]}\n"
            f"Tags: {tags}\n"
            f"Slug: artikel-{i:04d}\n"
            f"Author: Sanne de Wit\n"
            f"Summary: {sentence(rng)}\n"
        )
        (folder / f"artikel-{i:04d}.md").write_text(
            header + "\n" + article_text(rng, i, count) + "\n", encoding="utf-8"
        )


def frame(bitrate_index: int, padding: int = 0, payload: bytes = b"") -> bytes:
    """One silent MPEG-2 Layer III mono frame (all-zero side info decodes as silence)."""
    kbps = BITRATES[bitrate_index]
    size = 72 * kbps * 1000 // SAMPLE_RATE + padding
    header = bytes([0xFF, 0xF3, (bitrate_index << 4) | (padding << 1), 0xC0])
    body = payload.ljust(size - 4, b"\x00")
    return header + body[: size - 4]


def xing_frame(frames: int, size: int) -> bytes:
    """The Xing header frame: frame and byte count, so readers know the exact length."""
    tag = b"\x00" * SIDE_INFO + b"Xing" + struct.pack(">III", 0x3, frames, size)
    return frame(11, payload=tag)


def mp3_bytes(kind: str, seconds: float, rng: random.Random) -> bytes:
    frames = int(seconds * SAMPLE_RATE / SAMPLES_PER_FRAME)
    if kind == "cbr":
        return b"".join(frame(4, padding=i % 2) for i in range(frames))
    # VBR: mostly high bitrates after a low-bitrate first frame, so an estimate from the
    # first frame alone is several times too long.
    body = [frame(1)] + [frame(rng.choice((5, 6, 7, 8))) for _ in range(frames - 1)]
    audio = b"".join(body)
    if kind == "vbr-xing":
        return xing_frame(frames, len(audio)) + audio
    return audio


def id3_tag(title: str, track: int) -> bytes:
    """A small ID3v2.3 tag (TIT2, TALB, TRCK) in front of the frames."""

    def text_frame(frame_id: str, text: str) -> bytes:
        data = b"\x03" + text.encode("utf-8")  # encoding 3 = UTF-8 (accepted by mutagen)
        return frame_id.encode() + struct.pack(">I", len(data)) + b"\x00\x00" + data

    frames = (
        text_frame("TIT2", title)
        + text_frame("TALB", "Benchmark podcast")
        + text_frame("TRCK", str(track))
    )
    size = len(frames)
    syncsafe = bytes([(size >> 21) & 0x7F, (size >> 14) & 0x7F, (size >> 7) & 0x7F, size & 0x7F])
    return b"ID3\x04\x00\x00" + syncsafe + frames


def write_episodes(content: Path, count: int, rng: random.Random) -> dict[str, int]:
    notes, audio = content / "podcast", content / "audio"
    notes.mkdir(parents=True, exist_ok=True)
    audio.mkdir(parents=True, exist_ok=True)
    kinds = {"cbr": 0, "vbr-xing": 0, "vbr-noheader": 0}
    for i in range(count):
        kind = ("cbr", "vbr-xing", "vbr-noheader")[i % 3]
        kinds[kind] += 1
        seconds = rng.uniform(120, 300)
        name = f"aflevering-{i + 1:03d}.mp3"
        (audio / name).write_bytes(
            id3_tag(f"Aflevering {i + 1}", i + 1) + mp3_bytes(kind, seconds, rng)
        )
        (notes / f"aflevering-{i + 1:03d}.md").write_text(
            f"Title: Aflevering {i + 1}: {sentence(rng).rstrip('.?!')}\n"
            f"Date: 2024-{i // 28 % 12 + 1:02d}-{i % 28 + 1:02d} 07:00\n"
            f"Category: Podcast\nTags: podcast\nSlug: aflevering-{i + 1:03d}\n"
            f"Podcast: community-kompas\nEpisode: {i + 1}\nAudio: audio/{name}\n"
            f"Summary: {sentence(rng)}\n\n{paragraph(rng, 6)}\n\n{paragraph(rng, 6)}\n",
            encoding="utf-8",
        )
    return kinds


def generate(content: Path, articles: int = 1000, episodes: int = 100, seed: int = 2026) -> dict:
    """Write the synthetic site into ``content`` (emptied first); returns what was made."""
    if content.exists():
        shutil.rmtree(content)
    rng = random.Random(seed)
    write_articles(content, articles, rng)
    kinds = write_episodes(content, episodes, rng)
    # The demo site's pages, images and cover art, so every template and setting still works.
    for folder in ("pages", "images", "extra"):
        shutil.copytree(ROOT / "content" / folder, content / folder)
    audio_bytes = sum(p.stat().st_size for p in (content / "audio").glob("*.mp3"))
    return {"articles": articles, "episodes": episodes, "audio_bytes": audio_bytes, **kinds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", type=Path)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--episodes", type=int, default=100)
    args = parser.parse_args()
    made = generate(args.content, args.articles, args.episodes)
    print(made)


if __name__ == "__main__":
    main()
