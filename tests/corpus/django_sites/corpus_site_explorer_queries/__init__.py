"""The explorer site's own data: the saved query a project of django-sql-explorer has (its SQL
runs), written by a migration, so that the routes running a saved query (`/<id>/download`,
`/<id>/stream`) run it on both sides of verification instead of the seeded row's `sample`,
which is no SQL (a 500 on both sides)."""
