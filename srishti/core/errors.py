class DomainError(Exception):
    """A rule of the domain refused the request; the message is meant for the user."""
