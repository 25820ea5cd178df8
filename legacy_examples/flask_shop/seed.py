"""Demo data: three categories, 30 products, an admin and a customer. Safe to run again."""

from decimal import Decimal

from .extensions import db
from .models import Category, Product, User

DEMO_USERS = [
    {
        "email": "admin@example.com",
        "password": "admin-password",
        "name": "Ada Admin",
        "is_admin": True,
    },
    {
        "email": "alice@example.com",
        "password": "alice-password",
        "name": "Alice Customer",
        "is_admin": False,
    },
]

CATEGORIES = [("Books", "books"), ("Kitchen", "kitchen"), ("Garden", "garden")]

PRODUCTS = {
    "books": [
        "The Pragmatic Gardener",
        "Flask Field Guide",
        "Patterns of Migration",
        "Strangler Figs",
        "Deep Work Notebook",
        "Atlas of Old Maps",
        "The Little Schemer",
        "Cooking for Engineers",
        "Refactoring Legacy Estates",
        "A Short History of Tea",
        "Poems for Mondays",
        "The Quiet Lighthouse",
    ],
    "kitchen": [
        "Cast Iron Skillet",
        "Chef Knife",
        "Bamboo Cutting Board",
        "Pour-Over Coffee Kettle",
        "Ceramic Teapot",
        "Stand Mixer Bowl",
        "Copper Saucepan",
        "Pepper Grinder",
        "Linen Tea Towels",
        "Glass Storage Jars",
    ],
    "garden": [
        "Watering Can",
        "Pruning Shears",
        "Seed Tray Set",
        "Compost Bin",
        "Garden Kneeler",
        "Terracotta Pots",
        "Rain Gauge",
        "Bird Feeder",
    ],
}


def seed_database(app):
    """Create missing tables and demo rows; returns how many rows were added."""
    added = 0
    with app.app_context():
        db.create_all()
        for spec in DEMO_USERS:
            if User.query.filter_by(email=spec["email"]).first() is None:
                user = User(email=spec["email"], name=spec["name"], is_admin=spec["is_admin"])
                user.set_password(spec["password"])
                db.session.add(user)
                added += 1
        categories = {}
        for name, slug in CATEGORIES:
            category = Category.query.filter_by(slug=slug).first()
            if category is None:
                category = Category(name=name, slug=slug)
                db.session.add(category)
                added += 1
            categories[slug] = category
        db.session.flush()
        number = 0
        for slug, names in PRODUCTS.items():
            for name in names:
                number += 1
                sku = f"SEED-{number:03d}"
                if Product.query.filter_by(sku=sku).first() is None:
                    db.session.add(
                        Product(
                            sku=sku,
                            name=name,
                            description=f"{name}, from the demo catalogue.",
                            price=Decimal(5 * number) + Decimal("0.99"),
                            stock=100000,
                            category=categories[slug],
                        )
                    )
                    added += 1
        db.session.commit()
    return added
