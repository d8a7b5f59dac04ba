"""How a name shows on a public board: whole where the organiser chose so, else the surname."""


def shown_name(name: str, *, full: bool) -> str:
    """Return ``name`` whole, or its first character followed by one * per other character."""
    if full or not name:
        return name
    return name[0] + "*" * max(1, len(name) - 1)
