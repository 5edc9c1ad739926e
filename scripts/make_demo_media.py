#!/usr/bin/env python3
"""Generate the demo media of the "Community Kompas" demo site.

What it needs
-------------
* Python 3.11+ with ``mutagen==1.48.1`` and ``pillow==13.0.0`` (Pillow built
  with FreeType, which the PyPI wheels are)::

      python3 -m venv /tmp/mediavenv
      /tmp/mediavenv/bin/pip install mutagen==1.48.1 pillow==13.0.0
      /tmp/mediavenv/bin/python scripts/make_demo_media.py

* The system tools ``espeak-ng`` (with the Dutch voice ``nl``), ``sox`` and
  ``lame`` (Debian: ``apt-get install espeak-ng sox lame``).
* The DejaVu Sans fonts in /usr/share/fonts/truetype/dejavu/
  (Debian: ``apt-get install fonts-dejavu-core``).

The script stops with a clear message when one of these is missing.

What it writes (all paths relative to the repository root)
----------------------------------------------------------
* content/images/cursus-cover.jpg, podcast-cover.jpg   1400x1400 cover art
* content/images/standaard-deelafbeelding.jpg            default link preview
* content/images/{ritme,statisch,meten,huisregels}.jpg   article images
* content/images/weekritme.jpg                           inline illustration
* content/extra/favicon.svg, favicon.ico                 favicons
* content/audio/*.mp3   spoken Dutch lessons/episodes with ID3v2.4 tags,
                        embedded cover art and CHAP/CTOC chapters
* content/audio/les-1-het-fundament.vtt                  WebVTT transcript

It is re-runnable: every file is written anew, and the output is
deterministic (fixed random seeds, no timestamps in the files).
Use ``--verify`` to only check the existing MP3 files.
"""

from __future__ import annotations

import argparse
import math
import random
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import wave
from dataclasses import dataclass, field
from pathlib import Path

try:
    from mutagen.id3 import (
        APIC,
        CHAP,
        COMM,
        CTOC,
        ID3,
        TALB,
        TDRC,
        TIT2,
        TLAN,
        TPE1,
        TRCK,
        CTOCFlags,
        PictureType,
    )
    from mutagen.mp3 import MP3, BitrateMode
    from PIL import Image, ImageDraw, ImageFont, features
except ImportError as exc:  # pragma: no cover - environment problem
    sys.exit(
        f"make_demo_media.py: missing Python package ({exc}).\n"
        "Install them with: pip install mutagen==1.48.1 pillow==13.0.0"
    )

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
IMAGES = CONTENT / "images"
AUDIO = CONTENT / "audio"
EXTRA = CONTENT / "extra"

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_REGULAR = FONT_DIR / "DejaVuSans.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"

SAMPLE_RATE = 22050  # espeak-ng's native rate; MPEG-2 layer III
SILENCE_S = 0.5  # pause between two sections
VOICE = "nl"
SPEED = 150  # words per minute for espeak-ng

MAX_MP3_BYTES = 500 * 1024
MAX_APIC_BYTES = 100 * 1024
MAX_COVER_BYTES = 250 * 1024
MAX_ARTICLE_IMAGE_BYTES = 120 * 1024

# Site palette (also used by favicon.svg)
INK = (18, 53, 91)  # #12355b
TEAL = (31, 122, 120)  # #1f7a78
CORAL = (242, 118, 90)  # #f2765a
SAND = (246, 239, 227)  # #f6efe3
MINT = (124, 198, 176)  # #7cc6b0
GOLD = (244, 185, 66)  # #f4b942
WHITE = (255, 255, 255)


# ---------------------------------------------------------------------------
# Spoken scripts
# ---------------------------------------------------------------------------


@dataclass
class Episode:
    basename: str
    title: str
    album: str
    track: str
    year: str
    comment: str
    cover: str  # file name in content/images
    vbr: bool = False
    transcript: bool = False
    sections: list[tuple[str, str]] = field(default_factory=list)


COURSE = "Succesvollere communities"
PODCAST = "Community Kompas podcast"

