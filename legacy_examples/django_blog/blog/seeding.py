"""Write the demo data into the database; running it again leaves the same data."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from . import demo_data
from .models import Comment, Post, Tag


@transaction.atomic
def seed():
    User = get_user_model()
    users = {}
    for spec in demo_data.USERS:
        user, _ = User.objects.get_or_create(username=spec.username)
        user.email = spec.email
        user.is_staff = user.is_superuser = spec.is_staff
        if not user.check_password(spec.password):
            user.set_password(spec.password)
        user.save()
        users[spec.username] = user

    tags = {}
    for slug, name in demo_data.TAGS.items():
        tags[slug], _ = Tag.objects.update_or_create(slug=slug, defaults={"name": name})

    posts = {}
    for spec in demo_data.POSTS:
        post, _ = Post.objects.update_or_create(
            slug=spec.slug,
            defaults={
                "title": spec.title,
                "body": spec.body,
                "status": spec.status,
                "author": users[spec.author],
            },
        )
        post.tags.set([tags[slug] for slug in spec.tags])
        # created/updated are automatic fields: set the demo dates afterwards
        Post.objects.filter(pk=post.pk).update(created=spec.created, updated=spec.created)
        posts[spec.slug] = post

    for number, spec in enumerate(demo_data.COMMENTS):
        comment, _ = Comment.objects.update_or_create(
            post=posts[spec.post],
            author_name=spec.author_name,
            body=spec.body,
            defaults={"email": spec.email, "approved": spec.approved},
        )
        created = demo_data.post(spec.post).created + timedelta(days=1, minutes=number)
        Comment.objects.filter(pk=comment.pk).update(created=created)

    return {
        "users": len(users),
        "tags": len(tags),
        "posts": len(posts),
        "comments": len(demo_data.COMMENTS),
    }
