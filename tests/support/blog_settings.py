"""The django_blog's settings for the tests' servers and suites: Django's MD5 hasher first.

The blog's own PBKDF2 (a million rounds) makes every log-in cost about half a second of CPU, and
the blog's suite logs in about forty times per run; Django's testing guide advises a fast hasher
for tests. The seeded demo users get MD5 hashes; a PBKDF2 hash still verifies (then is upgraded).
Only the tests' own throw-away users ever have these passwords.
"""

from legacy_examples.django_blog.config.settings import *  # noqa: F403

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
