"""Flask, Werkzeug and Flask extensions (Flask-SQLAlchemy, Flask-WTF, flask-login) behaviour
for generated FastAPI code."""