EPISODES: list[Episode] = [
    Episode(
        basename="les-1-het-fundament",
        title="Les 1: Het fundament — waarom mensen blijven",
        album=COURSE,
        track="1/4",
        year="2026",
        comment="Les 1 van de gratis audiocursus: waarom mensen in een community blijven.",
        cover="cursus-cover.jpg",
        transcript=True,
        sections=[
            (
                "Welkom",
                "Welkom bij Succesvollere communities, de gratis audiocursus van "
                "Community Kompas. Ik ben Sanne de Wit. In vier korte lessen kijken "
                "we naar wat een online community echt laat werken. Vandaag begin ik "
                "bij het fundament, met één vraag: waarom blijven mensen eigenlijk?",
            ),
            (
                "Mensen blijven voor elkaar",
                "Mensen komen voor de inhoud, maar ze blijven voor elkaar. Een goede "
                "vraag of een handige handleiding trekt bezoekers aan. Wat hen terug "
                "laat komen, is het gevoel dat iemand hun naam kent en op hun "
                "bijdrage wacht.",
            ),
            (
                "Een doel in één zin",
                "Het tweede punt is een helder doel. Kun je in één zin zeggen voor wie "
                "je community is, en wat die mensen er samen bereiken? Als dat lukt, "
                "weten nieuwe leden meteen of ze op de goede plek zijn. Lukt het niet, "
                "begin dan daar.",
            ),
            (
                "Kleine beloften nakomen",
                "Ten derde: vertrouwen groeit uit kleine beloften die je nakomt. "
                "Beantwoord vragen binnen een dag. Doe wat je aankondigt. Wees eerlijk "
                "als iets niet lukt. Dat klinkt eenvoudig, maar juist die "
                "betrouwbaarheid maakt het verschil.",
            ),
            (
                "Opdracht en afsluiting",
                "Je opdracht voor deze week: schrijf het doel van je community op in "
                "één zin, en leg die voor aan drie leden. Vraag of ze zichzelf erin "
                "herkennen. Volgende week gaat het over de eerste honderd leden. "
                "Tot dan!",
            ),
        ],
    ),
    Episode(
        basename="les-2-de-eerste-honderd-leden",
        title="Les 2: De eerste honderd leden",
        album=COURSE,
        track="2/4",
        year="2026",
        comment="Les 2 van de gratis audiocursus: de eerste honderd leden warm ontvangen.",
        cover="cursus-cover.jpg",
        sections=[
            (
                "Welkom",
                "Welkom terug bij Succesvollere communities. Dit is les twee: de "
                "eerste honderd leden. Hoe zorg je dat nieuwe mensen zich vanaf de "
                "eerste dag welkom voelen, ook als er nog weinig gebeurt?",
            ),
            (
                "Nodig persoonlijk uit",
                "Begin niet met een grote campagne. Nodig de eerste leden persoonlijk "
                "uit, één voor één. Vertel waarom je juist hen vraagt. Wie zich "
                "gekozen voelt, doet eerder mee, en neemt later zelf anderen mee.",
            ),
            (
                "Een warme eerste week",
                "Het eerste bezoek bepaalt veel. Zorg voor een kort welkomstbericht, "
                "een duidelijke eerste stap, en een vraag die iedereen kan "
                "beantwoorden. Bijvoorbeeld: waar werk je op dit moment aan? Reageer "
                "zelf op elk antwoord, zeker in het begin.",
            ),
            (
                "Maak de stilte kleiner",
                "Een lege ruimte schrikt af. Plan daarom de eerste weken zelf "
                "gesprekken in, en vraag een paar vaste leden om ook te reageren. "
                "Zo ziet een nieuwkomer meteen dat hier echt iets gebeurt.",
            ),
            (
                "Opdracht en afsluiting",
                "Opdracht voor deze week: schrijf je welkomstbericht opnieuw, en "
                "stuur het naar iemand die je community nog niet kent. Vraag wat er "
                "onduidelijk is. In les drie gaat het over rituelen en moderatie.",
            ),
        ],
    ),
    Episode(
        basename="les-3-rituelen-en-moderatie",
        title="Les 3: Rituelen, betrokkenheid en moderatie",
        album=COURSE,
        track="3/4",
        year="2026",
        comment="Les 3 van de gratis audiocursus: rituelen, betrokkenheid en moderatie.",
        cover="cursus-cover.jpg",
        sections=[
            (
                "Welkom",
                "Dit is les drie van Succesvollere communities. Vandaag gaat het over "
                "rituelen, betrokkenheid en moderatie. Want een community leeft pas "
                "echt als er een ritme is, en als mensen zich er veilig voelen.",
            ),
            (
                "Vaste momenten",
                "Een ritueel is een vast moment dat leden kunnen verwachten. Denk aan "
                "een maandagvraag, een terugblik op vrijdag, of een maandelijkse "
                "online koffie. Voorspelbaarheid klinkt saai, maar het geeft mensen "
                "een reden om terug te komen.",
            ),
            (
                "Moderatie als gastvrijheid",
                "Moderatie is geen politiewerk. Zie het als gastvrijheid: je zorgt "
                "dat iedereen zich veilig voelt om mee te praten. Schrijf een paar "
                "korte huisregels, leg uit waarom ze er zijn, en grijp rustig en op "
                "tijd in.",
            ),
            (
                "Deel de verantwoordelijkheid",
                "Doe het niet alleen. Vraag actieve leden om een ritueel te begeleiden "
                "of mee te modereren. Geef ze vertrouwen en een duidelijke taak. Zo "
                "wordt de community langzaam van iedereen.",
            ),
            (
                "Opdracht en afsluiting",
                "Opdracht voor deze week: kies één ritueel en houd het vier weken vol. "
                "Schrijf op wat er gebeurt. In de laatste les kijken we naar meten en "
                "duurzaam groeien.",
            ),
        ],
    ),
    Episode(
        basename="les-4-meten-en-duurzaam-groeien",
        title="Les 4: Meten en duurzaam groeien",
        album=COURSE,
        track="4/4",
        year="2026",
        comment="Les 4 van de gratis audiocursus: meten wat ertoe doet en rustig groeien.",
        cover="cursus-cover.jpg",
        sections=[
            (
                "Welkom",
                "Welkom bij de laatste les van Succesvollere communities. We hebben "
                "het vandaag over meten en over duurzaam groeien. Hoe weet je of het "
                "goed gaat, zonder te verdrinken in cijfers?",
            ),
            (
                "Tel wat ertoe doet",
                "Het aantal leden zegt weinig. Kijk liever naar gedrag. Hoeveel "
                "mensen stellen een vraag? Hoeveel vragen krijgen binnen een dag "
                "antwoord? En hoeveel nieuwe leden doen na een maand nog mee? Kies "
                "drie cijfers, en volg die elke maand.",
            ),
            (
                "Luister naast de cijfers",
                "Cijfers vertellen wat er gebeurt, maar niet waarom. Praat dus ook "
                "met leden. Een gesprek van een kwartier levert vaak meer op dan een "
                "dashboard vol grafieken.",
            ),
            (
                "Groei in je eigen tempo",
                "Groei is geen wedstrijd. Een community die te snel groeit, verliest "
                "vaak haar karakter. Groei alleen zo hard als je het welkom en de "
                "moderatie kunt bijhouden.",
            ),
            (
                "Laatste opdracht",
                "Je laatste opdracht: kies je drie cijfers, en plan over een maand "
                "een moment om ze te bekijken. Bedankt voor het luisteren, en veel "
                "plezier met je community!",
            ),
        ],
    ),
    Episode(
        basename="afl-1-wat-is-een-community",
        title="Aflevering 1: Wat is een community eigenlijk?",
        album=PODCAST,
        track="1",
        year="2026",
        comment="Het verschil tussen een publiek en een community, in een kwartier koffie.",
        cover="podcast-cover.jpg",
        sections=[
            (
                "Welkom",
                "Welkom bij de Community Kompas podcast. Ik ben Sanne de Wit, en ik "
                "bouw al ruim tien jaar online communities. In deze eerste aflevering "
                "stel ik een simpele vraag: wat is een community eigenlijk?",
            ),
            (
                "Publiek of community",
                "Een publiek luistert naar jou. Een community praat met elkaar. Dat is "
                "voor mij het grote verschil. Als alle gesprekken via jou lopen, heb "
                "je een publiek. Als leden elkaar helpen terwijl jij er niet bij bent, "
                "groeit er een community.",
            ),
            (
                "Drie kenmerken",
                "Ik let altijd op drie dingen. Een gedeeld doel, waar iedereen zich "
                "in herkent. Vertrouwde gezichten, zodat je weet met wie je praat. En "
                "afspraken over hoe je met elkaar omgaat. Ontbreekt er één, dan wordt "
                "het lastig.",
            ),
            (
                "Waarom dat verschil ertoe doet",
                "Waarom maakt dat uit? Omdat een publiek stilvalt zodra jij stopt. "
                "Een community kan een drukke week van jou opvangen, omdat anderen "
                "het gesprek gaande houden. Dat maakt haar sterker, en jou een stuk "
                "rustiger.",
            ),
            (
                "Tot de volgende keer",
                "Probeer deze week eens te tellen hoeveel gesprekken zonder jou "
                "ontstaan. In de volgende aflevering praat ik over moderatie zonder "
                "burn-out. Tot de volgende keer!",
            ),
        ],
    ),
    Episode(
        basename="afl-2-moderatie-zonder-burn-out",
        title="Aflevering 2: Moderatie zonder burn-out",
        album=PODCAST,
        track="2",
        year="2026",
        comment="Hoe je een community modereert zonder jezelf op te branden.",
        cover="podcast-cover.jpg",
        vbr=True,
        sections=[
            (
                "Welkom",
                "Welkom bij aflevering twee van de Community Kompas podcast. Vandaag "
                "een onderwerp dat veel community managers kennen: moderatie, en hoe "
                "je dat volhoudt zonder zelf op te branden.",
            ),
            (
                "Vaste tijden",
                "Mijn eerste tip: spreek vaste tijden af. Een community slaapt nooit, "
                "maar jij moet wel slapen. Zeg gewoon wanneer er een moderator "
                "meekijkt, en wanneer niet. Leden vinden dat prima, zolang het "
                "duidelijk is.",
            ),
            (
                "Een klein team",
                "Tip twee: bouw een klein team. Drie moderatoren die elkaar afwisselen "
                "houden het veel langer vol dan één held. Maak samen afspraken, en "
                "bespreek lastige gevallen met elkaar in plaats van alleen.",
            ),
            (
                "Een rustige toon",
                "Tip drie: houd je eigen toon rustig. Reageer niet meteen op een boos "
                "bericht, maar wacht tien minuten. Schrijf dan kort en vriendelijk wat "
                "je ziet, en wat je van iemand vraagt. Dat scheelt jou energie, en de "
                "ander voelt zich serieus genomen.",
            ),
            (
                "Afsluiting",
                "En tot slot: vier ook wat goed gaat. Moderatie gaat niet alleen over "
                "problemen. Bedankt voor het luisteren, en tot de volgende aflevering!",
            ),
        ],
    ),
]


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def fail(msg: str) -> None:
    sys.exit(f"make_demo_media.py: {msg}")


