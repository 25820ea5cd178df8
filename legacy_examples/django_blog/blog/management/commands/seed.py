from django.core.management.base import BaseCommand

from ...demo_data import USERS
from ...seeding import seed


class Command(BaseCommand):
    help = "Create the demo users, tags, posts and comments (safe to run again)."

    def handle(self, *args, **options):
        counts = seed()
        self.stdout.write(
            self.style.SUCCESS(
                "Seeded {users} users, {tags} tags, {posts} posts, {comments} comments.".format(
                    **counts
                )
            )
        )
        for user in USERS:
            role = "staff" if user.is_staff else "user"
            self.stdout.write(f"  {role}: {user.username} / {user.password}")
