"""The metadata fields the podcast feature reads from an episode's Markdown (README, "Podcast"),
as the author writes them; a field not known to any feature is reported by the checks."""

METADATA_FIELDS = frozenset(
    {
        "Audio",
        "Podcast",
        "Episode",
        "Season",
        "EpisodeType",
        "EpisodeTitle",
        "Explicit",
        "Guid",
        "Person",
        "Funding",
        "Soundbite",
        "License",
    }
)
