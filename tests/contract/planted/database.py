"""The shared SQLite database of the planted apps: schema and seed rows."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

SCHEMA = """
CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL,
                       price REAL NOT NULL, stock INTEGER NOT NULL);
CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE reviews (id INTEGER PRIMARY KEY, product_id INTEGER NOT NULL, rating INTEGER NOT NULL);
CREATE TABLE orders (id INTEGER PRIMARY KEY, product_id INTEGER NOT NULL,
                     quantity INTEGER NOT NULL);
CREATE TABLE audit (id INTEGER PRIMARY KEY, action TEXT NOT NULL);
CREATE TABLE stats (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE sessions (token TEXT PRIMARY KEY, username TEXT NOT NULL);
"""

SEED = """
INSERT INTO products VALUES (1, 'kettle', 'boils water', 25.0, 4), (2, 'mug', 'holds tea', 4.5, 0),
                            (3, 'teapot', 'brews tea', 30.0, 2), (4, 'spoon', 'stirs', 9.5, 10);
INSERT INTO orders VALUES (1, 1, 2), (2, 4, 1);
INSERT INTO stats VALUES ('purchases', 0);
"""


def create_database(path: Path) -> Path:
    connection = sqlite3.connect(path)
    connection.executescript(SCHEMA + SEED)
    connection.commit()
    connection.close()
    return path


if __name__ == "__main__":
    create_database(Path(sys.argv[1]))