def check_requirements(need_audio: bool, need_images: bool) -> None:
    if need_audio:
        for tool, pkg in (("espeak-ng", "espeak-ng"), ("sox", "sox"), ("lame", "lame")):
            if shutil.which(tool) is None:
                fail(f"'{tool}' not found on PATH (Debian: apt-get install {pkg})")
        voices = run(["espeak-ng", "--voices=nl"], capture=True)
        if not re.search(r"^\s*\d+\s+nl\s", voices, re.MULTILINE):
            fail("espeak-ng has no Dutch voice 'nl' (Debian: apt-get install espeak-ng-data)")
    if need_images:
        for font in (FONT_REGULAR, FONT_BOLD):
            if not font.is_file():
                fail(f"font {font} is missing (Debian: apt-get install fonts-dejavu-core)")
        if not features.check("freetype2"):
            fail("Pillow was built without FreeType support")


def run(cmd: list[str], capture: bool = False) -> str:
    try:
        res = subprocess.run(cmd, check=True, capture_output=True, text=True)
    except subprocess.CalledProcessError as exc:
        fail(f"command failed: {' '.join(cmd)}\n{exc.stderr}")
    return res.stdout if capture else ""


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_BOLD if bold else FONT_REGULAR), size)


def save_jpeg(img: Image.Image, path: Path, limit: int, quality: int = 88) -> None:
    """Save as baseline RGB JPEG, lowering the quality until under ``limit``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    img = img.convert("RGB")
    q = quality
    while True:
        img.save(path, "JPEG", quality=q, optimize=True)
        if path.stat().st_size <= limit or q <= 40:
            break
        q -= 5
    if path.stat().st_size > limit:
        fail(f"{path} is {path.stat().st_size} bytes, over the limit of {limit}")
    print(f"  {path.relative_to(ROOT)}  {img.width}x{img.height}  {path.stat().st_size} B  (q={q})")


def wrap_to_width(draw: ImageDraw.ImageDraw, text: str, fnt, width: int) -> list[str]:
    words = text.split()
    lines: list[str] = []
    cur = ""
    for w in words:
        trial = f"{cur} {w}".strip()
        if draw.textlength(trial, font=fnt) <= width:
            cur = trial
        else:
            if cur:
                lines.append(cur)
            cur = w
    if cur:
        lines.append(cur)
    return lines


def draw_lines(draw, xy, lines, fnt, fill, spacing=1.18):
    x, y = xy
    size = fnt.size
    for line in lines:
        draw.text((x, y), line, font=fnt, fill=fill)
        y += int(size * spacing)
    return y


def compass_points(cx: float, cy: float, r_long: float, r_short: float, r_waist: float):
    """Polygon of an eight-pointed compass star (4 long, 4 short points)."""
    pts = []
    for i in range(16):
        ang = math.radians(-90 + i * 22.5)
        if i % 4 == 0:
            r = r_long
        elif i % 2 == 0:
            r = r_short
        else:
            r = r_waist
        pts.append((cx + r * math.cos(ang), cy + r * math.sin(ang)))
    return pts


def draw_compass(draw, cx, cy, r, ring=INK, star=CORAL, accent=GOLD, bg=SAND):
    """The site's compass mark (same geometry as favicon.svg): a ring with an
    eight-pointed star inside, the north point in the accent colour."""
    w = max(2, int(r * 0.17))
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=bg, outline=ring, width=w)
    rl, rs, rw = r * 0.82, r * 0.47, r * 0.2
    draw.polygon(compass_points(cx, cy, rl, rs, rw), fill=star)
    s, c = math.sin(math.radians(22.5)), math.cos(math.radians(22.5))
    north = [(cx, cy - rl), (cx + rw * s, cy - rw * c), (cx, cy), (cx - rw * s, cy - rw * c)]
    draw.polygon(north, fill=accent)
    d = r * 0.09
    draw.ellipse((cx - d, cy - d, cx + d, cy + d), fill=ring)


def supersample(size: tuple[int, int], factor: int = 2):
    """Return a big canvas; callers downscale with ``finish`` for smooth edges."""
    return Image.new("RGB", (size[0] * factor, size[1] * factor), SAND)


def finish(img: Image.Image, size: tuple[int, int]) -> Image.Image:
    return img.resize(size, Image.Resampling.LANCZOS)


# ---------------------------------------------------------------------------
# Images
# ---------------------------------------------------------------------------


def make_course_cover(path: Path) -> Image.Image:
    S = 2
    W = H = 1400 * S
    img = Image.new("RGB", (W, H), INK)
    d = ImageDraw.Draw(img)
    # concentric "sound" rings coming from the compass, lower right
    cx, cy = int(W * 0.72), int(H * 0.70)
    for i, col in enumerate([TEAL, (28, 96, 116), TEAL, (28, 96, 116), TEAL, (28, 96, 116)]):
        r = int(W * (0.95 - i * 0.12))
        d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=col if i % 2 == 0 else INK)
    draw_compass(d, cx, cy, int(W * 0.2))
    # four lesson dots along the top
    for i in range(4):
        x = 110 * S + i * 70 * S
        d.ellipse((x, 110 * S, x + 40 * S, 150 * S), fill=CORAL if i == 0 else MINT)
    d.text((110 * S, 180 * S), "GRATIS AUDIOCURSUS · 4 LESSEN", font=font(38 * S, True), fill=GOLD)
    y = draw_lines(
        d, (110 * S, 270 * S), ["Succesvollere", "communities"], font(128 * S, True), WHITE, 1.1
    )
    d.rectangle((110 * S, y + 30 * S, 330 * S, y + 44 * S), fill=CORAL)
    d.text((110 * S, y + 80 * S), "met Sanne de Wit", font=font(54 * S), fill=SAND)
    d.text((110 * S, H - 150 * S), "Community Kompas", font=font(44 * S, True), fill=SAND)
    out = finish(img, (1400, 1400))
    save_jpeg(out, path, MAX_COVER_BYTES)
    return out


def make_podcast_cover(path: Path) -> Image.Image:
    S = 2
    W = H = 1400 * S
    img = Image.new("RGB", (W, H), CORAL)
    d = ImageDraw.Draw(img)
    # two overlapping speech bubbles = a conversation
    d.rounded_rectangle((140 * S, 520 * S, 860 * S, 1020 * S), radius=120 * S, fill=INK)
    d.polygon([(260 * S, 1000 * S), (220 * S, 1150 * S), (400 * S, 1010 * S)], fill=INK)
    # waveform inside the dark bubble, left of where the light bubble overlaps
    rnd = random.Random(7)
    x = 220 * S
    while x < 580 * S:
        h = rnd.randint(30, 150) * S
        d.rounded_rectangle((x, 770 * S - h, x + 22 * S, 770 * S + h), radius=11 * S, fill=MINT)
        x += 40 * S
    d.rounded_rectangle((620 * S, 700 * S, 1260 * S, 1140 * S), radius=110 * S, fill=SAND)
    d.polygon([(1120 * S, 1120 * S), (1180 * S, 1260 * S), (1000 * S, 1130 * S)], fill=SAND)
    draw_compass(d, 940 * S, 920 * S, 150 * S, ring=INK, star=TEAL, accent=CORAL, bg=WHITE)
    d.text((140 * S, 150 * S), "Community", font=font(150 * S, True), fill=INK)
    d.text((140 * S, 310 * S), "Kompas", font=font(150 * S, True), fill=WHITE)
    d.text((150 * S, 1260 * S), "PODCAST · SANNE DE WIT", font=font(46 * S, True), fill=INK)
    out = finish(img, (1400, 1400))
    save_jpeg(out, path, MAX_COVER_BYTES)
    return out


def make_share_default(path: Path) -> None:
    S = 2
    W, H = 1200 * S, 630 * S
    img = Image.new("RGB", (W, H), SAND)
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, W, 18 * S), fill=CORAL)
    d.rectangle((0, H - 18 * S, W, H), fill=TEAL)
    draw_compass(d, 260 * S, 315 * S, 170 * S)
    d.text((500 * S, 190 * S), "Community", font=font(96 * S, True), fill=INK)
    d.text((500 * S, 300 * S), "Kompas", font=font(96 * S, True), fill=CORAL)
    d.text(
        (504 * S, 430 * S), "Over het bouwen van online communities", font=font(32 * S), fill=INK
    )
    d.text((504 * S, 478 * S), "Sanne de Wit", font=font(32 * S, True), fill=TEAL)
    save_jpeg(finish(img, (1200, 630)), path, MAX_ARTICLE_IMAGE_BYTES)


def make_ritme(path: Path) -> None:
    """Rhythm: rows of pulses, one beat per week highlighted."""
    S = 2
    W, H = 1200 * S, 630 * S
    img = Image.new("RGB", (W, H), INK)
    d = ImageDraw.Draw(img)
    rnd = random.Random(42)
    rows = 5
    for row in range(rows):
        y = int((90 + row * 112) * S)
        x = 70 * S
        i = 0
        while x < W - 70 * S:
            beat = i % 7 == 0
            r = (26 if beat else 9 + rnd.randint(0, 6)) * S
            col = CORAL if beat else (MINT if rnd.random() < 0.55 else TEAL)
            d.ellipse((x - r, y + 28 * S - r, x + r, y + 28 * S + r), fill=col)
            x += 48 * S
            i += 1
    save_jpeg(finish(img, (1200, 630)), path, MAX_ARTICLE_IMAGE_BYTES)


def make_weekritme(path: Path) -> None:
    """Inline illustration: a week with three recurring moments."""
    S = 2
    W, H = 1200 * S, 520 * S
    img = Image.new("RGB", (W, H), SAND)
    d = ImageDraw.Draw(img)
    days = ["ma", "di", "wo", "do", "vr", "za", "zo"]
    moments = {
        0: ("Vraag van de week", CORAL),
        2: ("Samen werken", TEAL),
        4: ("Terugblik", GOLD),
    }
    d.text((60 * S, 40 * S), "Een voorbeeldweek", font=font(44 * S, True), fill=INK)
    col_w = (W - 120 * S) // 7
    avail = col_w - 52 * S
    size = 26 * S  # one size for all labels, small enough for the longest word
    while (
        max(
            d.textlength(w, font=font(size, True))
            for label, _ in moments.values()
            for w in label.split()
        )
        > avail
    ):
        size -= S
    for i, day in enumerate(days):
        x0 = 60 * S + i * col_w
        d.rounded_rectangle(
            (x0 + 8 * S, 130 * S, x0 + col_w - 8 * S, 460 * S),
            radius=18 * S,
            fill=WHITE,
            outline=(220, 210, 195),
            width=2 * S,
        )
        tw = d.textlength(day, font=font(34 * S, True))
        d.text((x0 + (col_w - tw) / 2, 150 * S), day, font=font(34 * S, True), fill=INK)
        if i in moments:
            label, col = moments[i]
            d.rounded_rectangle(
                (x0 + 16 * S, 230 * S, x0 + col_w - 16 * S, 440 * S), radius=14 * S, fill=col
            )
            lines = wrap_to_width(d, label, font(size, True), avail)
            draw_lines(
                d, (x0 + 26 * S, 250 * S), lines, font(size, True), INK if col == GOLD else WHITE
            )
    save_jpeg(finish(img, (1200, 520)), path, MAX_ARTICLE_IMAGE_BYTES)


def make_statisch(path: Path) -> None:
    """Static site: neat stacked pages instead of a tangle of plug-ins."""
    S = 2
    W, H = 1200 * S, 630 * S
    img = Image.new("RGB", (W, H), TEAL)
    d = ImageDraw.Draw(img)
    # left: tangle of connected blocks (the old setup)
    rnd = random.Random(3)
    nodes = [
        ((110 + c * 125 + rnd.randint(-40, 40)) * S, (120 + r * 130 + rnd.randint(-40, 40)) * S)
        for r in range(4)
        for c in range(3)
    ]
    for a in range(len(nodes)):
        for b in range(a + 1, len(nodes)):
            if rnd.random() < 0.3:
                d.line((nodes[a], nodes[b]), fill=(20, 90, 95), width=5 * S)
    for x, y in nodes:
        d.rounded_rectangle(
            (x - 26 * S, y - 26 * S, x + 26 * S, y + 26 * S), radius=8 * S, fill=MINT
        )
    # arrow
    d.polygon(
        [
            (560 * S, 290 * S),
            (640 * S, 290 * S),
            (640 * S, 260 * S),
            (700 * S, 315 * S),
            (640 * S, 370 * S),
            (640 * S, 340 * S),
            (560 * S, 340 * S),
        ],
        fill=GOLD,
    )
    # right: a neat stack of pages
    for i in range(4):
        off = (3 - i) * 26 * S
        x0, y0 = 780 * S + off, 110 * S + off
        d.rectangle(
            (x0, y0, x0 + 300 * S, y0 + 400 * S),
            fill=SAND if i == 3 else (225, 218, 205),
            outline=INK,
            width=3 * S,
        )
    x0, y0 = 780 * S, 110 * S
    d.rectangle((x0 + 30 * S, y0 + 40 * S, x0 + 270 * S, y0 + 70 * S), fill=INK)
    for j in range(7):
        w = (240 if j % 3 else 180) * S
        d.rectangle(
            (x0 + 30 * S, y0 + (110 + j * 36) * S, x0 + 30 * S + w, y0 + (122 + j * 36) * S),
            fill=(120, 130, 140),
        )
    save_jpeg(finish(img, (1200, 630)), path, MAX_ARTICLE_IMAGE_BYTES)


def make_meten(path: Path) -> None:
    """Measuring: a calm line through scattered points plus three highlighted bars."""
    S = 2
    W, H = 1200 * S, 630 * S
    img = Image.new("RGB", (W, H), SAND)
    d = ImageDraw.Draw(img)
    rnd = random.Random(11)
    for gx in range(0, W, 60 * S):
        d.line((gx, 0, gx, H), fill=(236, 226, 210), width=S)
    for gy in range(0, H, 60 * S):
        d.line((0, gy, W, gy), fill=(236, 226, 210), width=S)
    # faded noise points
    for _ in range(160):
        x, y = rnd.randint(40, 1160) * S, rnd.randint(60, 580) * S
        r = rnd.randint(4, 9) * S
        d.ellipse((x - r, y - r, x + r, y + r), fill=(215, 205, 190))
    # three bars that matter
    for i, (h, col) in enumerate([(230, TEAL), (320, CORAL), (280, INK)]):
        x0 = (760 + i * 130) * S
        d.rounded_rectangle((x0, (560 - h) * S, x0 + 90 * S, 560 * S), radius=12 * S, fill=col)
    # a rising trend line
    pts = []
    for i in range(12):
        x = (70 + i * 55) * S
        y = (500 - i * 26 - (18 if i % 3 == 1 else 0)) * S
        pts.append((x, y))
    d.line(pts, fill=INK, width=8 * S, joint="curve")
    for x, y in pts:
        d.ellipse(
            (x - 13 * S, y - 13 * S, x + 13 * S, y + 13 * S), fill=GOLD, outline=INK, width=4 * S
        )
    save_jpeg(finish(img, (1200, 630)), path, MAX_ARTICLE_IMAGE_BYTES)


def make_huisregels(path: Path) -> None:
    """House rules: a short, friendly list on a noticeboard."""
    S = 2
    W, H = 1200 * S, 630 * S
    img = Image.new("RGB", (W, H), MINT)
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((330 * S, 70 * S, 870 * S, 580 * S), radius=26 * S, fill=WHITE)
    d.ellipse((585 * S, 45 * S, 615 * S, 75 * S), fill=CORAL)
    d.rectangle((390 * S, 130 * S, 700 * S, 160 * S), fill=INK)
    for j in range(4):
        y = (220 + j * 85) * S
        d.ellipse((390 * S, y, 430 * S, y + 40 * S), fill=[TEAL, CORAL, GOLD, TEAL][j])
        d.line(
            ((398 * S, y + 20 * S), (408 * S, y + 30 * S), (423 * S, y + 10 * S)),
            fill=WHITE,
            width=5 * S,
        )
        d.rounded_rectangle(
            (460 * S, y + 10 * S, (790 - j * 45) * S, y + 30 * S),
            radius=10 * S,
            fill=(200, 205, 210),
        )
    # little people around the board
    for cx, col in ((180, CORAL), (1020, INK), (1110, TEAL), (90, GOLD)):
        d.ellipse(((cx - 35) * S, 380 * S, (cx + 35) * S, 450 * S), fill=col)
        d.pieslice(((cx - 70) * S, 470 * S, (cx + 70) * S, 630 * S), 180, 360, fill=col)
    save_jpeg(finish(img, (1200, 630)), path, MAX_ARTICLE_IMAGE_BYTES)


FAVICON_SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">
  <title>Community Kompas</title>
  <!-- ring -->
  <circle cx="32" cy="32" r="28.5" fill="#f6efe3" stroke="#12355b" stroke-width="5"/>
  <!-- eight-pointed compass star -->
  <polygon fill="#f2765a" points="32,9.1 34.2,26.7 41.2,22.8 37.3,29.8 54.9,32 37.3,34.2 41.2,41.2 34.2,37.3 32,54.9 29.8,37.3 22.8,41.2 26.7,34.2 9.1,32 26.7,29.8 22.8,22.8 29.8,26.7"/>
  <!-- north point in gold -->
  <polygon fill="#f4b942" points="32,9.1 34.2,26.7 32,32 29.8,26.7"/>
  <circle cx="32" cy="32" r="2.6" fill="#12355b"/>
</svg>
"""


