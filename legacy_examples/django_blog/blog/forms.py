from django import forms
from django.utils.text import slugify

from .models import Post

RESERVED_SLUGS = {"new", "edit", "drafts"}


class PostForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = ["title", "slug", "body", "status", "tags"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}
        help_texts = {"slug": "Leave empty to derive it from the title."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if len(title) < 3:
            raise forms.ValidationError("The title must be at least 3 characters long.")
        return title

    def clean_slug(self):
        slug = self.cleaned_data["slug"].lower()
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(f'"{slug}" is reserved, choose another slug.')
        return slug

    def clean(self):
        cleaned_data = super().clean()
        title = cleaned_data.get("title")
        if not cleaned_data.get("slug") and title:
            cleaned_data["slug"] = slugify(title)
        body = cleaned_data.get("body") or ""
        if cleaned_data.get("status") == Post.Status.PUBLISHED and len(body.strip()) < 20:
            raise forms.ValidationError(
                "A published post needs a body of at least 20 characters; save it as a draft."
            )
        return cleaned_data


class CommentForm(forms.Form):
    author_name = forms.CharField(label="Name", max_length=80)
    email = forms.EmailField(required=False)
    body = forms.CharField(label="Comment", max_length=2000, widget=forms.Textarea)
    notify = forms.BooleanField(label="Email me when someone replies", required=False)

    def clean_body(self):
        body = self.cleaned_data["body"]
        if "http://" in body or "https://" in body:
            raise forms.ValidationError("Links are not allowed in comments.")
        return body

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("notify") and not cleaned_data.get("email"):
            self.add_error("email", "Give an email address to be notified of replies.")
        return cleaned_data
