"""The Markdown of the generated test site (tests/fixture_site.py): data, one file per entry.

Keyed by the file's path inside the content folder. ``$title``, ``$slug``, ``$author`` (and for
articles ``$category``, ``$image``; for episodes ``$show``, ``$number``, ``$audio``, ``$date``) are filled in
from the facts in fixture_site.py, so the tests and the text cannot disagree.
"""

# ruff: noqa: E501  (Markdown as an author writes it: one line per paragraph)
from __future__ import annotations

from string import Template

_TEXTS = {
    "articles/een-tuin-begin-je-met-de-buren.md": """\
Title: $title
Date: 2025-03-10 09:00
Modified: 2026-04-02 10:30
Category: $category
Tags: buren, beginnen, samenwerken
Slug: $slug
Author: $author
Summary: Een moestuin op een braakliggend stuk grond begint niet met een schep, maar met een kop koffie bij de buren. Zo vind je de eerste tuinders.
Image: $image
ImageAlt: Drie ronde bedden op een groen veld, van bovenaf gezien

Wie een gemeenschappelijke moestuin wil beginnen, denkt meestal eerst aan grond, zaden en gereedschap. Dat is logisch, maar het is de verkeerde volgorde. Een tuin zonder mensen verwildert binnen één zomer. Een groep mensen zonder tuin vindt vroeg of laat wel een stuk grond.

## Begin bij de voordeur

De eerste tuinders wonen bijna altijd binnen vijf minuten lopen. Bel aan, vertel wat je van plan bent en vraag wat de ander ervan vindt. Je hoeft nog niets te beloven. Je verzamelt vooral verhalen: wie heeft vroeger een volkstuin gehad, wie wil leren zaaien, wie heeft een aanhanger?

- **Vraag om advies, niet om hulp.** Mensen geven graag advies, en wie advies geeft, voelt zich betrokken.
- **Schrijf namen op.** Na tien gesprekken weet je niet meer wie wat zei.
- **Noem een datum.** "Ergens dit voorjaar" wordt nooit iets; "zaterdag 14 maart om tien uur" wel.

## De eerste bijeenkomst

Houd de eerste bijeenkomst kort en buiten, het liefst op het stuk grond zelf. Neem koffie mee en een paar scheppen. Laat iedereen vertellen wat hij hoopt te oogsten, letterlijk en figuurlijk. Je zult merken dat de antwoorden uiteenlopen: de een wil tomaten, de ander vooral een reden om vaker buiten te zijn.

1. **Welkom en kennismaken**, een kwartier.
2. **Rondje over het terrein**: waar valt de zon, waar blijft het water staan?
3. **Afspraken voor de eerste maand**: wie regelt de grond, wie de zaden, wie de sleutel van het hek?

> "Ik kwam voor de courgettes en bleef voor de mensen." — een tuinder van het eerste uur

## Wie beslist er?

In het begin beslis je veel zelf, en dat is prima. Maar leg vanaf de eerste week vast hoe beslissingen genomen worden. Een eenvoudige regel werkt vaak het best: *wie het werk doet, mag kiezen hoe.* Over dingen die iedereen raken, zoals geld of het hek, beslis je samen op de maandelijkse tuindag.

Schrijf die afspraken op één A4 en hang het in de schuur. Zo hoeft een nieuwe tuinder niet te raden hoe het werkt.

## Gereedschap delen

Niet iedereen hoeft een eigen schep te kopen. Zet een kist in de schuur met het gereedschap dat de tuin bezit, en hang er een lijst naast: wat er is, wie het heeft geleend en wanneer het terugkomt. Een gedeelde kruiwagen is meteen een aanleiding voor een praatje bij het hek.

- **Koop weinig, maar goed.** Twee stevige scheppen gaan langer mee dan zes goedkope.
- **Maak het schoon voor je het terugzet.** Spreek het af en zet het op de lijst.
- **Vraag in de buurt.** In bijna elke schuur staat wel een hark die nooit wordt gebruikt.

## De tuin in de winter

Ook in de winter gebeurt er meer dan je denkt. Dek de bedden af met blad, snoei de bessenstruiken en maak een plan voor het voorjaar: wat zaaien we, wie neemt welk bed, welke zaden moeten we bestellen? Een winteravond met soep en zaadcatalogi op tafel houdt de groep bij elkaar tot de grond weer warm genoeg is. En wie in januari al een paar potjes tomaten op de vensterbank zet, heeft in mei de eerste plantjes om te ruilen met de buren.

## Als het tegenzit

Elke tuin kent een natte lente, een zomer waarin de slakken winnen of een jaar waarin de helft van de groep verhuist. Dat hoort erbij. Praat er op de tuindag open over en kijk samen wat de tuin nodig heeft: minder bedden, een ander rooster of een oproep in de buurtapp. Een tuin die een slecht jaar overleeft, wordt er meestal sterker van.


Vraag bij de gemeente of de woningcorporatie naar tijdelijk gebruik van braakliggende grond. Veel gemeenten hebben er een regeling voor, soms met een kleine bijdrage voor gereedschap. Vraag ook naar een kraan: water is de grootste zorg van elke stadstuin, zoals je leest in [Water geven in droge zomers]({filename}/articles/water-geven-in-droge-zomers.md).

Een kleine pot met geld voor zaden en compost is genoeg om te beginnen. Laat iedereen een paar euro per maand bijdragen, of juist niets en organiseer één keer per jaar een plantjesmarkt.

## De eerste oogst

De eerste radijsjes zijn na vier weken al te eten. Vier dat. Een oogst die je samen deelt, maakt meer los dan welke nieuwsbrief ook. Hoe je daar een feest van maakt, lees je in [Oogstfeest: delen wat je kweekt]({filename}/articles/oogstfeest.md). En wie meteen aan de slag wil met de bodem, begint bij [compost]({filename}/articles/compost-zonder-gedoe.md) of luistert naar [les 1 van de cursus]({filename}/cursus/les-1-de-grond-onder-je-voeten.md).

Meer over het idee achter buurttuinen vind je op [Wikipedia](https://nl.wikipedia.org/wiki/Buurttuin). Maar het belangrijkste leer je gewoon buiten, samen met de buren.
""",
    "articles/compost-zonder-gedoe.md": """\
Title: $title
Date: 2025-06-02 08:15
Category: $category
Tags: compost, bodem
Slug: $slug
Author: $author
Summary: Een compostbak is het hart van elke moestuin. Drie bakken, twee soorten afval en een beetje geduld: meer is er niet nodig.
Image: $image
ImageAlt: Een vierkante bruine afbeelding met drie lichte cirkels

Compost is gratis, goed voor de grond en het lost meteen het probleem van het tuinafval op. Toch zie je in veel buurttuinen een vergeten hoop in een hoek liggen.

![Drie houten compostbakken naast elkaar, de linkse vol, de rechtse bijna leeg]({static}/images/compostbak.jpg)

## Groen en bruin

Een goede hoop bestaat uit ongeveer gelijke delen *groen* (groenteresten, gras) en *bruin* (blad, stro, karton). Te veel groen gaat stinken, te veel bruin doet niets.

| groen | bruin |
|---|---|
| groenteresten | herfstblad |
| grasmaaisel | stro |
| koffiedik | karton |

## Drie bakken

Werk met drie bakken: één om te vullen, één om te laten rijpen en één om uit te scheppen. Zet een bordje met `groen + bruin` op de eerste bak, dan weet iedereen wat erin mag. Lees ook [Een tuin begin je met de buren]({filename}/articles/een-tuin-begin-je-met-de-buren.md) voor het verdelen van de taken.
""",
    "articles/water-geven-in-droge-zomers.md": """\
Title: $title
Date: 2025-07-21 07:30
Modified: 2025-08-04 12:00
Category: $category
Tags: water, zomer, bodem
Slug: $slug
Author: $author
Summary: Minder vaak, maar grondig: zo komt een moestuin de hittegolf door zonder dat de buurt elke avond met gieters loopt.

In een droge zomer is water geven het meeste werk van de tuin. Een paar vuistregels helpen:

1. Geef 's ochtends vroeg water, dan verdampt er het minst.
2. Geef één keer grondig in plaats van elke dag een beetje.
3. Leg een laag stro of blad op de grond: *mulchen* houdt het vocht vast.

Maak een rooster zodat niet steeds dezelfde mensen gaan. Dat voorkomt ruzie en houdt het vol.
""",
    "articles/wie-doet-wat-in-de-tuin.md": """\
Title: $title
Date: 2026-01-12 14:00
Category: $category
Tags: samenwerken, vrijwilligers
Slug: $slug
Author: $guest
Summary: Gastschrijver Ravi Dekker coördineert al zes jaar een buurttuin. Hoe verdeel je het werk zonder dat twee mensen alles doen?

In elke tuin doen een paar mensen het meeste werk. Dat is niet erg, zolang die mensen het leuk blijven vinden.

## Kleine taken, duidelijke namen

Knip het werk op in kleine taken met een naam erbij: *de sleutel*, *de compost*, *het rooster*. Een taak met een naam vindt sneller een eigenaar.

> Vraag nooit "wie wil helpen?", maar "wil jij deze maand de compost doen?"

Meer over de tuin en de mensen erachter lees je op [de pagina over ons]({filename}/pages/over.md).
""",
    "articles/oogstfeest.md": """\
Title: $title
Date: 2026-09-14 09:30
Category: $category
Tags: oogst, samenwerken
Slug: $slug
Author: $author
Summary: Eén keer per jaar de hele buurt aan een lange tafel: het oogstfeest is de beste reclame voor een gemeenschappelijke tuin.
Image: $image
ImageAlt: Een oranje vlak met drie lichte cirkels, als borden op een tafel

Het oogstfeest is het moment waarop de buurt ziet wat er in de tuin gebeurt. Zet een lange tafel neer, kook met wat er op dat moment rijp is en nodig iedereen uit, ook wie nooit een schoffel heeft vastgehad.

- Vraag iedereen iets mee te nemen.
- Zet een bord neer met wat er geoogst is.
- Leg een lijst neer voor wie volgend jaar mee wil doen.

In [de eerste aflevering van Buurtpraat]({filename}/podcast/afl-1-een-tuin-vol-buren.md) vertellen tuinders over hun eerste oogstfeest.
""",
    "pages/over.md": """\
Title: $title
Slug: $slug
Author: $author
Summary: De Buurttuin is een moestuin van en voor de buurt. Hier schrijven en praten we over samen tuinieren in de stad.

Wij zijn een groep buren met één stuk grond en veel plannen. Begin bij [Een tuin begin je met de buren]({filename}/articles/een-tuin-begin-je-met-de-buren.md) of bij [les 1 van de cursus]({filename}/cursus/les-1-de-grond-onder-je-voeten.md).

Deze site gebruikt geen cookies en geen trackers; lees de [privacyverklaring]({filename}/pages/privacy.md).
""",
    "pages/privacy.md": """\
Title: $title
Slug: $slug
Author: $author
Summary: Geen cookies en geen trackers. Sterren bewaren alleen een gesleutelde controlecode.

Deze site plaatst **geen cookies** en laadt niets van andere partijen. Wie sterren geeft, laat alleen een controlecode achter die na een vaste termijn wordt gewist.
""",
    "cursus/les-1-de-grond-onder-je-voeten.md": """\
Title: $title
Date: $date
Category: Cursus
Tags: cursus, bodem
Slug: $slug
Author: $author
Summary: De eerste les van Tuinieren voor beginners: waarom goede grond het begin van alles is, en hoe je ziet of jouw grond gezond is.
Podcast: $show
Episode: $number
Audio: $audio
Image: images/cursus-cover.jpg
ImageAlt: Cover van de cursus Tuinieren voor beginners: een donkergroen vlak met drie lichte cirkels

Welkom bij de eerste les van **Tuinieren voor beginners**. We beginnen onder de grond.

## In deze les

- **Kruimelig en donker**: zo ziet gezonde grond eruit.
- **Leven in de bodem**: wormen zijn je beste collega's.
- **Compost**: meer daarover in [Compost zonder gedoe]({filename}/articles/compost-zonder-gedoe.md).

Volgende week, in [les 2]({filename}/cursus/les-2-zaaien-en-planten.md): zaaien en planten.
""",
    "cursus/les-2-zaaien-en-planten.md": """\
Title: $title
Date: $date
Category: Cursus
Tags: cursus, zaaien
Slug: $slug
Author: $author
Summary: Les 2 van Tuinieren voor beginners: wanneer je zaait, wanneer je uitplant en waarom een etiket meer waard is dan je geheugen.
Podcast: $show
Episode: $number
Audio: $audio
Image: images/cursus-cover.jpg
ImageAlt: Cover van de cursus Tuinieren voor beginners: een donkergroen vlak met drie lichte cirkels

In de [vorige les]({filename}/cursus/les-1-de-grond-onder-je-voeten.md) ging het over de grond. Nu gaat er iets in.

1. Zaai binnen in potjes vanaf maart.
2. Plant uit na de IJsheiligen, half mei.
3. Schrijf op elk etiket wat en wanneer.
""",
    "cursus/les-3-water-en-onderhoud.md": """\
Title: $title
Date: $date
Category: Cursus
Tags: cursus, water
Slug: $slug
Author: $author
Summary: Les 3 van Tuinieren voor beginners: water geven, wieden en het rooster dat de tuin de zomer door helpt.
Podcast: $show
Episode: $number
Audio: $audio
Image: images/cursus-cover.jpg
ImageAlt: Cover van de cursus Tuinieren voor beginners: een donkergroen vlak met drie lichte cirkels

Water en onderhoud zijn het werk van elke week. Het artikel [Water geven in droge zomers]({filename}/articles/water-geven-in-droge-zomers.md) gaat er dieper op in.
""",
    "cursus/les-4-oogsten-en-bewaren.md": """\
Title: $title
Date: $date
Category: Cursus
Tags: cursus, oogst
Slug: $slug
Author: $author
Summary: De laatste les van Tuinieren voor beginners: oogsten op het goede moment en bewaren voor de winter.
Podcast: $show
Episode: $number
Audio: $audio

Deze les verschijnt later: een les met een datum in de toekomst blijft een concept.
""",
    "podcast/afl-1-een-tuin-vol-buren.md": """\
Title: $title
Date: $date
Category: Podcast
Tags: podcast, buren
Slug: $slug
Author: $author
Summary: De eerste aflevering van Buurtpraat: drie tuinders over het eerste jaar van hun buurttuin, en over de eerste oogst.
Podcast: $show
Episode: $number
Audio: $audio
Image: images/podcast-cover.png
ImageAlt: Cover van de podcast Buurtpraat: een rood vlak met drie lichte cirkels

Welkom bij de eerste aflevering van **Buurtpraat**.

## In deze aflevering

- Hoe de tuin begon, met [een kop koffie bij de buren]({filename}/articles/een-tuin-begin-je-met-de-buren.md).
- De eerste oogst, en het [oogstfeest]({filename}/articles/oogstfeest.md) dat erop volgde.
- Achtergrond: [stadslandbouw](https://nl.wikipedia.org/wiki/Stadslandbouw) op Wikipedia.
""",
}
TEXTS = {source: Template(text) for source, text in _TEXTS.items()}

# Lesson 1's transcript (next to its MP3) and the favicon.
FAVICON_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">'
    '<circle cx="8" cy="8" r="7" fill="#3c6e28"/></svg>'
)
TRANSCRIPT_VTT = """WEBVTT

NOTE Les 1: De grond onder je voeten, transcriptie

1
00:00:00.000 --> 00:00:04.000
Welkom bij Tuinieren voor beginners. Ik ben Fenna.

2
00:00:04.000 --> 00:00:08.000
Goede grond is kruimelig, ruikt naar bos en zit vol leven.

3
00:00:08.000 --> 00:00:12.000
Je opdracht: pak een schep grond en kijk wat erin woont.
"""
