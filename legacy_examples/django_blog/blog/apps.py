from django.apps import AppConfig


class BlogConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "legacy_examples.django_blog.blog"
    label = "blog"
    verbose_name = "Blog"
