"""Small helpers that generated code imports to keep the legacy framework's behaviour.

`common` serves every framework, `flask` reproduces Flask/Werkzeug/Flask-* behaviour and `django`
Django's. Each helper's docstring says whether it is transitional (gone once the legacy app is) or
permanent.
"""
