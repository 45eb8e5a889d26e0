"""Read the catalogue's texts as a reader may meet them."""

from advice.factors import Words


def every_wording(words: Words) -> list[str]:
    """Return each wording a text can take: plain words, or each of its variants."""
    if isinstance(words, str):
        return [words] if words else []
    return [text.words for text in words]
