"""The codemod checks what it wrote: names, imports, start-up and answers (one module per check).

Framework-neutral: the legacy side is a WSGI app reached through a small adapter module
(`codemods/flask/verify_legacy.py` for Flask), the new side a FastAPI app built by the generated
package's `create_app()` (or its `app`).
"""
