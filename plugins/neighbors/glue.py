"""Previous/next article links: ``article.prev_article`` (older) and ``article.next_article``.

Computed once per build over the finished, date-sorted article list, so templates never loop
over all articles to find an article's neighbours.
"""


def link_neighbors(generator) -> None:
    ordered = sorted(generator.articles, key=lambda a: (a.date, a.source_path))
    for older, article, newer in zip(
        [None, *ordered[:-1]], ordered, [*ordered[1:], None], strict=False
    ):
        article.prev_article = older
        article.next_article = newer
