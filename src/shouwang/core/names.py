"""How a user account is named to people: the person behind it, never the login name
when there is one (吴丽华, not `office`)."""


def user_display(user) -> str:
    if user is None:
        return ""
    person = getattr(user, "person", None)  # None when the account has no person (no exception)
    return (person.name if person is not None else "") or user.get_full_name() or user.username