def make_favicons() -> None:
    EXTRA.mkdir(parents=True, exist_ok=True)
    svg = EXTRA / "favicon.svg"
    svg.write_text(FAVICON_SVG, encoding="utf-8")
    print(f"  {svg.relative_to(ROOT)}  {svg.stat().st_size} B")
    big = Image.new("RGBA", (256, 256), (0, 0, 0, 0))
    d = ImageDraw.Draw(big)
    draw_compass(d, 128, 128, 118)
    ico = EXTRA / "favicon.ico"
    small = big.resize((32, 32), Image.Resampling.BOX)
    small.save(ico, format="ICO", sizes=[(32, 32)])
    print(f"  {ico.relative_to(ROOT)}  32x32  {ico.stat().st_size} B")


def make_images() -> dict[str, Image.Image]:
    print("Images:")
    covers = {
        "cursus-cover.jpg": make_course_cover(IMAGES / "cursus-cover.jpg"),
        "podcast-cover.jpg": make_podcast_cover(IMAGES / "podcast-cover.jpg"),
    }
    make_share_default(IMAGES / "standaard-deelafbeelding.jpg")
    make_ritme(IMAGES / "ritme.jpg")
    make_weekritme(IMAGES / "weekritme.jpg")
    make_statisch(IMAGES / "statisch.jpg")
    make_meten(IMAGES / "meten.jpg")
    make_huisregels(IMAGES / "huisregels.jpg")
    make_favicons()
    return covers


