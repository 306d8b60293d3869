"""`newswatch web`: server-rendered pages over the store (spec: "Web").

    security.py  who may do what: Host check, password, signed session cookie, CSRF token (pure)
    pages.py     records -> template context (pure; takes records, never a Session)
    app.py       the Starlette app: one thin handler per page ("load records, render"), served by uvicorn
"""
