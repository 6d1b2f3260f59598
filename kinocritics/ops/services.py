"""Giving people their editorial role."""

from django.contrib.auth.models import Group
from django.db import transaction

from kinocritics.critics.models import Critic

from .roles import ROLE_GROUPS, ROLES


class RoleError(Exception):
    """A role change that cannot be made; the message says what to do instead."""


def critic_find(*, reference: str) -> Critic:
    """A critic by initials (ET) or slug (erin-testwriter)."""
    critic = (
        Critic.objects.filter(initials=reference.upper()).first()
        or Critic.objects.filter(slug=reference).first()
    )
    if critic is None:
        raise RoleError(f"No critic with initials or slug {reference!r}. Add the critic first.")
    return critic


@transaction.atomic
def user_role_grant(*, user, role: str, critic: Critic | None = None) -> None:
    """Make `user` a critic, editor or admin (or nobody: role "none"), replacing any other role.

    A critic profile, if given, is linked to the user; a profile linked to someone else is
    refused rather than taken over.
    """
    if role != "none" and role not in ROLES:
        raise RoleError(f"Unknown role {role!r}: use one of {', '.join(ROLES)} or none.")
    if critic is not None and critic.user_id not in (None, user.pk):
        raise RoleError(
            f"{critic.name} is already linked to the login {critic.user}. "
            "Unlink it in the admin (Critics) first."
        )
    group = None
    if role != "none":
        group = Group.objects.filter(name=ROLES[role].group).first()
        if group is None:
            raise RoleError(f"The {ROLES[role].group} group is missing: run manage.py migrate.")

    user.groups.remove(*Group.objects.filter(name__in=ROLE_GROUPS))
    if group is not None:
        user.groups.add(group)
    if critic is not None:
        critic.user = user
        critic.save(update_fields=["user"])


def role_of(user) -> str:
    """The user's role key ("none" when they have no role group)."""
    names = set(user.groups.values_list("name", flat=True))
    for key in ("admin", "editor", "critic"):
        if ROLES[key].group in names:
            return key
    return "none"