# ---------------------------------------------------------------------------
# Audio
# ---------------------------------------------------------------------------


def wav_frames(path: Path) -> int:
    with wave.open(str(path), "rb") as w:
        if w.getframerate() != SAMPLE_RATE or w.getnchannels() != 1:
            fail(
                f"{path}: expected {SAMPLE_RATE} Hz mono, got {w.getframerate()} Hz / {w.getnchannels()} ch"
            )
        return w.getnframes()


def ms(samples: int) -> int:
    return round(samples * 1000 / SAMPLE_RATE)


def vtt_time(msec: int) -> str:
    h, rest = divmod(msec, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, milli = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{milli:03d}"


def cover_jpeg_bytes(cover: Image.Image) -> bytes:
    """1400x1400 JPEG of the cover (Apple's smallest episode art: a smaller one is not used,
    and the build says so), small enough to embed as APIC."""
    import io

    small = cover.resize((1400, 1400), Image.Resampling.LANCZOS)
    for q in (85, 80, 75, 70, 60, 50):
        buf = io.BytesIO()
        small.save(buf, "JPEG", quality=q, optimize=True)
        if buf.tell() <= MAX_APIC_BYTES:
            return buf.getvalue()
    fail("cover art does not fit in 80 KB")
    return b""


def make_episode(ep: Episode, cover: Image.Image, tmp: Path) -> None:
    parts: list[Path] = []
    silence = tmp / "silence.wav"
    silence_samples = round(SILENCE_S * SAMPLE_RATE)
    # the rate must be given for the null input too, or sox makes 48 kHz and resamples
    fmt = ["-r", str(SAMPLE_RATE), "-c", "1"]
    # -D: no dither, so the pause is true digital silence (and deterministic)
    run(
        [
            "sox",
            "-D",
            *fmt,
            "-n",
            *fmt,
            "-b",
            "16",
            str(silence),
            "trim",
            "0",
            f"{silence_samples}s",
        ]
    )
    if wav_frames(silence) != silence_samples:
        fail(f"sox made {wav_frames(silence)} samples of silence, expected {silence_samples}")
    starts: list[int] = []  # in samples
    lengths: list[int] = []
    pos = 0
    for i, (_title, text) in enumerate(ep.sections):
        sec = tmp / f"{ep.basename}-{i}.wav"
        run(["espeak-ng", "-v", VOICE, "-s", str(SPEED), "-w", str(sec), text])
        n = wav_frames(sec)
        if i:
            parts.append(silence)
            pos += silence_samples
        starts.append(pos)
        lengths.append(n)
        parts.append(sec)
        pos += n
    total = pos
    joined = tmp / f"{ep.basename}.wav"
    # join, then normalise to -1 dBFS (does not change the length)
    # -R: repeatable mode (fixed dither seed), so the output is deterministic
    run(["sox", "-R", *map(str, parts), str(joined), "norm", "-1"])
    if wav_frames(joined) != total:
        fail(f"{joined}: sox produced {wav_frames(joined)} samples, expected {total}")

    AUDIO.mkdir(parents=True, exist_ok=True)
    mp3 = AUDIO / f"{ep.basename}.mp3"
    rate = ["-V", "7"] if ep.vbr else ["-b", "32", "--cbr"]
    run(["lame", "--quiet", "-m", "m", *rate, "--resample", "22.05", str(joined), str(mp3)])

    # Duration as players and mutagen see it. The VBR file carries a Xing/LAME
    # header with the gapless info, so its length is exactly the WAV's. At
    # 32 kbps / 22.05 kHz a frame is only 104 bytes, too small for lame's
    # Info/LAME header: those CBR files have none, and their length is the
    # frame count x 576 samples (the encoder delay and padding included,
    # about 45-70 ms more than the WAV), which mutagen estimates from the size.
    info = MP3(mp3).info
    duration_ms = round(info.length * 1000)
    extra = info.length * 1000 - total * 1000 / SAMPLE_RATE
    if not -1 <= extra <= 100:
        fail(f"{mp3}: mutagen length {info.length:.4f}s, WAV {total / SAMPLE_RATE:.4f}s")

    tags = ID3()
    tags.add(TIT2(encoding=3, text=[ep.title]))
    tags.add(TALB(encoding=3, text=[ep.album]))
    tags.add(TPE1(encoding=3, text=["Sanne de Wit"]))
    tags.add(TRCK(encoding=3, text=[ep.track]))
    tags.add(TDRC(encoding=3, text=[ep.year]))
    tags.add(TLAN(encoding=3, text=["nld"]))
    tags.add(COMM(encoding=3, lang="nld", desc="", text=[ep.comment]))
    tags.add(
        APIC(
            encoding=3,
            mime="image/jpeg",
            type=PictureType.COVER_FRONT,
            desc="Cover",
            data=cover_jpeg_bytes(cover),
        )
    )
    ids = []
    for i, (title, _text) in enumerate(ep.sections):
        start = ms(starts[i])
        end = ms(starts[i + 1]) if i + 1 < len(starts) else duration_ms
        eid = f"chp{i}"
        ids.append(eid)
        tags.add(
            CHAP(
                element_id=eid,
                start_time=start,
                end_time=end,
                start_offset=0xFFFFFFFF,
                end_offset=0xFFFFFFFF,
                sub_frames=[TIT2(encoding=3, text=[title])],
            )
        )
    tags.add(
        CTOC(
            element_id="toc",
            flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
            child_element_ids=ids,
            sub_frames=[TIT2(encoding=3, text=["Hoofdstukken"])],
        )
    )
    tags.save(mp3, v1=0, v2_version=4, padding=lambda info: 0)

    if ep.transcript:
        write_vtt(ep, starts, lengths)


def write_vtt(ep: Episode, starts: list[int], lengths: list[int]) -> None:
    out = ["WEBVTT", "", f"NOTE {ep.title} — transcriptie, Sanne de Wit, Community Kompas", ""]
    for i, (_title, text) in enumerate(ep.sections):
        begin = ms(starts[i])
        end = ms(starts[i] + lengths[i])
        out.append(str(i + 1))
        out.append(f"{vtt_time(begin)} --> {vtt_time(end)}")
        out.extend(textwrap.wrap(text, width=64))
        out.append("")
    path = AUDIO / f"{ep.basename}.vtt"
    path.write_text("\n".join(out).rstrip("\n") + "\n", encoding="utf-8")
    print(f"  {path.relative_to(ROOT)}  {path.stat().st_size} B")


def make_audio(covers: dict[str, Image.Image]) -> None:
    print("Audio:")
    with tempfile.TemporaryDirectory(prefix="schitter-media-") as t:
        for ep in EPISODES:
            make_episode(ep, covers[ep.cover], Path(t))
            print(f"  {(AUDIO / (ep.basename + '.mp3')).relative_to(ROOT)}  written")


# ---------------------------------------------------------------------------
# Verification
# ---------------------------------------------------------------------------


def scan_frames(path: Path) -> tuple[int, set[int], bool]:
    """Walk the MPEG layer III frames after the ID3v2 tag.

    Returns (audio frames, set of bitrates in kbps, has Xing/Info header).
    """
    data = path.read_bytes()
    pos = 0
    if data[:3] == b"ID3":
        size = 0
        for b in data[6:10]:
            size = (size << 7) | (b & 0x7F)
        pos = 10 + size + (10 if data[5] & 0x10 else 0)
    rates = {3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000]}
    br_v1 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]
    br_v2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160]
    frames, bitrates, xing = 0, set(), False
    first = True
    while pos + 4 <= len(data):
        h = int.from_bytes(data[pos : pos + 4], "big")
        if h >> 21 != 0x7FF:
            break
        version = (h >> 19) & 3
        br = (br_v1 if version == 3 else br_v2)[(h >> 12) & 15]
        sr = rates[version][(h >> 10) & 3]
        padding = (h >> 9) & 1
        length = (144 if version == 3 else 72) * br * 1000 // sr + padding
        if first and (b"Xing" in data[pos : pos + 64] or b"Info" in data[pos : pos + 64]):
            xing = True  # the header frame holds no audio
        else:
            frames += 1
            bitrates.add(br)
        first = False
        pos += length
    return frames, bitrates, xing


