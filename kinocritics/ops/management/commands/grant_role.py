from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from kinocritics.ops.roles import ROLES
from kinocritics.ops.services import RoleError, critic_find, user_role_grant


class Command(BaseCommand):
    help = (
        "Give a login its editorial role: critic (drafts own reviews and articles), editor "
        "(edits and publishes), admin (also users and settings), or none."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="E-mail address (or username) of the login.")
        parser.add_argument("role", choices=[*ROLES, "none"])
        parser.add_argument(
            "--critic",
            metavar="INITIALS_OR_SLUG",
            help="Link this critic profile to the login, so its reviews are signed by them.",
        )
        parser.add_argument(
            "--create",
            action="store_true",
            help="Create the login if it does not exist (no password: use 'Forgot password?').",
        )

    def handle(self, *args, email, role, critic, create, **options):
        User = get_user_model()
        user = (
            User.objects.filter(email__iexact=email).order_by("pk").first()
            or User.objects.filter(username=email).first()
        )
        if user is None:
            if not create:
                raise CommandError(
                    f"No login with e-mail or username {email!r}. "
                    "Add it in the admin (Settings → Users) or pass --create."
                )
            user = User.objects.create_user(username=email, email=email)
            self.stdout.write(f"Created the login {email} (no password yet).")
        try:
            profile = critic_find(reference=critic) if critic else None
            user_role_grant(user=user, role=role, critic=profile)
        except RoleError as error:
            raise CommandError(str(error)) from error
        if role == "none":
            self.stdout.write(self.style.SUCCESS(f"{user.get_username()} now has no role."))
        else:
            article = "an" if role[0] in "aeiou" else "a"
            self.stdout.write(
                self.style.SUCCESS(
                    f"{user.get_username()} is now {article} {role}: {ROLES[role].description}."
                )
            )
        if profile:
            self.stdout.write(f"Linked to the critic profile {profile.name}.")