def verify_audio() -> bool:
    ok = True
    print("Verification:")
    for ep in EPISODES:
        path = AUDIO / f"{ep.basename}.mp3"
        if not path.is_file():
            print(f"  MISSING {path}")
            ok = False
            continue
        audio = MP3(path)
        info = audio.info
        size = path.stat().st_size
        mode = {BitrateMode.CBR: "CBR", BitrateMode.VBR: "VBR", BitrateMode.ABR: "ABR"}.get(
            info.bitrate_mode, "UNKNOWN"
        )
        dur_ms = round(info.length * 1000)
        print(f"\n  {path.relative_to(ROOT)}")
        print(
            f"    length {info.length:.3f} s ({dur_ms} ms), {mode} {info.bitrate // 1000} kbps, "
            f"{info.sample_rate} Hz, {info.channels} ch, {size} B ({size / 1024:.0f} KiB)"
        )
        tags = audio.tags
        print(
            f"    ID3v2.{tags.version[1]}  TIT2={tags['TIT2'].text[0]!r}  TALB={tags['TALB'].text[0]!r}"
        )
        print(
            f"    TPE1={tags['TPE1'].text[0]!r}  TRCK={tags['TRCK'].text[0]!r}  TDRC={tags['TDRC'].text[0]}  "
            f"TLAN={tags['TLAN'].text[0]!r}"
        )
        comm = tags.getall("COMM")[0]
        apic = tags.getall("APIC")[0]
        print(f"    COMM[{comm.lang}]={comm.text[0]!r}")
        print(f"    APIC {apic.mime} {len(apic.data)} B")
        chaps = sorted(tags.getall("CHAP"), key=lambda c: c.start_time)
        toc = tags.getall("CTOC")
        print(
            f"    CTOC {toc[0].element_id!r} flags={int(toc[0].flags)} children={toc[0].child_element_ids}"
        )
        prev_end = 0
        for c in chaps:
            print(
                f"    {c.element_id}: {c.start_time:>6} – {c.end_time:>6} ms  {c.sub_frames['TIT2'].text[0]}"
            )
            if c.start_time < prev_end or c.end_time <= c.start_time or c.end_time > dur_ms:
                print("      !! chapter not ascending or outside the duration")
                ok = False
            prev_end = c.end_time
        if chaps[-1].end_time != dur_ms:
            print(f"    !! last chapter ends at {chaps[-1].end_time}, duration is {dur_ms}")
            ok = False
        if [c.element_id for c in chaps] != toc[0].child_element_ids:
            print("    !! CTOC children do not match the chapters")
            ok = False
        if size >= MAX_MP3_BYTES:
            print(f"    !! file is {size} B, limit {MAX_MP3_BYTES}")
            ok = False
        if len(apic.data) > MAX_APIC_BYTES:
            print("    !! embedded cover too big")
            ok = False
        frames, bitrates, xing = scan_frames(path)
        print(
            f"    {frames} audio frames, bitrates {sorted(bitrates)} kbps, "
            f"Xing/LAME header: {'yes' if xing else 'no'}"
        )
        if ep.vbr:
            if mode != "VBR" or len(bitrates) < 2 or not xing:
                print("    !! expected a VBR file with a Xing header")
                ok = False
        else:
            # no room for an Info header in a 104-byte frame: mutagen says UNKNOWN
            if bitrates != {32} or mode not in ("CBR", "UNKNOWN"):
                print("    !! expected CBR 32 kbps")
                ok = False
            exact = frames * 576 / info.sample_rate
            print(f"    exact length from the frame count: {exact:.4f} s")
            if abs(exact - info.length) * 1000 > 1:
                print("    !! mutagen's estimate is off by more than 1 ms")
                ok = False
        if not 60 <= info.length <= 100:
            print("    !! duration outside 60–100 s")
            ok = False
        # decode and measure: the audio must not be silent
        with tempfile.TemporaryDirectory() as t:
            wav = Path(t) / "dec.wav"
            subprocess.run(["lame", "--quiet", "--decode", str(path), str(wav)], check=True)
            stat = subprocess.run(
                ["sox", str(wav), "-n", "stat"], capture_output=True, text=True
            ).stderr
            rms = float(re.search(r"RMS\s+amplitude:\s+([\d.]+)", stat).group(1))
            print(f"    decoded RMS amplitude {rms:.3f}")
            if rms < 0.02:
                print("    !! audio seems silent")
                ok = False
    print("\nAll checks passed." if ok else "\nSOME CHECKS FAILED.")
    return ok


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--verify", action="store_true", help="only verify the existing MP3 files")
    args = ap.parse_args()
    if args.verify:
        check_requirements(need_audio=True, need_images=False)
        sys.exit(0 if verify_audio() else 1)
    check_requirements(need_audio=True, need_images=True)
    covers = make_images()
    make_audio(covers)
    sys.exit(0 if verify_audio() else 1)


if __name__ == "__main__":
    main()
